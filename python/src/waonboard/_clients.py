"""What the asyncio clients and all flows share: the native options, the app-transport
bridge, the per-operation methods (made from the table in ``_ops``) and the flows' state."""

import asyncio
import inspect
import json
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Tuple, TypeVar

from . import _checks, _log, _options
from ._errors import TimeoutError as _TimeoutError
from ._errors import TransportError, ValidationError, WaonboardError, from_native, to_native
from ._http import HttpRequest, HttpResponse
from ._http import Transport as Transport
from ._native import waonboard_uniffi as _ffi
from ._ops import OPERATIONS, describe

T = TypeVar("T")


def _failure(error: BaseException) -> "_ffi.WaonboardError":
    if isinstance(error, WaonboardError):
        return to_native(error, error.__cause__)
    if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
        return to_native(_TimeoutError(f"no answer in time: {error}", retryable=True), error)
    return to_native(TransportError(f"the request failed: {type(error).__name__}: {error}", retryable=True), error)


class _Bridge(_ffi.HttpTransport):
    """The native transport interface over a Python one."""

    def __init__(self, transport: Any) -> None:
        self._transport = transport
        self._is_async = asyncio.iscoroutinefunction(transport.send)

    async def send(self, request: "_ffi.HttpRequest") -> "_ffi.HttpResponse":
        wrapped = HttpRequest._from_native(request)
        try:
            if self._is_async:
                response = await self._transport.send(wrapped)
            else:
                response = await asyncio.get_running_loop().run_in_executor(None, self._transport.send, wrapped)
        except Exception as error:  # every failure crosses as a WaonboardError
            raise _failure(error) from None
        if not isinstance(response, HttpResponse):
            raise to_native(TransportError(f"the transport returned {type(response).__name__}, not HttpResponse"))
        return response._to_native()


class _LogListener(_ffi.HttpListener):
    """Hands each attempt of the asyncio clients to ``_log``."""

    def on_request(self, event: "_ffi.RequestEvent") -> None:
        _log.attempt(event.operation, event.method, event.host, event.path, event.attempt)

    def on_response(self, event: "_ffi.ResponseEvent") -> None:
        _log.attempt(
            event.operation, event.method, event.host, event.path, event.attempt,
            ended=True, status=event.status, duration_ms=event.duration_ms, error=event.error,
        )  # fmt: skip


_LISTENER = _LogListener()


class _CheckpointBridge(_ffi.FlowCheckpoint):
    """The native checkpoint interface over a Python callable of the state's JSON."""

    def __init__(self, save: Callable[[str], Any]) -> None:
        self._save = save

    def save(self, state_json: str) -> None:
        try:
            saved = self._save(state_json)
        except Exception as error:  # any failure stops the step before the write leaves
            raise _ffi.CheckpointError.Failed(reason=f"{type(error).__name__}: {error}") from None
        if inspect.isawaitable(saved):
            # Nobody would await it: the state would not be saved, yet the write would leave.
            if inspect.iscoroutine(saved):
                saved.close()
            raise _ffi.CheckpointError.Failed(reason="it returned an awaitable; a checkpoint saves before it returns")


def _checkpoint(checkpoint: Optional[Callable[[str], Any]]) -> Optional[_CheckpointBridge]:
    if checkpoint is None:
        return None
    if not callable(checkpoint) or inspect.iscoroutinefunction(checkpoint):
        raise _checks.invalid("checkpoint", "must be a plain (not async) function of the state's JSON text")
    return _CheckpointBridge(checkpoint)


def native_options(*, transport: Any = None, **options: Any) -> "_ffi.ClientOptions":
    """The native options from the clients' keyword arguments, each checked under the
    name the caller wrote."""
    checked = _options.checked(**options)
    retry, poll, limits = checked.pop("retry"), checked.pop("poll"), checked.pop("guard_limits")
    return _ffi.ClientOptions(
        **checked,
        transport=None if transport is None else _Bridge(transport),
        retry=None if retry is None else _ffi.RetryOptions(**retry),
        poll=None if poll is None else _ffi.PollOptions(**poll),
        guard_limits=None
        if limits is None
        else _ffi.GuardLimits(**{name: _ffi.GuardLimit(**limit) for name, limit in limits.items()}),
        listener=_LISTENER,
    )


def native_client(constructor: Callable[..., T], *args: Any) -> T:
    """Makes a native client; an error about its guard state names ``guard_state``, the
    keyword Python callers write (the native option is ``guard_state_json``)."""
    try:
        return native(constructor, *args)
    except ValidationError as error:
        renamed = _options.renamed_guard_state(error)
        if renamed is error:
            raise
        raise renamed from None


