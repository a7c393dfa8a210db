"""One exception class per error kind, under one base class, and the one place that turns
the native error into them (and back, for errors a Python transport raises)."""

from __future__ import annotations

import builtins

# Neither the native library nor `typing` is imported at module level: `import
# waonboard` stays quick. Type checkers read the typing names; at run time the
# annotations stay text (see the __future__ import) that `typing.get_type_hints`
# resolves through the stand-ins below, which import `typing` only then.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Type
else:

    class _Typing:
        """Stands for ``typing.<name>`` in annotations: ``Optional[str]`` is
        ``typing.Optional[str]`` once evaluated."""

        def __init__(self, name: str) -> None:
            self.name = name

        def __getitem__(self, parameters: object) -> object:
            import typing

            return getattr(typing, self.name)[parameters]

    Optional, Dict, Type = _Typing("Optional"), _Typing("Dict"), _Typing("Type")
    # At run time `Any` (any value) resolves to `object`, which every value is.
    Any = object


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
        fbtrace_id: Optional[str] = None,
        error_subcode: Optional[int] = None,
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
        #: Meta's ``fbtrace_id``: the id Meta's support asks for to trace the failed call.
        self.fbtrace_id = fbtrace_id
        #: Meta's ``error_subcode``, which narrows ``provider_code`` (``2388001``, …).
        self.error_subcode = error_subcode

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in self.to_dict().items()
            if value is not None and name != "detail"
        )
        return f"{type(self).__name__}({self.detail!r}, {shown})"

    def to_dict(self) -> Dict[str, Any]:
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
            "fbtrace_id": self.fbtrace_id,
            "error_subcode": self.error_subcode,
        }


class ValidationError(WaonboardError, ValueError):
    """The input broke a rule; nothing was sent. ``field`` names the parameter. Also a
    ``ValueError``, so ``except ValueError`` catches it."""

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


class TimeoutError(WaonboardError, builtins.TimeoutError):  # noqa: A001 - the contract's name; not in __all__
    """No answer came in time. Also the builtin ``TimeoutError``, so ``except
    TimeoutError`` catches it whichever one the name means."""

    kind = "timeout"


class DecodeError(WaonboardError):
    """The answer could not be read as the operation's result."""

    kind = "decode"


class GuardError(WaonboardError):
    """A client-side guard refused the call to protect a provider limit; nothing was
    sent. ``retry_after_ms`` says when it is allowed again."""

    kind = "guard"


#: The class of each kind.
ERRORS_BY_KIND: Dict[str, Type[WaonboardError]] = {
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
_VARIANTS: Dict[str, str] = {
    "".join(part.capitalize() for part in kind.split("_")): kind for kind in ERRORS_BY_KIND
}


def from_native(error: Any) -> WaonboardError:
    """The Python exception for a native one, to raise without ``from``: the transport's
    own error, when there was one, is its ``__cause__`` (a builtin ``TimeoutError`` for
    timeouts, a ``ConnectionError`` otherwise, holding the transport's text), and the
    native exception is not shown as its context."""
    kind = _VARIANTS.get(type(error).__name__, "provider")
    converted = ERRORS_BY_KIND[kind](
        error.detail,
        field=error.field,
        provider_code=error.provider_code,
        http_status=error.http_status,
        retryable=error.retryable,
        retry_after_ms=error.retry_after_ms,
        operation=error.operation,
        fbtrace_id=error.fbtrace_id,
        error_subcode=error.error_subcode,
    )
    return _caused(converted, error.cause_detail)


def from_dict(fields: Dict[str, Any]) -> WaonboardError:
    """:func:`from_native` for an error the library handed over as JSON (the fields of
    the native error, ``kind`` its contract name)."""
    converted = ERRORS_BY_KIND.get(fields["kind"], ProviderError)(
        fields["detail"],
        field=fields.get("field"),
        provider_code=fields.get("provider_code"),
        http_status=fields.get("http_status"),
        retryable=bool(fields.get("retryable")),
        retry_after_ms=fields.get("retry_after_ms"),
        operation=fields.get("operation"),
        fbtrace_id=fields.get("fbtrace_id"),
        error_subcode=fields.get("error_subcode"),
    )
    return _caused(converted, fields.get("cause_detail"))


def _caused(converted: WaonboardError, cause_detail: Optional[str]) -> WaonboardError:
    if cause_detail is not None:
        cause = builtins.TimeoutError if converted.kind == "timeout" else ConnectionError
        converted.__cause__ = cause(cause_detail)
    converted.__suppress_context__ = True
    return converted


def failure_dict(error: BaseException) -> Dict[str, Any]:
    """What an app's transport raised, as the error the library reads: a
    ``WaonboardError`` as it is, a ``TimeoutError`` as a ``timeout`` error, anything
    else as a ``transport`` error; the exception's own text travels as the cause."""
    cause: Optional[BaseException] = error
    if isinstance(error, WaonboardError):
        converted, cause = error, error.__cause__
    elif isinstance(error, builtins.TimeoutError) or isinstance(getattr(error, "reason", None), builtins.TimeoutError):
        converted = TimeoutError(f"no answer in time: {error}", retryable=True)
    else:
        converted = TransportError(f"the request failed: {type(error).__name__}: {error}", retryable=True)
    fields = converted.to_dict()
    fields["cause_detail"] = None if cause is None else f"{type(cause).__name__}: {cause}"
    return fields


def to_native(error: WaonboardError, cause: Optional[BaseException] = None) -> Any:
    """The native error for a Python one (raised by a Python transport); ``cause``, the
    exception the transport raised, travels as its text."""
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
        error.fbtrace_id,
        error.error_subcode,
        None if cause is None else f"{type(cause).__name__}: {cause}",
    )
