"""The blocking clients and flows: each call runs the asyncio one to completion."""

import asyncio
import concurrent.futures
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, TypeVar

from . import aio
from ._clients import add_operations

T = TypeVar("T")


def _run(awaitable: Awaitable[T]) -> T:
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


def _blocking(method: Callable[..., Awaitable[T]]) -> Callable[..., T]:
    def blocking(self: Any, **params: Any) -> T:
        return _run(method(self._aio, **params))

    blocking.__name__ = blocking.__qualname__ = method.__name__
    blocking.__doc__ = method.__doc__
    blocking.__wrapped__ = method  # type: ignore[attr-defined]  # its signature, for help()
    return blocking


class _SyncClient:
    _aio: Any

    @property
    def _native(self) -> Any:
        return self._aio._native

    def call(self, operation: str, params: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Sends one operation (``request_code`` or ``meta.request_code``) with the
        contract's params; returns its result."""
        return _run(self._aio.call(operation, params))

    @property
    def guard_state(self) -> str:
        """The guard state as JSON: save it, and pass it back as ``guard_state=``."""
        return str(self._aio.guard_state)


class MetaClient(_SyncClient):
    """Meta's WhatsApp Cloud API with a system-user access token."""

    def __init__(self, access_token: str, **options: Any) -> None:
        self._aio = aio.MetaClient(access_token, **options)

    def list_all_phone_numbers(
        self,
        *,
        waba_id: str,
        fields: Optional[Sequence[str]] = None,
        sort: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """Every phone number of a WhatsApp Business Account, following Meta's paging."""
        return _run(self._aio.list_all_phone_numbers(waba_id=waba_id, fields=fields, sort=sort, limit=limit))


class VonageClient(_SyncClient):
    """Vonage's WhatsApp Provisioning API with a JWT."""

    def __init__(self, access_token: str, **options: Any) -> None:
        self._aio = aio.VonageClient(access_token, **options)

    def wait_for_state(self, *, deployment_id: str, states: Sequence[str] = ("READY",)) -> Dict[str, Any]:
        """Polls a deployment until its state is one of ``states``."""
        return _run(self._aio.wait_for_state(deployment_id=deployment_id, states=states))


class Digital99Client(_SyncClient):
    """The 99digital Partners API: trades the client ID and secret for access tokens, or
    uses an ``access_token`` the app already has."""

    def __init__(self, client_id: Optional[str] = None, client_secret: Optional[str] = None, **options: Any) -> None:
        self._aio = aio.Digital99Client(client_id, client_secret, **options)


add_operations(MetaClient, "meta", _blocking)
add_operations(VonageClient, "vonage", _blocking)
add_operations(Digital99Client, "digital99", _blocking)


class _SyncFlow:
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
        return _run(self._advance(client, code, pin, checkpoint))  # type: ignore[attr-defined]

    def resend(self, client: Any, *, checkpoint: Optional[Callable[[str], Any]] = None) -> str:
        """Sends the code again while one is awaited; ``checkpoint`` as in ``advance``."""
        return _run(self._resend(client, checkpoint))  # type: ignore[attr-defined]


class MetaOnboarding(_SyncFlow, aio.MetaOnboarding):  # type: ignore[misc]
    __doc__ = aio.MetaOnboarding.__doc__


class VonageOnboarding(_SyncFlow, aio.VonageOnboarding):  # type: ignore[misc]
    __doc__ = aio.VonageOnboarding.__doc__

    def restart(self, client: Any, *, vname_certificate: Optional[str] = None) -> str:  # type: ignore[override]
        """Starts over after the deployment ended in ``ERROR``: deletes it, waits until it
        is gone and goes back to creating one. Pass the corrected ``vname_certificate``
        when that is what failed."""
        return _run(self._restart(client, vname_certificate))  # type: ignore[attr-defined]


class Digital99Onboarding(_SyncFlow, aio.Digital99Onboarding):  # type: ignore[misc]
    __doc__ = aio.Digital99Onboarding.__doc__


class PreverifiedVerification(aio.PreverifiedVerification):
    __doc__ = aio.PreverifiedVerification.__doc__

    def advance(self, client: Any, *, code: Optional[str] = None) -> str:  # type: ignore[override]
        """Runs the next step, with the code when it needs one; returns what the step
        after needs. A failed step leaves the verification where it was."""
        return _run(super().advance(client, code=code))

    def resend(self, client: Any) -> str:  # type: ignore[override]
        """Sends the code again while one is awaited."""
        return _run(super().resend(client))
