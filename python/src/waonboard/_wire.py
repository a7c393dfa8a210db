"""The native library's plain C ABI (bindings-uniffi/src/wire.rs) through ctypes: what
``prepare``, ``parse`` and the blocking clients run on. Each call crosses once, with
JSON text in and out, and blocks its thread without an event loop (ctypes lets go of
the GIL while the library works). uniffi's generated module, which the asyncio clients
use, is not loaded: it imports asyncio and converts records field by field."""

from __future__ import annotations

import ctypes
import json
import os
import sys

from . import _log
from ._errors import from_dict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Tuple

_NATIVE = os.path.join(os.path.dirname(__file__), "_native")


def _library_path() -> str:
    if sys.platform == "win32":
        names = ["waonboard_uniffi.dll"]
    elif sys.platform == "darwin":
        names = ["libwaonboard_uniffi.dylib"]
    else:
        names = ["libwaonboard_uniffi.so"]
    for name in names:
        path = os.path.join(_NATIVE, name)
        if os.path.exists(path):
            return path
    raise ImportError(f"waonboard's native library is missing from {_NATIVE}")


class _Out(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_size_t)]


_lib = ctypes.CDLL(_library_path())
_BYTES = ctypes.c_char_p
_SIZE = ctypes.c_size_t
_PTR = ctypes.c_void_p
_OUT = ctypes.POINTER(_Out)
#: The app's transport and checkpoint as the library calls them: (bytes, length, reply).
CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, _SIZE, _PTR)


def _declare(name: str, *argtypes: Any, restype: Any = ctypes.c_int32) -> Any:
    function = getattr(_lib, f"waonboard_wire_{name}")
    function.argtypes = argtypes
    function.restype = restype
    return function


#: How the library tells of each attempt (see ``waonboard_wire_listen``).
_LISTEN = ctypes.CFUNCTYPE(None, ctypes.c_int32, ctypes.c_void_p, _SIZE, ctypes.c_uint32, ctypes.c_int32, ctypes.c_int64)


@_LISTEN
def _heard(phase: int, text: int, length: int, attempt: int, status: int, duration_ms: int) -> None:
    if not _log.enabled():  # before decoding the event
        return
    operation, method, host, path, error = ctypes.string_at(text, length).decode().split("\n")
    if phase == 0:
        _log.attempt(operation, method, host, path, attempt)
    else:
        _log.attempt(
            operation, method, host, path, attempt,
            ended=True, status=None if status < 0 else status, duration_ms=duration_ms, error=error or None,
        )  # fmt: skip


_declare("listen", _LISTEN, restype=None)(_heard)
_free = _declare("free", _PTR, _SIZE, restype=None)
_prepare = _declare("prepare", _BYTES, _SIZE, _BYTES, _SIZE, _BYTES, _SIZE, _OUT)
_parse = _declare("parse", _BYTES, _SIZE, ctypes.c_uint16, _BYTES, _SIZE, _BYTES, _SIZE, _OUT)
_operations = _declare("operations", _OUT)
_client_new = _declare("client_new", _BYTES, _SIZE, CALLBACK, ctypes.POINTER(_PTR), _OUT)
_client_free = _declare("client_free", _PTR, restype=None)
_client_call = _declare("client_call", _PTR, _BYTES, _SIZE, _BYTES, _SIZE, _OUT)
_client_list_all = _declare("client_list_all", _PTR, _BYTES, _SIZE, _OUT)
_client_wait_for_state = _declare("client_wait_for_state", _PTR, _BYTES, _SIZE, _BYTES, _SIZE, _OUT)
_client_guard_state = _declare("client_guard_state", _PTR, _OUT)
_flow_step = _declare(
    "flow_step", _PTR, ctypes.c_uint8, ctypes.c_uint8, _BYTES, _SIZE, _BYTES, _SIZE, _BYTES, _SIZE, _BYTES, _SIZE,
    CALLBACK, _OUT,
)  # fmt: skip
reply_response = _declare("reply_response", _PTR, ctypes.c_uint16, _BYTES, _SIZE, _BYTES, _SIZE, restype=None)
reply_failure = _declare("reply_failure", _PTR, _BYTES, _SIZE, restype=None)

_string_at = ctypes.string_at
#: The bytes a callback is handed: ``read(pointer, length)``.
read = ctypes.string_at
_byref = ctypes.byref
_loads = json.loads


