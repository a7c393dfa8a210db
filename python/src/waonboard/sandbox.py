"""The provider simulator on 127.0.0.1, from the wheel: no Rust toolchain, no network.

The same simulator as the repository's (``waonboard sandbox``, the npm package's
``waonboard/sandbox``): its request handling is in the wheel's native library, served here
by Python's own ``http.server`` in background threads. It plays Meta, Vonage and 99digital
with fake credentials, keeps their state, and hands out the one-time codes it "sends".

    from waonboard.sandbox import Sandbox

    with Sandbox(fixed_otp="123456") as sandbox:
        client = waonboard.MetaClient(sandbox.seed["meta"]["access_token"], base_url=sandbox.base_url("meta"))

Or in a shell, ``python -m waonboard.sandbox`` (prints the ``export`` lines that point
the README examples at it; Ctrl-C stops it).
"""

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Sequence

from ._native import waonboard_uniffi as _ffi

__all__ = ["Sandbox", "main"]

_PROVIDERS = ("meta", "vonage", "digital99")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Set before serving starts.
    engine: Any = None
    sandbox: "Sandbox"


class _Handler(BaseHTTPRequestHandler):
    """One connection: every request goes to the engine, which says what to answer."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet, as the other hosts
        pass

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _write(self, response: Any) -> None:
        self.send_response_only(response.status)
        for header in response.headers:
            self.send_header(header.name, header.value)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True

    def _serve(self) -> None:
        sandbox = self.server.sandbox
        path, _, query = self.path.partition("?")
        request = _ffi.SandboxRequest(
            method=self.command,
            path=path,
            query=query,
            headers=[_ffi.HttpHeader(name=name.lower(), value=value) for name, value in self.headers.items()],
            body=self._body(),
        )
        outcome = sandbox._engine.handle(request, sandbox._elapsed_ms())
        action = outcome.action
        if action == _ffi.SandboxAction.RESPOND:
            return self._write(outcome.response)
        if sandbox._stopping.wait(outcome.delay_ms / 1000):
            return self._drop()
        if action == _ffi.SandboxAction.RESUME:
            return self._write(sandbox._engine.resume(request, outcome.seq, sandbox._elapsed_ms()))
        if action == _ffi.SandboxAction.RESPOND_LATE:
            return self._write(outcome.response)
        return self._drop()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve


class _TrapHandler(_Handler):
    """The trap: where the ``redirect`` fault sends clients; it records who came."""

    def _serve(self) -> None:
        body = self._body()
        engine = self.server.sandbox._engine
        self._write(engine.trap(self.command, self.path, "authorization" in self.headers, len(body)))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve


class Sandbox:
    """The simulator, listening on 127.0.0.1 in background threads until ``close()``.

    ``port=0`` picks a free port; ``seed`` makes codes, ids and tokens repeatable;
    ``fixed_otp`` (6 digits) is sent as every one-time code, for tries by hand.
    """

    def __init__(self, *, port: int = 0, seed: Optional[int] = None, fixed_otp: Optional[str] = None) -> None:
        if fixed_otp is not None and not (len(fixed_otp) == 6 and fixed_otp.isdigit() and fixed_otp.isascii()):
            raise ValueError("fixed_otp must be 6 digits")
        self._stopping = threading.Event()
        self._servers: List[_Server] = []
        self._threads: List[threading.Thread] = []
        try:
            server = self._listen(port, _Handler)
            trap = self._listen(0, _TrapHandler)
        except BaseException:
            self.close()
            raise
        self._start = time.monotonic()
        self._engine = _ffi.SandboxEngine(
            _ffi.SandboxOptions(seed=seed, fixed_otp=fixed_otp),
            _origin(server),
            _origin(trap),
            int(time.time() * 1000),
            int.from_bytes(os.urandom(8), "little"),
        )
        #: ``http://127.0.0.1:PORT``, the root of the side channel (``/_sim/...``).
        self.url: str = _origin(server)
        #: Base URLs, fake credentials and seeded ids (the same as ``GET /_sim/seed``).
        self.seed: Dict[str, Any] = json.loads(self._engine.seed_json())
        for listening in self._servers:
            thread = threading.Thread(target=listening.serve_forever, name="waonboard-sandbox", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _listen(self, port: int, handler: type) -> _Server:
        server = _Server(("127.0.0.1", port), handler)
        server.sandbox = self
        self._servers.append(server)
        return server

    def _elapsed_ms(self) -> int:
        return int((time.monotonic() - self._start) * 1000)

    def base_url(self, provider: str) -> str:
        """The base URL a client uses for ``provider`` (``meta``, ``vonage``, ``digital99``)."""
        return str(self.seed[_provider(provider)]["base_url"])

    def env(self) -> Dict[str, str]:
        """The ``WAONBOARD_*`` variables that point the CLI and the README examples here."""
        return {variable.name: variable.value for variable in self._engine.env()}

    def otp(self, provider: str, key: str) -> Optional[str]:
        """The code waiting for a number (Meta: its phone_number_id; Vonage: the
        deployment_id; 99digital: the number's digits), or ``None``."""
        name = {"meta": "phone_number_id", "vonage": "deployment_id", "digital99": "whatsapp"}[_provider(provider)]
        query = urllib.parse.urlencode({"provider": _provider(provider), name: key})
        try:
            with urllib.request.urlopen(f"{self.url}/_sim/otp?{query}", timeout=10) as answer:
                return str(json.loads(answer.read())["code"])
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def close(self) -> None:
        """Stops listening; requests held by a fault end unanswered."""
        self._stopping.set()
        for server in self._servers:
            if self._threads:
                server.shutdown()
            server.server_close()
        self._threads.clear()
        self._servers.clear()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<waonboard.sandbox.Sandbox {self.url}>"


def _origin(server: _Server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def _provider(name: str) -> str:
    key = {"99digital": "digital99"}.get(name.lower(), name.lower())
    if key not in _PROVIDERS:
        raise ValueError(f"provider must be one of meta, vonage, digital99, not {name!r}")
    return key


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m waonboard.sandbox [--port N] [--seed N] [--fixed-otp CODE]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m waonboard.sandbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--seed", type=int, help="seed of the codes, ids and tokens, for repeatable runs")
    parser.add_argument("--fixed-otp", metavar="CODE", help="send this 6-digit code every time")
    args = parser.parse_args(argv)
    try:
        sandbox = Sandbox(port=args.port, seed=args.seed, fixed_otp=args.fixed_otp)
    except ValueError as error:
        parser.error(str(error))
    with sandbox:
        exports = "\n".join(f"  export {name}={value}" for name, value in sandbox.env().items())
        print(
            f"waonboard sandbox: Meta, Vonage and 99digital simulated on {sandbox.url}"
            " (loopback only; every credential is fake)\n\n"
            f"point the clients here (the README examples read these):\n{exports}\n\n"
            "one-time codes, through the side channel (404 while none is waiting):\n"
            f"  curl '{sandbox.url}/_sim/otp?provider=meta&phone_number_id=<id>'\n\n"
            f"everything seeded (also at {sandbox.url}/_sim/seed):\n{json.dumps(sandbox.seed, indent=2)}\n\n"
            "Ctrl-C stops it.",
            flush=True,
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping the sandbox", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
