"""The asyncio clients and flows: the same as ``waonboard``'s, with ``async`` methods.

    client = waonboard.aio.MetaClient(access_token="EAAG…")
    await client.request_code(phone_number_id="106540352242922", code_method="sms", language="en_US")
"""

import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _checks, _options
from ._clients import (
    AsyncClientBase,
    FlowBase,
    add_operations,
    digital99_flow,
    meta_flow,
    native,
    native_async,
    native_client,
    native_options,
    vonage_flow,
)
from ._native import waonboard_uniffi as _ffi

__all__ = [
    "MetaClient",
    "VonageClient",
    "Digital99Client",
    "MetaOnboarding",
    "VonageOnboarding",
    "Digital99Onboarding",
    "PreverifiedVerification",
]


class MetaClient(AsyncClientBase):
    """Meta's WhatsApp Cloud API with a system-user access token."""

    _provider = "meta"

    def __init__(
        self,
        access_token: str,
        *,
        base_url: Optional[str] = None,
        api_version: Optional[str] = None,
        transport: Any = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[Mapping[str, int]] = None,
        guard_limits: Optional[Mapping[str, Tuple[int, int]]] = None,
        guard_state: Optional[str] = None,
    ) -> None:
        options = native_options(
            base_url=base_url,
            api_version=api_version,
            transport=transport,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            guard_limits=guard_limits,
            guard_state=guard_state,
        )
        self._native = native_client(_ffi.MetaClient, _checks.text(access_token, "access_token"), options)

    async def list_all_phone_numbers(
        self,
        *,
        waba_id: str,
        fields: Optional[Sequence[str]] = None,
        sort: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """Every phone number of a WhatsApp Business Account, following Meta's paging."""
        if fields is not None and (isinstance(fields, str) or not all(isinstance(f, str) for f in fields)):
            raise _checks.invalid("fields", "must be a list of field names")
        listed = self._native.list_all_phone_numbers(
            _checks.text(waba_id, "waba_id"),
            None if fields is None else list(fields),
            _checks.optional_text(sort, "sort"),
            None if limit is None else _checks.count(limit, "limit", limit=2**32 - 1),
        )
        return list(json.loads(await native_async(listed)))


class VonageClient(AsyncClientBase):
    """Vonage's WhatsApp Provisioning API with a JWT."""

    _provider = "vonage"

    def __init__(
        self,
        access_token: str,
        *,
        base_url: Optional[str] = None,
        transport: Any = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[Mapping[str, int]] = None,
        poll: Optional[Mapping[str, int]] = None,
    ) -> None:
        options = native_options(
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            poll=poll,
        )
        self._native = native_client(_ffi.VonageClient, _checks.text(access_token, "access_token"), options)

    async def wait_for_state(self, *, deployment_id: str, states: Sequence[str] = ("READY",)) -> Dict[str, Any]:
        """Polls a deployment until its state is one of ``states``; ``ERROR`` raises a
        ``ProviderError``, the poll deadline a ``TimeoutError``."""
        if isinstance(states, str) or not all(isinstance(state, str) for state in states):
            raise _checks.invalid("states", "must be a list of state names, e.g. ['READY']")
        waited = self._native.wait_for_state(_checks.text(deployment_id, "deployment_id"), list(states))
        return dict(json.loads(await native_async(waited)))


class Digital99Client(AsyncClientBase):
    """The 99digital Partners API: trades the client ID and secret for access tokens as
    needed, and renews them; or uses an ``access_token`` the app already has (not renewed)."""

    _provider = "digital99"

    def __init__(
        self,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        *,
        access_token: Optional[str] = None,
        base_url: Optional[str] = None,
        verify_number_path: Optional[str] = None,
        transport: Any = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[Mapping[str, int]] = None,
        guard_limits: Optional[Mapping[str, Tuple[int, int]]] = None,
        guard_state: Optional[str] = None,
    ) -> None:
        options = native_options(
            base_url=base_url,
            verify_number_path=verify_number_path,
            transport=transport,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            guard_limits=guard_limits,
            guard_state=guard_state,
        )
        credentials = _options.digital99_credentials(access_token, client_id, client_secret)
        if "access_token" in credentials:
            self._native = native_client(_ffi.Digital99Client.with_access_token, credentials["access_token"], options)
        else:
            secret = credentials["client_secret"]
            self._native = native_client(_ffi.Digital99Client, credentials["client_id"], secret, options)


add_operations(MetaClient, "meta")
add_operations(VonageClient, "vonage")
add_operations(Digital99Client, "digital99")


class _AsyncFlow(FlowBase):
    async def advance(
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
        nothing sent (``ValidationError``, field ``checkpoint``). It is a plain function,
        called on the event loop's thread."""
        return await self._advance(client, code, pin, checkpoint)

    async def resend(self, client: Any, *, checkpoint: Optional[Callable[[str], Any]] = None) -> str:
        """Sends the code again while one is awaited; ``checkpoint`` as in ``advance``."""
        return await self._resend(client, checkpoint)


class MetaOnboarding(_AsyncFlow):
    """Meta: request_code → verify_code → readiness check → register."""

    _native_cls = _ffi.MetaOnboarding

    def __init__(
        self,
        *,
        phone_number_id: str,
        code_method: str,
        language: str,
        data_localization_region: Optional[str] = None,
    ) -> None:
        self._native = meta_flow(phone_number_id, code_method, language, data_localization_region)


class VonageOnboarding(_AsyncFlow):
    """Vonage: create_deployment → wait for CODE_SENT → verify_otp → wait for READY."""

    _native_cls = _ffi.VonageOnboarding

    def __init__(
        self,
        *,
        phone_number: str,
        vname_certificate: str,
        method: str,
        waba_id: str,
        country: Optional[str] = None,
    ) -> None:
        self._native = vonage_flow(phone_number, vname_certificate, method, waba_id, country)

    @property
    def deployment_id(self) -> Optional[str]:
        """The deployment, once created."""
        return self._native.deployment_id()

    async def restart(self, client: Any, *, vname_certificate: Optional[str] = None) -> str:
        """Starts over after the deployment ended in ``ERROR``: deletes it, waits until it
        is gone and goes back to creating one. Pass the corrected ``vname_certificate``
        when that is what failed."""
        return await self._restart(client, vname_certificate)


class Digital99Onboarding(_AsyncFlow):
    """99digital: register_number (sends the code) → verify_number."""

    _native_cls = _ffi.Digital99Onboarding

    def __init__(
        self,
        *,
        phone_number: str,
        method: str,
        language: str,
        country: Optional[str] = None,
        comment: Optional[str] = None,
    ) -> None:
        self._native = digital99_flow(phone_number, method, language, country, comment)

    @property
    def expiration(self) -> Optional[int]:
        """When the verified registration lapses, in Unix seconds, once verified."""
        return self._native.expiration()


class PreverifiedVerification(FlowBase):
    """A Meta pre-verified number: check its ID → request_code → verify_code. An ID Meta
    calls invalid raises ``ConflictError`` before any code is requested."""

    _native_cls = _ffi.PreverifiedVerification

    def __init__(self, *, preverified_id: str, code_method: str, language: str) -> None:
        self._native = native(_ffi.PreverifiedVerification, preverified_id, code_method, language)

    async def advance(self, client: Any, *, code: Optional[str] = None) -> str:
        """Runs the next step, with the code when it needs one; returns what the step
        after needs. A failed step leaves the verification where it was."""
        needs = await native_async(self._native.advance(client._native, code))
        return str(needs.name.lower())

    async def resend(self, client: Any) -> str:  # type: ignore[override]
        """Sends the code again while one is awaited."""
        needs = await native_async(self._native.resend(client._native))
        return str(needs.name.lower())
