"""The blocking flows: the asyncio ones' state (uniffi's objects, loaded with them), each
step run through the library's plain C ABI on the calling thread, with the blocking
client's guards and tokens. Given an asyncio client instead, a step runs that client's
coroutine to completion."""

from __future__ import annotations

import concurrent.futures
import inspect
import json
import threading

from . import _checks, _wire, aio
from ._clients import native

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable, Optional, TypeVar

    T = TypeVar("T")


def run(awaitable: Awaitable[T]) -> T:
    """Runs a coroutine to completion from blocking code."""
    import asyncio

    async def wrapped() -> T:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrapped())
    # Called from inside an event loop (a notebook, a framework): block a helper thread
    # instead, as asyncio.run cannot nest.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, wrapped()).result()


def _refuse(reply: int, reason: str) -> None:
    refusal = json.dumps({"kind": "validation", "detail": reason}).encode()
    _wire.reply_failure(reply, refusal, len(refusal))


def _saver(checkpoint: Optional[Callable[[str], Any]]) -> Any:
    """The app's checkpoint as the callback the library calls before a write leaves."""
    if checkpoint is None:
        return None
    if not callable(checkpoint) or inspect.iscoroutinefunction(checkpoint):
        raise _checks.invalid("checkpoint", "must be a plain (not async) function of the state's JSON text")

    def save(state: int, length: int, reply: int) -> None:
        try:
            saved = checkpoint(_wire.read(state, length).decode())
        except Exception as error:  # any failure stops the step before the write leaves
            _refuse(reply, f"{type(error).__name__}: {error}")
            return
        if inspect.isawaitable(saved):
            # Nobody would await it: the state would not be saved, yet the write would leave.
            if inspect.iscoroutine(saved):
                saved.close()
            _refuse(reply, "it returned an awaitable; a checkpoint saves before it returns")

    return _wire.CALLBACK(save)


class _Steps:
    """One step at a time per flow, over the blocking client's C ABI."""

    _flow = _wire.ONBOARDING
    _native: Any
    _native_cls: Any

    def _step(
        self,
        client: Any,
        step: int,
        code: Optional[str] = None,
        pin: Optional[str] = None,
        vname_certificate: Optional[str] = None,
        save: Any = None,
    ) -> str:
        lock = self.__dict__.setdefault("_step_lock", threading.Lock())
        with lock:
            state, needs, error = client._wire.flow_step(
                self._flow, step, self._native.to_json(), code, pin, vname_certificate, save
            )
            self._native = native(self._native_cls.from_json, state)
        if error is not None:
            raise error
        return str(needs)


def _blocking(client: Any) -> bool:
    return getattr(client, "_wire", None) is not None


class _SyncFlow(_Steps):
    def advance(
        self,
        client: Any,
        *,
        code: Optional[str] = None,
        pin: Optional[str] = None,
        checkpoint: Optional[Callable[[str], Any]] = None,
    ) -> str:
        """Runs the next step with the code or PIN it needs; returns what the step after
        needs. A failed step leaves the flow where it was.

        ``checkpoint(state)``, if given, is called before each write leaves with the
        state as :meth:`to_json` gives it (``pending`` names the write): save it durably
        there. A process that dies before the answer is read restores the flow with
        :meth:`from_json`, and its next ``advance`` asks the provider what became of the
        write instead of sending it again. A checkpoint that raises stops the step with
        nothing sent (``ValidationError``, field ``checkpoint``)."""
        if not _blocking(client):
            return run(self._advance(client, code, pin, checkpoint))  # type: ignore[attr-defined]
        code, pin = _checks.optional_text(code, "code"), _checks.optional_text(pin, "pin")
        return self._step(client, _wire.ADVANCE, code=code, pin=pin, save=_saver(checkpoint))

    def resend(self, client: Any, *, checkpoint: Optional[Callable[[str], Any]] = None) -> str:
        """Sends the code again while one is awaited; ``checkpoint`` as in ``advance``."""
        if not _blocking(client):
            return run(self._resend(client, checkpoint))  # type: ignore[attr-defined]
        return self._step(client, _wire.RESEND, save=_saver(checkpoint))


class MetaOnboarding(_SyncFlow, aio.MetaOnboarding):  # type: ignore[misc]
    __doc__ = aio.MetaOnboarding.__doc__


class VonageOnboarding(_SyncFlow, aio.VonageOnboarding):  # type: ignore[misc]
    __doc__ = aio.VonageOnboarding.__doc__

    def restart(self, client: Any, *, vname_certificate: Optional[str] = None) -> str:  # type: ignore[override]
        """Starts over after the deployment ended in ``ERROR``: deletes it, waits until it
        is gone and goes back to creating one. Pass the corrected ``vname_certificate``
        when that is what failed."""
        if not _blocking(client):
            return run(self._restart(client, vname_certificate))
        certificate = _checks.optional_text(vname_certificate, "vname_certificate")
        return self._step(client, _wire.RESTART, vname_certificate=certificate)


class Digital99Onboarding(_SyncFlow, aio.Digital99Onboarding):  # type: ignore[misc]
    __doc__ = aio.Digital99Onboarding.__doc__


class PreverifiedVerification(_Steps, aio.PreverifiedVerification):
    __doc__ = aio.PreverifiedVerification.__doc__
    _flow = _wire.PREVERIFIED

    def advance(self, client: Any, *, code: Optional[str] = None) -> str:  # type: ignore[override]
        """Runs the next step, with the code when it needs one; returns what the step
        after needs. A failed step leaves the verification where it was."""
        if not _blocking(client):
            return run(aio.PreverifiedVerification.advance(self, client, code=code))
        return self._step(client, _wire.ADVANCE, code=_checks.optional_text(code, "code"))

    def resend(self, client: Any) -> str:  # type: ignore[override]
        """Sends the code again while one is awaited."""
        if not _blocking(client):
            return run(aio.PreverifiedVerification.resend(self, client))
        return self._step(client, _wire.RESEND)
