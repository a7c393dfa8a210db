"""The sans-IO pair: ``prepare`` builds a request without sending it, ``parse`` reads an
answer. Requests and responses are plain objects; params, configs and results are dicts."""

from __future__ import annotations

import json
from collections.abc import Mapping

from . import _checks, _wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

    from ._native import waonboard_uniffi as _ffi

    Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def _header_pairs(headers: Optional[Headers]) -> List[Tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, dict):
        return [(str(name), str(value)) for name, value in headers.items()]
    if isinstance(headers, Mapping):
        return [(str(name), str(value)) for name, value in headers.items()]
    return [(str(name), str(value)) for name, value in headers]


def _find(headers: List[Tuple[str, str]], name: str) -> Optional[str]:
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), None)


class HttpRequest:
    """A request ready to send, exactly as built: ``method``, absolute ``url``,
    ``headers`` (list of name/value pairs, in order) and ``body`` (JSON text or None)."""

    __slots__ = ("method", "url", "headers", "body")

    def __init__(self, method: str, url: str, headers: List[Tuple[str, str]], body: Optional[str]) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body

    def header(self, name: str) -> Optional[str]:
        """The first header called ``name`` (any letter case)."""
        return _find(self.headers, name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HttpRequest) and all(
            getattr(self, slot) == getattr(other, slot) for slot in self.__slots__
        )

    def __repr__(self) -> str:
        # Neither the token nor the body (a PIN, a code, a client secret) is shown.
        shown = [(n, "[redacted]" if n.lower() == "authorization" else v) for n, v in self.headers]
        size = "None" if self.body is None else f"[{len(self.body.encode())} bytes]"
        return f"HttpRequest(method={self.method!r}, url={self.url!r}, headers={shown!r}, body={size})"

    @classmethod
    def _from_native(cls, request: _ffi.HttpRequest) -> HttpRequest:
        return cls(request.method, request.url, [(h.name, h.value) for h in request.headers], request.body)


class HttpResponse:
    """What came back: ``status``, ``headers`` (name/value pairs) and the raw ``body``."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: Optional[Headers] = None, body: Union[bytes, str] = b"") -> None:
        self.status = _checks.status(status)
        self.headers = _header_pairs(headers)
        self.body = _checks.body(body)

    def header(self, name: str) -> Optional[str]:
        """The first header called ``name`` (any letter case)."""
        return _find(self.headers, name)

    def __repr__(self) -> str:
        # A body may carry a fresh access token: only its size is shown.
        return f"HttpResponse(status={self.status}, headers={self.headers!r}, body=[{len(self.body)} bytes])"

    def _to_native(self) -> _ffi.HttpResponse:
        from ._native import waonboard_uniffi as _ffi

        headers = [_ffi.HttpHeader(name=n, value=v) for n, v in self.headers]
        return _ffi.HttpResponse(status=self.status, headers=headers, body=self.body)


class Transport:
    """Base class for an app's own HTTP stack (httpx, requests, urllib, …): the core's
    retries, tokens, paging and guards then run over it. Override ``send``, plain or
    ``async``. The blocking clients call a plain one on the calling thread, the asyncio
    ones in a worker thread. Return every HTTP answer, whatever its status, as an
    :class:`HttpResponse`; raise only when no answer came (a :class:`WaonboardError`,
    or any exception: it becomes a ``transport`` error, or a ``timeout`` error for
    ``TimeoutError``).

    **Turn redirects off** (httpx: ``follow_redirects=False``, its default; requests:
    ``allow_redirects=False``; urllib: an opener whose redirect handler returns ``None``)
    and return the 3xx as it is: the library makes it a ``ProviderError`` naming the
    status. A provider never redirects these calls, and a followed redirect would carry
    the PIN, code or client secret to another host."""

    def send(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError


def prepare(
    operation: str,
    params: Optional[Mapping[str, Any]] = None,
    config: Optional[Mapping[str, Any]] = None,
) -> HttpRequest:
    """Checks ``params`` for ``operation`` (e.g. ``meta.request_code``) and builds its
    request with ``config`` (``access_token``, ``base_url``, ``api_version``,
    ``verify_number_path``). Nothing is sent. Raises :class:`ValidationError`."""
    method, url, headers, body = _wire.prepare(
        _checks.text(operation, "operation"), _checks.dumps(params, "params"), _checks.dumps(config, "config")
    )
    return HttpRequest(method, url, [(name, value) for name, value in headers], body)


def parse(
    operation: str,
    status: int,
    headers: Optional[Headers] = None,
    body: Union[bytes, str] = b"",
) -> Dict[str, Any]:
    """Reads the answer to ``operation`` into its result (snake_case keys, absent fields
    left out), or raises the :class:`WaonboardError` it stands for."""
    operation = _checks.text(operation, "operation")
    response = HttpResponse(status, headers, body)
    result: Dict[str, Any] = _wire.parse(operation, response.status, _dumps(response.headers), response.body)
    return result


def operations() -> List[str]:
    """Every operation id, e.g. ``meta.request_code``."""
    return _wire.operations()


_dumps = json.dumps
