"""Each attempt at a request, logged at DEBUG on the ``waonboard`` logger: the
operation, method, host, path (no query) and attempt as it leaves, then the status,
duration and error kind as it ends, also as the record's attributes of those names.
The native side never hands over a query, header or body, so no record can hold a
token, secret, PIN or code. Both the blocking clients (through ``_wire``) and the asyncio
ones (through uniffi's listener) log here."""

from __future__ import annotations

import logging

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

logger = logging.getLogger("waonboard")


def enabled() -> bool:
    """Whether anyone listens: callers skip building a record's fields when not."""
    return logger.isEnabledFor(logging.DEBUG)


def attempt(
    operation: str,
    method: str,
    host: str,
    path: str,
    number: int,
    *,
    ended: bool = False,
    status: Optional[int] = None,
    duration_ms: Optional[int] = None,
    error: Optional[str] = None,
) -> None:
    """Logs one attempt leaving (``ended=False``) or ending."""
    if not enabled():
        return
    fields = {"operation": operation, "method": method, "host": host, "path": path, "attempt": number}
    message, args = "%s %s %s%s: attempt %d", [operation, method, host, path, number]
    if ended:
        fields.update(status=status, duration_ms=duration_ms, error=error)
        outcome = f"HTTP {status}" if status is not None else "no answer"
        if error is not None:
            outcome += f" ({error})"
        message += ": %s in %d ms"
        args += [outcome, duration_ms or 0]
    try:
        logger.debug(message, *args, extra=fields)
    except Exception:  # a logging failure must not fail the call (nor cross into Rust)
        pass
