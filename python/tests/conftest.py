"""Shared fixtures: the installed wheel (never the source tree) and its sandbox."""

import json
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

import pytest

from waonboard.sandbox import Sandbox


class Simulator:
    """The provider simulator (simulator/README.md), driven over its side channel."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seed: Dict[str, Any] = self.get("/_sim/seed")

    def request(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def base_url(self, provider: str) -> str:
        return str(self.seed[provider]["base_url"])

    def otp(self, provider: str, **subject: str) -> str:
        query = "&".join(f"{key}={value}" for key, value in subject.items())
        return str(self.get(f"/_sim/otp?provider={provider}&{query}")["code"])

    def requests(self, op: Optional[str] = None) -> List[Dict[str, Any]]:
        log = self.get("/_sim/requests")
        return [entry for entry in log if op is None or entry.get("op") == op]

    def fault(self, rule: Dict[str, Any]) -> None:
        self.request("POST", "/_sim/faults", rule)

    def reset(self) -> None:
        self.request("POST", "/_sim/reset", {})


@pytest.fixture(scope="session")
def simulator_process() -> Iterator[str]:
    """The wheel's own sandbox (the simulator's engine behind http.server), so the
    end-to-end tests need no cargo and hold that host to the same suite."""
    with Sandbox() as sandbox:
        yield sandbox.url


@pytest.fixture
def sim(simulator_process: str) -> Simulator:
    simulator = Simulator(simulator_process)
    simulator.reset()
    return simulator
