"""What the sync and the asyncio clients share: options, the app-transport bridge, the
per-operation methods (made from the table in ``_ops``) and the flows' state."""

import asyncio
import inspect
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Tuple, TypeVar

from . import _checks
from ._errors import TimeoutError as _TimeoutError
from ._errors import TransportError, ValidationError, WaonboardError, from_native, to_native
from ._http import HttpRequest, HttpResponse
from ._native import waonboard_uniffi as _ffi
from ._ops import OPERATIONS

T = TypeVar("T")


class Transport:
    """Base class for an app's own HTTP stack (httpx, requests, urllib, …): the core's
    retries, tokens, paging and guards then run over it. Override ``send``, plain or
    ``async``. A plain one runs in a worker thread. Return every HTTP answer, whatever its
    status, as an :class:`HttpResponse`; raise only when no answer came (a
    :class:`WaonboardError`, or any exception: it becomes a ``transport`` error, or a
    ``timeout`` error for ``TimeoutError``).

    **Turn redirects off** (httpx: ``follow_redirects=False``, its default; requests:
    ``allow_redirects=False``; urllib: an opener whose redirect handler returns ``None``)
    and return the 3xx as it is: the library makes it a ``ProviderError`` naming the
    status. A provider never redirects these calls, and a followed redirect would carry
    the PIN, code or client secret to another host."""

    def send(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError


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


logger = logging.getLogger("waonboard")


class _LogListener(_ffi.HttpListener):
    """Logs each attempt at a request on the ``waonboard`` logger, at DEBUG: the
    operation, method, host, path (no query), attempt, then status, duration and error
    kind, also as the record's attributes of those names. The native side never hands
    it a query, header or body, so no record can hold a token, secret, PIN or code."""

    def on_request(self, event: "_ffi.RequestEvent") -> None:
        if logger.isEnabledFor(logging.DEBUG):
            self._log("%s %s %s%s: attempt %d", event, event.attempt)

    def on_response(self, event: "_ffi.ResponseEvent") -> None:
        if logger.isEnabledFor(logging.DEBUG):
            outcome = f"HTTP {event.status}" if event.status is not None else "no answer"
            if event.error is not None:
                outcome += f" ({event.error})"
            self._log("%s %s %s%s: attempt %d: %s in %d ms", event, event.attempt, outcome, event.duration_ms)

    @staticmethod
    def _log(message: str, event: Any, *args: Any) -> None:
        fields = {name: getattr(event, name) for name in ("operation", "method", "host", "path", "attempt")}
        for name in ("status", "duration_ms", "error"):
            if hasattr(event, name):
                fields[name] = getattr(event, name)
        try:
            logger.debug(message, event.operation, event.method, event.host, event.path, *args, extra=fields)
        except Exception:  # a logging failure must not fail the call (nor cross into Rust)
            pass


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


_RETRY_OPTIONS = {"max_attempts", "base_delay_ms", "max_delay_ms", "max_retry_after_ms"}
_POLL_OPTIONS = {"initial_interval_ms", "max_interval_ms", "timeout_ms"}
_GUARD_LIMITS = {"digital99_code_requests", "meta_registrations", "meta_deregistrations"}
_U32 = 2**32 - 1


def _guard_limits(limits: Any) -> Optional["_ffi.GuardLimits"]:
    if limits is None:
        return None
    if not isinstance(limits, Mapping):
        raise _checks.invalid("guard_limits", "must be a mapping of limit names to (max, window_ms)")
    built = {}
    for name, limit in limits.items():
        field = f"guard_limits.{name}"
        if name not in _GUARD_LIMITS:
            raise _checks.invalid(field, f"is not a limit; the limits are {', '.join(sorted(_GUARD_LIMITS))}")
        if not isinstance(limit, (tuple, list)) or len(limit) != 2:
            raise _checks.invalid(field, "must be a pair (max, window_ms)")
        built[name] = _ffi.GuardLimit(
            max=_checks.count(limit[0], f"{field}.max", limit=_U32), window_ms=_checks.count(limit[1], f"{field}.window_ms")
        )
    return _ffi.GuardLimits(**built)


def native_options(
    *,
    base_url: Optional[str] = None,
    api_version: Optional[str] = None,
    verify_number_path: Optional[str] = None,
    transport: Any = None,
    timeout: Optional[float] = None,
    connect_timeout: Optional[float] = None,
    retry: Optional[Mapping[str, int]] = None,
    poll: Optional[Mapping[str, int]] = None,
    guard_limits: Optional[Mapping[str, Tuple[int, int]]] = None,
    guard_state: Optional[str] = None,
) -> "_ffi.ClientOptions":
    """The native options from the clients' keyword arguments, each checked under the
    name the caller wrote."""
    retry = _checks.options(retry, "retry", _RETRY_OPTIONS)
    if retry is not None and "max_attempts" in retry:
        _checks.count(retry["max_attempts"], "retry.max_attempts", limit=_U32)
    poll = _checks.options(poll, "poll", _POLL_OPTIONS)
    return _ffi.ClientOptions(
        base_url=_checks.optional_text(base_url, "base_url"),
        api_version=_checks.optional_text(api_version, "api_version"),
        verify_number_path=_checks.optional_text(verify_number_path, "verify_number_path"),
        transport=None if transport is None else _Bridge(transport),
        connect_timeout_ms=_checks.seconds(connect_timeout, "connect_timeout"),
        request_timeout_ms=_checks.seconds(timeout, "timeout"),
        retry=None if retry is None else _ffi.RetryOptions(**retry),
        poll=None if poll is None else _ffi.PollOptions(**poll),
        guard_limits=_guard_limits(guard_limits),
        guard_state_json=_checks.optional_text(guard_state, "guard_state"),
        listener=_LISTENER,
    )


def native_client(constructor: Callable[..., T], *args: Any) -> T:
    """Makes a native client; an error about its guard state names ``guard_state``, the
    keyword Python callers write (the native option is ``guard_state_json``)."""
    try:
        return native(constructor, *args)
    except ValidationError as error:
        if error.field != "guard_state_json":
            raise
        detail = error.detail.replace("guard_state_json", "guard_state")
        raise ValidationError(detail, field="guard_state") from None


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
    method.__doc__ = f"``{provider}.{name}``; see docs/contract.md for its params and result."
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
