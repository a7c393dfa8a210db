"""One exception class per error kind, under one base class, and the one place that turns
the native error into them (and back, for errors a Python transport raises)."""

from __future__ import annotations

# Nothing is imported at module level: `import waonboard` stays quick, and the native
# library loads on first use.


class WaonboardError(Exception):
    """The error of every waonboard call. ``str(error)`` is a sentence for people; no
    attribute ever holds an access token, client secret, PIN or one-time code."""

    #: The contract's kind: ``validation``, ``auth``, ``rate_limited``, …
    kind: str = "provider"

    def __init__(
        self,
        detail: str,
        *,
        field: Optional[str] = None,
        provider_code: Optional[str] = None,
        http_status: Optional[int] = None,
        retryable: bool = False,
        retry_after_ms: Optional[int] = None,
        operation: Optional[str] = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        #: The offending parameter (``code``, ``websites[1]``, …) of a validation error.
        self.field = field
        #: The provider's own code as text: ``"133016"``, ``"number-in-use"``, ``"3"``.
        self.provider_code = provider_code
        #: The HTTP status of the answer, when there was one.
        self.http_status = http_status
        #: Whether sending the same request again later may succeed and is safe.
        self.retryable = retryable
        #: How long the provider asked to wait, in milliseconds.
        self.retry_after_ms = retry_after_ms
        #: The operation id that failed, e.g. ``meta.register``.
        self.operation = operation

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in self.to_dict().items()
            if value is not None and name != "detail"
        )
        return f"{type(self).__name__}({self.detail!r}, {shown})"

    def to_dict(self) -> dict[str, Any]:
        """The fields as the contract names them."""
        return {
            "kind": self.kind,
            "detail": self.detail,
            "field": self.field,
            "provider_code": self.provider_code,
            "http_status": self.http_status,
            "retryable": self.retryable,
            "retry_after_ms": self.retry_after_ms,
            "operation": self.operation,
        }


class ValidationError(WaonboardError):
    """The input broke a rule; nothing was sent. ``field`` names the parameter."""

    kind = "validation"


class AuthError(WaonboardError):
    """The provider refused the credentials."""

    kind = "auth"


class RateLimitedError(WaonboardError):
    """Too many requests; see ``retryable`` and ``retry_after_ms``."""

    kind = "rate_limited"


class VerificationFailedError(WaonboardError):
    """A one-time code or PIN was wrong."""

    kind = "verification_failed"


class ConflictError(WaonboardError):
    """The resource is in a state that forbids the call."""

    kind = "conflict"


class NotFoundError(WaonboardError):
    """The resource does not exist."""

    kind = "not_found"


class InvalidRequestError(WaonboardError):
    """The provider rejected the request as malformed."""

    kind = "invalid_request"


class ProviderError(WaonboardError):
    """The provider failed, or answered with a code not singled out."""

    kind = "provider"


class TransportError(WaonboardError):
    """The request could not be sent or the answer not received."""

    kind = "transport"


class TimeoutError(WaonboardError):  # noqa: A001 - the contract's name; not in __all__
    """No answer came in time."""

    kind = "timeout"


class DecodeError(WaonboardError):
    """The answer could not be read as the operation's result."""

    kind = "decode"


class GuardError(WaonboardError):
    """A client-side guard refused the call to protect a provider limit; nothing was
    sent. ``retry_after_ms`` says when it is allowed again."""

    kind = "guard"


#: The class of each kind.
ERRORS_BY_KIND: dict[str, type[WaonboardError]] = {
    cls.kind: cls
    for cls in (
        ValidationError,
        AuthError,
        RateLimitedError,
        VerificationFailedError,
        ConflictError,
        NotFoundError,
        InvalidRequestError,
        ProviderError,
        TransportError,
        TimeoutError,
        DecodeError,
        GuardError,
    )
}

# The native variant names (``RateLimited``) and the kinds (``rate_limited``).
_VARIANTS: dict[str, str] = {
    "".join(part.capitalize() for part in kind.split("_")): kind for kind in ERRORS_BY_KIND
}


def from_native(error: Any) -> WaonboardError:
    """The Python exception for a native one."""
    kind = _VARIANTS.get(type(error).__name__, "provider")
    return ERRORS_BY_KIND[kind](
        error.detail,
        field=error.field,
        provider_code=error.provider_code,
        http_status=error.http_status,
        retryable=error.retryable,
        retry_after_ms=error.retry_after_ms,
        operation=error.operation,
    )


def to_native(error: WaonboardError) -> Any:
    """The native error for a Python one (raised by a Python transport)."""
    from ._native import waonboard_uniffi as _ffi
    variant = next(name for name, kind in _VARIANTS.items() if kind == error.kind)
    return getattr(_ffi.WaonboardError, variant)(
        error.detail,
        error.field,
        error.provider_code,
        error.http_status,
        error.retryable,
        error.retry_after_ms,
        error.operation,
    )
