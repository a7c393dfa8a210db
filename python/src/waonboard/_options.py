"""The clients' keyword arguments, checked under the names the caller wrote, as plain
values: the blocking clients send them to the library as JSON, the asyncio ones as
uniffi records. Nothing here loads the native library or asyncio."""

from __future__ import annotations

from collections.abc import Mapping

from . import _checks
from ._errors import ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple

RETRY_OPTIONS = {"max_attempts", "base_delay_ms", "max_delay_ms", "max_retry_after_ms"}
POLL_OPTIONS = {"initial_interval_ms", "max_interval_ms", "timeout_ms"}
GUARD_LIMITS = {"digital99_code_requests", "meta_registrations", "meta_deregistrations"}
U32 = 2**32 - 1


def limits_of(limits: Any) -> Optional[Dict[str, Dict[str, int]]]:
    """``{name: (max, window_ms)}`` as ``{name: {"max": …, "window_ms": …}}``."""
    if limits is None:
        return None
    if not isinstance(limits, Mapping):
        raise _checks.invalid("guard_limits", "must be a mapping of limit names to (max, window_ms)")
    built = {}
    for name, limit in limits.items():
        field = f"guard_limits.{name}"
        if name not in GUARD_LIMITS:
            raise _checks.invalid(field, f"is not a limit; the limits are {', '.join(sorted(GUARD_LIMITS))}")
        if not isinstance(limit, (tuple, list)) or len(limit) != 2:
            raise _checks.invalid(field, "must be a pair (max, window_ms)")
        built[name] = {
            "max": _checks.count(limit[0], f"{field}.max", limit=U32),
            "window_ms": _checks.count(limit[1], f"{field}.window_ms"),
        }
    return built


def checked(
    *,
    base_url: Optional[str] = None,
    api_version: Optional[str] = None,
    verify_number_path: Optional[str] = None,
    timeout: Optional[float] = None,
    connect_timeout: Optional[float] = None,
    retry: Optional[Mapping[str, int]] = None,
    poll: Optional[Mapping[str, int]] = None,
    guard_limits: Optional[Mapping[str, Tuple[int, int]]] = None,
    guard_state: Optional[str] = None,
) -> Dict[str, Any]:
    """The native options (``ClientOptions``' fields but the transport) from the
    clients' keyword arguments."""
    retry = _checks.options(retry, "retry", RETRY_OPTIONS)
    if retry is not None and "max_attempts" in retry:
        _checks.count(retry["max_attempts"], "retry.max_attempts", limit=U32)
    return {
        "base_url": _checks.optional_text(base_url, "base_url"),
        "api_version": _checks.optional_text(api_version, "api_version"),
        "verify_number_path": _checks.optional_text(verify_number_path, "verify_number_path"),
        "connect_timeout_ms": _checks.seconds(connect_timeout, "connect_timeout"),
        "request_timeout_ms": _checks.seconds(timeout, "timeout"),
        "retry": retry,
        "poll": _checks.options(poll, "poll", POLL_OPTIONS),
        "guard_limits": limits_of(guard_limits),
        "guard_state_json": _checks.optional_text(guard_state, "guard_state"),
    }


def renamed_guard_state(error: ValidationError) -> ValidationError:
    """An error about the guard state names ``guard_state``, the keyword Python callers
    write (the native option is ``guard_state_json``)."""
    if error.field != "guard_state_json":
        return error
    return ValidationError(error.detail.replace("guard_state_json", "guard_state"), field="guard_state")


def digital99_credentials(
    access_token: Optional[str], client_id: Optional[str], client_secret: Optional[str]
) -> Dict[str, str]:
    """What a 99digital client signs in with: ``{"access_token": …}`` for a token the app
    already has, else ``{"client_id": …, "client_secret": …}`` to fetch tokens with; never
    both, and not neither."""
    if access_token is not None:
        if client_id is not None or client_secret is not None:
            raise _checks.invalid("access_token", "is given with client_id and client_secret: give one or the other")
        return {"access_token": _checks.text(access_token, "access_token")}
    if client_id is None and client_secret is None:
        raise _checks.invalid("access_token", "is required, or client_id and client_secret to fetch tokens with")
    return {"client_id": _checks.text(client_id, "client_id"), "client_secret": _checks.text(client_secret, "client_secret")}