def native(function: Callable[..., T], *args: Any) -> T:
    """Calls a native function, raising the Python exception for its error."""
    try:
        return function(*args)
    except _ffi.WaonboardError as error:
        raise from_native(error)  # noqa: B904 - from_native sets the cause


async def native_async(awaitable: Awaitable[T]) -> T:
    """Awaits a native coroutine, raising the Python exception for its error."""
    try:
        return await awaitable
    except _ffi.WaonboardError as error:
        raise from_native(error)  # noqa: B904 - from_native sets the cause


class AsyncClientBase:
    """The asyncio client of one provider; the methods come from ``_ops``."""

    _provider = ""
    _native: Any

    async def call(self, operation: str, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Sends one operation (``request_code`` or ``meta.request_code``) with the
        contract's params; returns its result."""
        operation = _checks.text(operation, "operation")
        return json.loads(await native_async(self._native.call(operation, _checks.dumps(params, "params"))))

    @property
    def guard_state(self) -> str:
        """The guard state as JSON: save it, and pass it back as ``guard_state=``."""
        return str(self._native.guard_state_json())


def _async_method(provider: str, name: str, required: Tuple[str, ...], optional: Tuple[str, ...]) -> Any:
    allowed = frozenset(required + optional)

    async def method(self: AsyncClientBase, **params: Any) -> Dict[str, Any]:
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise TypeError(f"{name}() got unexpected keyword arguments: {', '.join(unknown)}")
        return await self.call(name, {key: value for key, value in params.items() if value is not None})

    method.__name__ = method.__qualname__ = name
    describe(method, provider, name)
    return method


def add_operations(cls: type, provider: str, wrap: Callable[[Any], Any] = lambda m: m) -> type:
    """Gives ``cls`` one method per operation of ``provider`` (wrapped by ``wrap``)."""
    for name, required, optional in OPERATIONS[provider]:
        setattr(cls, name, wrap(_async_method(provider, name, required, optional)))
    return cls


class FlowBase:
    """The state of an onboarding: saved with :meth:`to_json` between steps (it holds no
    code or PIN), restored with :meth:`from_json`."""

    _native_cls: Any = None
    _native: Any

    @classmethod
    def from_json(cls: Any, state: str) -> Any:
        flow = cls.__new__(cls)
        flow._native = native(cls._native_cls.from_json, _checks.text(state, "state"))
        return flow

    def to_json(self) -> str:
        return str(self._native.to_json())

    @property
    def needs(self) -> str:
        """What the next step needs: ``advance``, ``code``, ``pin`` or ``done``."""
        return str(self._native.needs().name.lower())

    async def _advance(
        self, client: Any, code: Optional[str], pin: Optional[str], checkpoint: Optional[Callable[[str], Any]]
    ) -> str:
        code, pin = _checks.optional_text(code, "code"), _checks.optional_text(pin, "pin")
        needs = await native_async(self._native.advance(client._native, code, pin, _checkpoint(checkpoint)))
        return str(needs.name.lower())

    async def _resend(self, client: Any, checkpoint: Optional[Callable[[str], Any]]) -> str:
        needs = await native_async(self._native.resend(client._native, _checkpoint(checkpoint)))
        return str(needs.name.lower())

    async def _restart(self, client: Any, vname_certificate: Optional[str]) -> str:
        vname_certificate = _checks.optional_text(vname_certificate, "vname_certificate")
        needs = await native_async(self._native.restart(client._native, vname_certificate))
        return str(needs.name.lower())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"


def meta_flow(phone_number_id: str, code_method: str, language: str, data_localization_region: Optional[str]) -> Any:
    return native(
        _ffi.MetaOnboarding,
        _checks.text(phone_number_id, "phone_number_id"),
        _checks.text(code_method, "code_method"),
        _checks.text(language, "language"),
        _checks.optional_text(data_localization_region, "data_localization_region"),
    )


def vonage_flow(
    phone_number: str, vname_certificate: str, method: str, waba_id: str, country: Optional[str]
) -> Any:
    return native(
        _ffi.VonageOnboarding,
        _checks.text(phone_number, "phone_number"),
        _checks.text(vname_certificate, "vname_certificate"),
        _checks.text(method, "method"),
        _checks.text(waba_id, "waba_id"),
        _checks.optional_text(country, "country"),
    )


def digital99_flow(
    phone_number: str, method: str, language: str, country: Optional[str], comment: Optional[str]
) -> Any:
    return native(
        _ffi.Digital99Onboarding,
        _checks.text(phone_number, "phone_number"),
        _checks.text(method, "method"),
        _checks.text(language, "language"),
        _checks.optional_text(country, "country"),
        _checks.optional_text(comment, "comment"),
    )