def _answer(status: int, out: _Out) -> bytes:
    """The bytes the library handed out (given back at once); its error, raised."""
    data = _string_at(out.data, out.len)
    _free(out.data, out.len)
    if status:
        raise from_dict(_loads(data))
    return data


def _optional(text: Optional[str]) -> Tuple[Optional[bytes], int]:
    if text is None:
        return None, 0
    encoded = text.encode()
    return encoded, len(encoded)


def prepare(operation: str, params_json: str, config_json: str) -> List[Any]:
    """The request as ``[method, url, [[name, value], …], body]``."""
    op, params, config = operation.encode(), params_json.encode(), config_json.encode()
    out = _Out()
    status = _prepare(op, len(op), params, len(params), config, len(config), _byref(out))
    return list(_loads(_answer(status, out)))


def parse(operation: str, status: int, headers_json: str, body: bytes) -> Any:
    op, headers = operation.encode(), headers_json.encode()
    out = _Out()
    code = _parse(op, len(op), status, headers, len(headers), body, len(body), _byref(out))
    return _loads(_answer(code, out))


def operations() -> List[str]:
    out = _Out()
    return list(_loads(_answer(_operations(_byref(out)), out)))


#: The flows `flow_step` runs, and its steps.
ONBOARDING, PREVERIFIED = 0, 1
ADVANCE, RESEND, RESTART = 0, 1, 2
_NO_CALLBACK = ctypes.cast(None, CALLBACK)


class Client:
    """A native client; it is freed with this object. ``send``, the app's transport as a
    :data:`CALLBACK`, is kept alive as long as the client."""

    __slots__ = ("_handle", "_send")

    def __init__(self, spec_json: str, send: Optional[Any] = None) -> None:
        self._handle = None
        self._send = send
        spec = spec_json.encode()
        handle = _PTR()
        out = _Out()
        status = _client_new(spec, len(spec), _NO_CALLBACK if send is None else send, _byref(handle), _byref(out))
        _answer(status, out)
        self._handle = handle.value

    def __del__(self, _free_client: Callable[[Any], None] = _client_free) -> None:
        if self._handle:
            _free_client(self._handle)
            self._handle = None

    def call(self, operation: str, params_json: str) -> Any:
        op, params = operation.encode(), params_json.encode()
        out = _Out()
        status = _client_call(self._handle, op, len(op), params, len(params), _byref(out))
        return _loads(_answer(status, out))

    def list_all(self, params_json: str) -> Any:
        params = params_json.encode()
        out = _Out()
        return _loads(_answer(_client_list_all(self._handle, params, len(params), _byref(out)), out))

    def wait_for_state(self, deployment_id: str, states_json: str) -> Any:
        deployment, states = deployment_id.encode(), states_json.encode()
        out = _Out()
        status = _client_wait_for_state(self._handle, deployment, len(deployment), states, len(states), _byref(out))
        return _loads(_answer(status, out))

    def guard_state(self) -> str:
        out = _Out()
        return _answer(_client_guard_state(self._handle, _byref(out)), out).decode()

    def flow_step(
        self,
        flow: int,
        step: int,
        state: str,
        code: Optional[str] = None,
        pin: Optional[str] = None,
        vname_certificate: Optional[str] = None,
        save: Optional[Any] = None,
    ) -> Tuple[str, Optional[str], Optional[BaseException]]:
        """One step of a saved flow: its state after the step (moved on even when the
        step failed), what it needs next, and the error if it failed."""
        encoded = state.encode()
        code_bytes, code_len = _optional(code)
        pin_bytes, pin_len = _optional(pin)
        cert_bytes, cert_len = _optional(vname_certificate)
        out = _Out()
        status = _flow_step(
            self._handle, flow, step, encoded, len(encoded), code_bytes, code_len, pin_bytes, pin_len,
            cert_bytes, cert_len, _NO_CALLBACK if save is None else save, _byref(out),
        )  # fmt: skip
        data = _string_at(out.data, out.len)
        _free(out.data, out.len)
        answer = _loads(data)
        if "state" not in answer:  # the step did not run: the state or an argument was refused
            raise from_dict(answer)
        error = from_dict(answer["error"]) if status else None
        return answer["state"], answer["needs"], error
