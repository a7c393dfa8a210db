"""The wheel's sandbox (``waonboard.sandbox``): the simulator's engine served by Python's
http.server, driven by the library's own clients and by plain HTTP."""

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator

import pytest

import waonboard
from waonboard.sandbox import Sandbox

READY = "106540352242922"  # seeded: NOT_VERIFIED, name APPROVED (simulator/README.md)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=7) as running:
        yield running


def side(sandbox: Sandbox, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(sandbox.url + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def meta(sandbox: Sandbox, **options: Any) -> "waonboard.MetaClient":
    return waonboard.MetaClient(sandbox.seed["meta"]["access_token"], base_url=sandbox.base_url("meta"), **options)


def test_a_meta_number_is_onboarded_with_the_code_the_sandbox_sent(sandbox: Sandbox) -> None:
    client = meta(sandbox)
    assert sandbox.otp("meta", READY) is None  # no code before one is requested
    assert client.request_code(phone_number_id=READY, code_method="sms", language="en_US") == {"success": True}
    code = sandbox.otp("meta", READY)
    assert code is not None and len(code) == 6 and code.isdigit()
    client.verify_code(phone_number_id=READY, code=code)
    number = client.get_phone_number(phone_number_id=READY, fields=["code_verification_status"])
    assert number["code_verification_status"] == "VERIFIED"
    assert [entry["op"] for entry in side(sandbox, "GET", "/_sim/requests")] == [
        "meta.request_code",
        "meta.verify_code",
        "meta.get_phone_number",
    ]


def test_a_wrong_token_gets_metas_own_auth_error(sandbox: Sandbox) -> None:
    client = waonboard.MetaClient("not-the-token", base_url=sandbox.base_url("meta"))
    with pytest.raises(waonboard.AuthError) as caught:
        client.get_phone_number(phone_number_id=READY)
    assert caught.value.http_status == 401
    assert caught.value.provider_code == "190"  # Meta: invalid OAuth access token


def test_the_same_seed_gives_the_same_codes() -> None:
    codes = []
    for _ in range(2):
        with Sandbox(seed=42) as running:
            meta(running).request_code(phone_number_id=READY, code_method="sms", language="en_US")
            codes.append(running.otp("meta", READY))
    assert codes[0] is not None and codes[0] == codes[1]


def test_a_fixed_otp_is_every_code() -> None:
    with Sandbox(fixed_otp="123456") as running:
        meta(running).request_code(phone_number_id=READY, code_method="sms", language="en_US")
        assert running.otp("meta", READY) == "123456"
    with pytest.raises(ValueError):
        Sandbox(fixed_otp="12345")


def test_latency_holds_the_answer_and_the_operation_runs_after(sandbox: Sandbox) -> None:
    side(sandbox, "POST", "/_sim/faults", {"op": "meta.get_phone_number", "fault": {"type": "latency_ms", "ms": 400}})
    started = time.monotonic()
    meta(sandbox).get_phone_number(phone_number_id=READY)
    assert time.monotonic() - started >= 0.4
    (entry,) = side(sandbox, "GET", "/_sim/requests")
    assert (entry["fault"], entry["status"]) == ("latency_ms", 200)


def test_a_reset_drops_the_connection_unanswered(sandbox: Sandbox) -> None:
    side(sandbox, "POST", "/_sim/faults", {"op": "meta.get_phone_number", "always": True, "fault": "reset"})
    with pytest.raises(waonboard.TransportError):
        meta(sandbox, retry={"max_attempts": 1}).get_phone_number(phone_number_id=READY)
    entries = side(sandbox, "GET", "/_sim/requests")
    assert entries and all(e["status"] is None and e["fault"] == "reset" for e in entries)


def test_a_redirect_is_not_followed_and_the_trap_sees_only_who_follows(sandbox: Sandbox) -> None:
    side(sandbox, "POST", "/_sim/faults", {"op": "meta.get_phone_number", "always": True, "fault": "redirect"})
    with pytest.raises(waonboard.ProviderError):
        meta(sandbox).get_phone_number(phone_number_id=READY)
    assert side(sandbox, "GET", "/_sim/trap")["hits"] == []
    # urllib follows the 307: the trap records it.
    with urllib.request.urlopen(f"{sandbox.base_url('meta')}/v23.0/{READY}", timeout=10) as answer:
        assert json.loads(answer.read()) == {"success": True, "status": "OK"}
    (hit,) = side(sandbox, "GET", "/_sim/trap")["hits"]
    assert hit["path"] == f"/meta/v23.0/{READY}" and hit["method"] == "GET"


def test_the_clock_moves_without_sleeping(sandbox: Sandbox) -> None:
    before: Dict[str, Any] = side(sandbox, "GET", "/_sim/clock")
    after = side(sandbox, "POST", "/_sim/clock/advance", {"ms": 3_600_000})
    assert after["now_ms"] - before["now_ms"] >= 3_600_000
    assert after["unix"] - before["unix"] >= 3600


def test_an_unknown_path_is_a_404_naming_the_mounts(sandbox: Sandbox) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{sandbox.url}/nowhere", timeout=10)
    assert caught.value.code == 404
    assert "/meta, /vonage and /99digital" in json.loads(caught.value.read())["error"]


def test_close_ends_a_request_held_by_a_timeout_fault() -> None:
    running = Sandbox()
    side(running, "POST", "/_sim/faults", {"fault": {"type": "timeout", "seconds": 30}})
    client = meta(running, retry={"max_attempts": 1})
    started = time.monotonic()
    import threading

    failures = []

    def call() -> None:
        try:
            client.get_phone_number(phone_number_id=READY)
        except waonboard.WaonboardError as error:
            failures.append(error)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.3)
    running.close()
    thread.join(timeout=10)
    assert not thread.is_alive() and time.monotonic() - started < 10
    assert failures and isinstance(failures[0], (waonboard.TransportError, waonboard.TimeoutError))


def test_python_m_waonboard_sandbox_prints_what_to_export_and_stops_on_ctrl_c() -> None:
    # As a terminal starts it: a test command run in the background (`cmd &`) hands its
    # children SIGINT ignored, and Python then makes no KeyboardInterrupt of Ctrl-C.
    process = subprocess.Popen(
        [sys.executable, "-m", "waonboard.sandbox", "--fixed-otp", "123456"],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        exports = {}
        for line in process.stdout:
            if line.strip().startswith("export "):
                name, _, value = line.strip()[len("export ") :].partition("=")
                exports[name] = value
            if line.startswith("Ctrl-C stops it"):
                break
        assert set(exports) >= {"WAONBOARD_META_BASE_URL", "WAONBOARD_META_TOKEN", "WAONBOARD_DIGITAL99_CLIENT_SECRET"}
        client = waonboard.MetaClient(exports["WAONBOARD_META_TOKEN"], base_url=exports["WAONBOARD_META_BASE_URL"])
        client.request_code(phone_number_id=READY, code_method="sms", language="en_US")
        client.verify_code(phone_number_id=READY, code="123456")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
