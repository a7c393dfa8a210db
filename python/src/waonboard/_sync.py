"""The blocking clients. Each call crosses into the library once, through its plain C ABI
(``_wire``), and blocks the calling thread there: no event loop is made, and neither
asyncio nor uniffi's generated module is imported. The blocking flows (``_sync_flows``)
load on first use."""

from __future__ import annotations

import json

from . import _checks, _options, _wire
from ._errors import TransportError, ValidationError, failure_dict
from ._http import HttpRequest, HttpResponse
from ._ops import OPERATIONS, describe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

    from ._http import Transport
    from ._sync_flows import (
        Digital99Onboarding,
        MetaOnboarding,
        PreverifiedVerification,
        VonageOnboarding,
    )

_FLOWS = ("MetaOnboarding", "VonageOnboarding", "Digital99Onboarding", "PreverifiedVerification")


def __getattr__(name: str) -> object:
    if name not in _FLOWS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import _sync_flows

    value = getattr(_sync_flows, name)
    globals()[name] = value
    return value


def _sender(transport: Any) -> Any:
    """The app's transport as the callback the library calls, on the calling thread."""
    reply_response, reply_failure, read, dumps = _wire.reply_response, _wire.reply_failure, _wire.read, json.dumps

    def send(request: int, length: int, reply: int) -> None:
        try:
            method, url, headers, body = json.loads(read(request, length))
            response = transport.send(HttpRequest(method, url, [(name, value) for name, value in headers], body))
            if hasattr(response, "__await__"):
                response = _wait(response)
            if not isinstance(response, HttpResponse):
                raise TransportError(f"the transport returned {type(response).__name__}, not HttpResponse")
        except Exception as error:  # every failure crosses as the error it stands for
            failure = dumps(failure_dict(error)).encode()
            reply_failure(reply, failure, len(failure))
            return
        encoded = dumps(response.headers).encode()
        reply_response(reply, response.status, encoded, len(encoded), response.body, len(response.body))

    return _wire.CALLBACK(send)


def _wait(awaitable: Any) -> Any:
    """An ``async`` transport's answer, for a blocking client: only then is asyncio loaded."""
    from ._sync_flows import run

    return run(awaitable)


def _method(provider: str, name: str, required: Tuple[str, ...], optional: Tuple[str, ...]) -> Any:
    allowed = frozenset(required + optional)

    def method(self: _SyncClient, **params: Any) -> Dict[str, Any]:
        if not allowed.issuperset(params):
            unknown = sorted(set(params) - allowed)
            raise TypeError(f"{name}() got unexpected keyword arguments: {', '.join(unknown)}")
        return self.call(name, {key: value for key, value in params.items() if value is not None})

    method.__name__ = method.__qualname__ = name
    describe(method, provider, name)
    return method


class _SyncClient:
    _provider = ""
    _wire: _wire.Client

    def _connect(self, credentials: Dict[str, Optional[str]], transport: Any, options: Dict[str, Any]) -> None:
        spec = json.dumps({**options, **credentials, "provider": self._provider})
        try:
            self._wire = _wire.Client(spec, None if transport is None else _sender(transport))
        except ValidationError as error:
            renamed = _options.renamed_guard_state(error)
            if renamed is error:
                raise
            raise renamed from None

    def call(self, operation: str, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Sends one operation (``request_code`` or ``meta.request_code``) with the
        contract's params; returns its result."""
        result: Dict[str, Any] = self._wire.call(_checks.text(operation, "operation"), _checks.dumps(params, "params"))
        return result

    @property
    def guard_state(self) -> str:
        """The guard state as JSON: save it, and pass it back as ``guard_state=``."""
        return self._wire.guard_state()

    @property
    def _native(self) -> Any:
        raise TypeError("a waonboard.aio flow steps with a waonboard.aio client, not a blocking one")


class MetaClient(_SyncClient):
    """Meta's WhatsApp Cloud API with a system-user access token."""

    _provider = "meta"

    def __init__(
        self,
        access_token: str,
        *,
        base_url: Optional[str] = None,
        api_version: Optional[str] = None,
        transport: Optional[Transport] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[Mapping[str, int]] = None,
        guard_limits: Optional[Mapping[str, Tuple[int, int]]] = None,
        guard_state: Optional[str] = None,
    ) -> None:
        options = _options.checked(
            base_url=base_url,
            api_version=api_version,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            guard_limits=guard_limits,
            guard_state=guard_state,
        )
        self._connect({"access_token": _checks.text(access_token, "access_token")}, transport, options)

    def list_all_phone_numbers(
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
        params = {
            "waba_id": _checks.text(waba_id, "waba_id"),
            "fields": None if fields is None else list(fields),
            "sort": _checks.optional_text(sort, "sort"),
            "limit": None if limit is None else _checks.count(limit, "limit", limit=_options.U32),
        }
        return list(self._wire.list_all(json.dumps(params)))


class VonageClient(_SyncClient):
    """Vonage's WhatsApp Provisioning API with a JWT."""

    _provider = "vonage"

    def __init__(
        self,
        access_token: str,
        *,
        base_url: Optional[str] = None,
        transport: Optional[Transport] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[Mapping[str, int]] = None,
        poll: Optional[Mapping[str, int]] = None,
    ) -> None:
        options = _options.checked(
            base_url=base_url, timeout=timeout, connect_timeout=connect_timeout, retry=retry, poll=poll
        )
        self._connect({"access_token": _checks.text(access_token, "access_token")}, transport, options)

    def wait_for_state(self, *, deployment_id: str, states: Sequence[str] = ("READY",)) -> Dict[str, Any]:
        """Polls a deployment until its state is one of ``states``; ``ERROR`` raises a
        ``ProviderError``, the poll deadline a ``TimeoutError``."""
        if isinstance(states, str) or not all(isinstance(state, str) for state in states):
            raise _checks.invalid("states", "must be a list of state names, e.g. ['READY']")
        deployment_id = _checks.text(deployment_id, "deployment_id")
        return dict(self._wire.wait_for_state(deployment_id, json.dumps(list(states))))


class Digital99Client(_SyncClient):
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
        transport: Optional[Transport] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[Mapping[str, int]] = None,
        guard_limits: Optional[Mapping[str, Tuple[int, int]]] = None,
        guard_state: Optional[str] = None,
    ) -> None:
        options = _options.checked(
            base_url=base_url,
            verify_number_path=verify_number_path,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            guard_limits=guard_limits,
            guard_state=guard_state,
        )
        credentials = _options.digital99_credentials(access_token, client_id, client_secret)
        self._connect(credentials, transport, options)


for _cls in (MetaClient, VonageClient, Digital99Client):
    for _name, _required, _optional in OPERATIONS[_cls._provider]:
        setattr(_cls, _name, _method(_cls._provider, _name, _required, _optional))
del _cls, _name, _required, _optional
