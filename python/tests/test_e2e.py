"""End to end against the simulator: each provider's flow, errors, retries, guards, the
asyncio clients and a transport written in Python."""

import asyncio
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any, Dict, List

import pytest

import waonboard
import waonboard.aio

FAST_RETRY = {"base_delay_ms": 5, "max_delay_ms": 20}
FAST_POLL = {"initial_interval_ms": 30, "max_interval_ms": 100, "timeout_ms": 20_000}


def meta_client(sim: Any, **options: Any) -> waonboard.MetaClient:
    token = sim.seed["meta"]["access_token"]
    options.setdefault("retry", FAST_RETRY)
    return waonboard.MetaClient(token, base_url=sim.base_url("meta"), **options)


def digital99_client(sim: Any, **options: Any) -> waonboard.Digital99Client:
    seed = sim.seed["digital99"]
    return waonboard.Digital99Client(seed["client_id"], seed["client_secret"], base_url=sim.base_url("digital99"), **options)


def test_meta_flow_saved_and_resumed_between_steps(sim: Any) -> None:
    client = meta_client(sim)
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="SMS", language="en_US")
    assert flow.needs == "advance"
    assert flow.advance(client) == "code"
    saved = flow.to_json()
    assert json.loads(saved)["provider"] == "meta"

    resumed = waonboard.MetaOnboarding.from_json(saved)
    code = sim.otp("meta", phone_number_id=number)
    assert code not in saved
    with pytest.raises(waonboard.ValidationError) as wrong:
        resumed.advance(client)  # the code is missing
    assert wrong.value.field == "code"
    assert resumed.advance(client, code=code) == "pin"
    assert resumed.advance(client, pin="123456") == "done"
    assert "123456" not in resumed.to_json()
    ops = [entry["op"] for entry in sim.requests()]
    # The number is read first (a number verified in Embedded Signup needs no code), and again
    # before register (its readiness).
    assert ops == [
        "meta.get_phone_number",
        "meta.request_code",
        "meta.verify_code",
        "meta.get_phone_number",
        "meta.register",
    ]


def test_meta_wrong_code_is_verification_failed_and_the_flow_stays(sim: Any) -> None:
    client = meta_client(sim)
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="voice", language="en_US")
    flow.advance(client)
    right = sim.otp("meta", phone_number_id=number)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(waonboard.VerificationFailedError) as failed:
        flow.advance(client, code=wrong)
    assert failed.value.provider_code == "136025"
    assert failed.value.http_status == 400
    assert wrong not in str(failed.value) and wrong not in repr(failed.value)
    assert flow.needs == "code"


def test_vonage_flow_polls_to_ready(sim: Any) -> None:
    client = waonboard.VonageClient(
        sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage"), poll=FAST_POLL
    )
    flow = waonboard.VonageOnboarding(
        phone_number="+44 7700 900123", vname_certificate="AbCdEFGHiJK123456", method="sms", waba_id="123456789123"
    )
    assert flow.advance(client) == "advance"
    deployment_id = flow.deployment_id
    assert deployment_id
    assert flow.advance(client) == "code"
    assert flow.advance(client, code=sim.otp("vonage", deployment_id=deployment_id)) == "advance"
    assert flow.advance(client) == "done"
    deployment = client.get_deployment(deployment_id=deployment_id)
    assert deployment["current_state"]["title"] == "READY"
    assert deployment["country_code"] == "44" and deployment["number"] == "7700900123"


def test_vonage_wait_for_state_and_an_error_state(sim: Any) -> None:
    client = waonboard.VonageClient(
        sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage"), poll=FAST_POLL
    )
    ready = client.wait_for_state(deployment_id=sim.seed["vonage"]["ready_deployment_id"], states=["ready"])
    assert ready["current_state"]["title"] == "READY"
    created = client.create_deployment(
        phone_number="+44 7700 900456",
        vname_certificate=sim.seed["vonage"]["invalid_vname_certificate"],
        method="sms",
        waba_id="123456789123",
    )
    with pytest.raises(waonboard.ProviderError) as failed:
        client.wait_for_state(deployment_id=created["deployment_id"], states=["READY"])
    assert failed.value.provider_code == "ERROR"


def test_a_failed_vonage_flow_restarts_with_a_fixed_certificate(sim: Any) -> None:
    client = waonboard.VonageClient(
        sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage"), poll=FAST_POLL
    )
    flow = waonboard.VonageOnboarding(
        phone_number="+44 7700 900777",
        vname_certificate=sim.seed["vonage"]["invalid_vname_certificate"],
        method="sms",
        waba_id="123456789123",
    )
    assert flow.advance(client) == "advance"
    failed = flow.deployment_id
    with pytest.raises(waonboard.ProviderError) as error:
        flow.advance(client)
    assert error.value.provider_code == "ERROR"
    assert flow.needs == "advance", "the flow waits where it was"
    assert flow.restart(client, vname_certificate="AbCdEFGHiJK123456") == "advance"
    assert [entry["op"] for entry in sim.requests()].count("vonage.delete_deployment") == 1
    assert flow.advance(client) == "advance"
    assert flow.deployment_id not in (None, failed), "a new deployment"
    assert flow.advance(client) == "code"
    assert "AbCdEFGHiJK123456" in flow.to_json()


def test_digital99_flow_with_tokens_fetched_once(sim: Any) -> None:
    client = digital99_client(sim)
    flow = waonboard.Digital99Onboarding(phone_number="+972 50-555-1234", method="sms", language="1")
    assert flow.advance(client) == "code"
    assert flow.advance(client, code=sim.otp("digital99", whatsapp="972505551234")) == "done"
    assert isinstance(flow.expiration, int) and flow.expiration > 0
    accounts = client.list_accounts()
    assert isinstance(accounts, dict)
    ops = [entry["op"] for entry in sim.requests()]
    assert ops.count("digital99.access_token") == 1, ops
    assert ops[-1] == "digital99.list_accounts"


def test_bad_credentials_are_auth_errors(sim: Any) -> None:
    client = waonboard.MetaClient("not-the-token", base_url=sim.base_url("meta"))
    with pytest.raises(waonboard.AuthError) as refused:
        client.get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["ready"])
    assert refused.value.http_status == 401
    assert "not-the-token" not in str(refused.value) + repr(refused.value)


def test_a_404_from_a_base_url_without_the_providers_path_says_so(sim: Any) -> None:
    # The sandbox's origin without `/meta`: the core adds the likelier cause, as in Rust.
    client = waonboard.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.url)
    with pytest.raises(waonboard.NotFoundError) as missing:
        client.get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["ready"])
    # Meta's own API has no path either: the loopback origin is what gives the sandbox away.
    for part in ["may be wrong", "https://graph.facebook.com", f"sandbox there serves it at {sim.base_url('meta')}"]:
        assert part in str(missing.value)


def test_a_validation_error_sends_nothing(sim: Any) -> None:
    client = meta_client(sim)
    with pytest.raises(waonboard.ValidationError) as invalid:
        client.register(phone_number_id="106540352242922", pin="12345")
    assert invalid.value.field == "pin"
    assert invalid.value.kind == "validation"
    assert invalid.value.retryable is False
    with pytest.raises(waonboard.ValidationError) as injected:
        client.get_phone_number(phone_number_id="106540352242922/../../me")
    assert injected.value.field == "phone_number_id"
    with pytest.raises(TypeError):
        client.request_code(phone_number_idd="1", code_method="sms", language="en_US")
    assert sim.requests() == []


def test_a_failed_read_is_retried(sim: Any) -> None:
    client = meta_client(sim)
    sim.fault({"op": "meta.get_phone_number", "times": 2, "fault": "status_503"})
    number = client.get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["ready"])
    assert number["id"] == sim.seed["meta"]["phone_number_ids"]["ready"]
    statuses = [entry["status"] for entry in sim.requests("meta.get_phone_number")]
    assert statuses == [503, 503, 200]


def test_a_failed_write_is_not_retried(sim: Any) -> None:
    client = meta_client(sim)
    sim.fault({"op": "meta.register", "fault": "status_500"})
    number = sim.seed["meta"]["phone_number_ids"]["registered"]
    with pytest.raises(waonboard.ProviderError) as failed:
        client.register(phone_number_id=number, pin=sim.seed["meta"]["registered_pin"])
    assert failed.value.http_status == 500
    assert failed.value.retryable is False
    assert failed.value.operation == "meta.register"
    assert len(sim.requests("meta.register")) == 1


def test_a_rate_limit_carries_retry_after(sim: Any) -> None:
    client = meta_client(sim, retry={"max_attempts": 1})
    sim.fault({"op": "meta.get_phone_number", "fault": {"type": "status_429", "retry_after": 7}})
    with pytest.raises(waonboard.RateLimitedError) as limited:
        client.get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["ready"])
    assert limited.value.retry_after_ms == 7000
    assert limited.value.retryable is True


def test_the_guard_refuses_before_sending_and_its_state_is_kept(sim: Any) -> None:
    client = digital99_client(sim, guard_limits={"digital99_code_requests": (1, 3_600_000)})
    client.register_number(phone_number="+972 50 555 7777", method="sms", language="1")
    with pytest.raises(waonboard.GuardError) as refused:
        client.register_number(phone_number="+972505557777", method="voice", language="1")
    assert 0 < (refused.value.retry_after_ms or 0) <= 3_600_000
    assert len(sim.requests("digital99.register_number")) == 1
    saved = client.guard_state
    assert "972505557777" in saved
    later = digital99_client(sim, guard_limits={"digital99_code_requests": (1, 3_600_000)}, guard_state=saved)
    with pytest.raises(waonboard.GuardError):
        later.register_number(phone_number="972505557777", method="sms", language="1")
    assert len(sim.requests("digital99.register_number")) == 1


def test_meta_paging_collects_every_number(sim: Any) -> None:
    client = meta_client(sim)
    numbers = client.list_all_phone_numbers(waba_id=sim.seed["meta"]["waba_id"], fields=["id"], limit=1)
    ids = {number["id"] for number in numbers}
    assert set(sim.seed["meta"]["phone_number_ids"].values()) <= ids
    assert len(sim.requests("meta.list_phone_numbers")) == len(numbers)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hands a 3xx back as it is: a transport must never follow a redirect."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibTransport(waonboard.Transport):
    """The app's own HTTP stack, from the standard library, with redirects off."""

    def __init__(self) -> None:
        self.sent: List[str] = []
        self.opener = urllib.request.build_opener(NoRedirects())

    def send(self, request: waonboard.HttpRequest) -> waonboard.HttpResponse:
        self.sent.append(f"{request.method} {request.url}")
        data = None if request.body is None else request.body.encode()
        outgoing = urllib.request.Request(request.url, data=data, method=request.method, headers=dict(request.headers))
        try:
            with self.opener.open(outgoing, timeout=10) as answer:
                return waonboard.HttpResponse(answer.status, list(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as answer:  # 4xx and 5xx are answers too
            return waonboard.HttpResponse(answer.code, list(answer.headers.items()), answer.read())


def test_a_python_transport_carries_the_whole_flow(sim: Any) -> None:
    transport = UrllibTransport()
    client = meta_client(sim, transport=transport)
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="sms", language="en_US")
    flow.advance(client)
    flow.advance(client, code=sim.otp("meta", phone_number_id=number))
    assert flow.advance(client, pin="654321") == "done"
    # The number's status read (Embedded Signup), request_code, verify_code, readiness, register.
    assert len(transport.sent) == 5
    assert transport.sent[1] == f"POST {sim.base_url('meta')}/v23.0/{number}/request_code"
    assert len(sim.requests()) == 5
    # Retries and error mapping run over it too.
    sim.fault({"op": "meta.get_phone_number", "fault": "status_503"})
    assert client.get_phone_number(phone_number_id=number)["id"] == number
    assert len(transport.sent) == 7
    with pytest.raises(waonboard.VerificationFailedError):
        client.verify_code(phone_number_id=number, code="000-000")


def test_a_failing_python_transport_is_a_transport_error(sim: Any) -> None:
    class Broken(waonboard.Transport):
        def send(self, request: waonboard.HttpRequest) -> waonboard.HttpResponse:
            raise ConnectionResetError("peer went away")

    class Slow(waonboard.Transport):
        def send(self, request: waonboard.HttpRequest) -> waonboard.HttpResponse:
            raise TimeoutError("30 s passed")

    client = meta_client(sim, transport=Broken(), retry={"max_attempts": 1})
    with pytest.raises(waonboard.TransportError) as broken:
        client.deregister(phone_number_id="106540352242922")
    assert "peer went away" in str(broken.value)
    assert str(broken.value).startswith(f"POST {sim.base_url('meta').split('://')[1]}/v23.0/106540352242922/deregister: ")
    assert isinstance(broken.value.__cause__, ConnectionError)
    assert str(broken.value.__cause__) == "ConnectionResetError: peer went away"
    client = meta_client(sim, transport=Slow(), retry={"max_attempts": 1})
    with pytest.raises(TimeoutError) as slow:  # the builtin catches it
        client.deregister(phone_number_id="106540352242922")
    assert isinstance(slow.value, waonboard.TimeoutError)
    assert isinstance(slow.value.__cause__, TimeoutError) and "30 s passed" in str(slow.value.__cause__)
    assert sim.requests() == []


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then closed."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port: int = listener.getsockname()[1]
    return port


def test_a_refused_connection_names_method_host_and_path_and_keeps_the_cause() -> None:
    port = closed_port()
    client = waonboard.MetaClient("EAAGsecret", base_url=f"http://127.0.0.1:{port}", retry={"max_attempts": 1})
    with pytest.raises(waonboard.TransportError) as write:
        client.register(phone_number_id="106540352242922", pin="123456")
    assert str(write.value).startswith(f"POST 127.0.0.1:{port}/v23.0/106540352242922/register: "), str(write.value)
    cause = write.value.__cause__
    assert isinstance(cause, ConnectionError) and "connect" in str(cause).lower(), repr(cause)
    assert "123456" not in str(write.value) and "EAAGsecret" not in str(write.value) + str(cause)
    with pytest.raises(waonboard.TransportError) as read:
        client.list_phone_numbers(waba_id="102290129340398", after="cursorVALUE42")
    assert str(read.value).startswith(f"GET 127.0.0.1:{port}/v23.0/102290129340398/phone_numbers: "), str(read.value)
    assert "cursorVALUE42" not in str(read.value) and "?" not in str(read.value)
    assert read.value.__cause__ is not None


def test_the_asyncio_clients(sim: Any) -> None:
    async def main() -> Dict[str, Any]:
        client = waonboard.aio.VonageClient(
            sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage"), poll=FAST_POLL
        )
        flow = waonboard.aio.VonageOnboarding(
            phone_number="447700900789", vname_certificate="AbCdEFGHiJK123456", method="voice", waba_id="123456789123"
        )
        while flow.needs != "done":
            code = sim.otp("vonage", deployment_id=flow.deployment_id) if flow.needs == "code" else None
            await flow.advance(client, code=code)
        ready = sim.seed["vonage"]["ready_deployment_id"]
        got = await asyncio.gather(*(client.get_deployment(deployment_id=ready) for _ in range(5)))
        assert all(d["deployment_id"] == ready for d in got)
        with pytest.raises(waonboard.NotFoundError):
            await client.get_deployment(deployment_id="no-such-deployment")
        return await client.get_deployment(deployment_id=flow.deployment_id or "")

    deployment = asyncio.run(main())
    assert deployment["current_state"]["title"] == "READY"


def test_an_async_python_transport_on_the_callers_loop(sim: Any) -> None:
    class AsyncUrllib(waonboard.Transport):
        def __init__(self) -> None:
            self.inner = UrllibTransport()
            self.loops: List[Any] = []

        async def send(self, request: waonboard.HttpRequest) -> waonboard.HttpResponse:  # type: ignore[override]
            self.loops.append(asyncio.get_running_loop())
            return await asyncio.get_running_loop().run_in_executor(None, self.inner.send, request)

    async def main() -> None:
        transport = AsyncUrllib()
        seed = sim.seed["digital99"]
        client = waonboard.aio.Digital99Client(
            seed["client_id"], seed["client_secret"], base_url=sim.base_url("digital99"), transport=transport
        )
        numbers = await client.list_registered_numbers()
        assert isinstance(numbers, dict)
        assert transport.loops and all(loop is asyncio.get_running_loop() for loop in transport.loops)
        assert [s.split("/")[-1] for s in transport.inner.sent] == ["accessToken", "getRegisteredNumbers"]

    asyncio.run(main())


def test_the_sync_client_works_inside_a_running_loop(sim: Any) -> None:
    async def main() -> Dict[str, Any]:
        return meta_client(sim).get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["big"])

    assert asyncio.run(main())["id"] == "9007199254740993"


def test_the_blocking_path_imports_no_asyncio(sim: Any) -> None:
    # A fresh interpreter: the blocking client's call, prepare and parse run without an
    # event loop, so neither asyncio nor uniffi's generated module (which imports it) loads.
    number = sim.seed["meta"]["phone_number_ids"]["big"]
    probe = (
        "import sys, waonboard\n"
        f"client = waonboard.MetaClient({sim.seed['meta']['access_token']!r}, base_url={sim.base_url('meta')!r})\n"
        f"print(client.get_phone_number(phone_number_id={number!r})['id'])\n"
        "waonboard.prepare('meta.deregister', {'phone_number_id': '1'}, {'access_token': 't'})\n"
        "print(waonboard.parse('meta.deregister', 200, {}, b'{\"success\":true}'))\n"
        "print('asyncio' in sys.modules, 'waonboard._native.waonboard_uniffi' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.splitlines()
    assert out == [number, "{'success': True}", "False False"]
    assert [entry["op"] for entry in sim.requests()] == ["meta.get_phone_number"]


# Hostile providers and bad input (issue 9).

PIN = "246813"


def secrets_of(sim: Any) -> List[str]:
    return [sim.seed["meta"]["access_token"], sim.seed["vonage"]["access_token"], sim.seed["digital99"]["client_secret"], PIN]


@pytest.mark.parametrize("status", [307, 302])
def test_a_redirect_is_never_followed_by_the_default_or_a_python_transport(sim: Any, status: int) -> None:
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    for client in (meta_client(sim), meta_client(sim, transport=UrllibTransport())):
        sim.fault({"op": "meta.register", "fault": {"type": "redirect", "status": status}})
        with pytest.raises(waonboard.ProviderError) as redirected:
            client.register(phone_number_id=number, pin=PIN)
        assert (redirected.value.http_status, redirected.value.retryable) == (status, False)
        assert str(status) in str(redirected.value)
    sim.fault({"op": "digital99.access_token", "fault": {"type": "redirect", "status": status}})
    with pytest.raises(waonboard.ProviderError):
        digital99_client(sim).list_registered_numbers()
    assert len(sim.requests("meta.register")) == 2
    assert sim.get("/_sim/trap")["hits"] == [], "nothing reached the other host"


def test_an_echoed_request_shows_no_secret_and_a_huge_message_is_cut(sim: Any) -> None:
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    sim.fault({"op": "meta.register", "fault": "echo_request"})
    with pytest.raises(waonboard.InvalidRequestError) as echoed:
        meta_client(sim).register(phone_number_id=number, pin=PIN)
    shown = str(echoed.value) + repr(echoed.value)
    assert "[redacted]" in shown
    assert not [secret for secret in secrets_of(sim) if secret in shown]
    sim.fault({"op": "digital99.access_token", "fault": "echo_request"})
    with pytest.raises(waonboard.InvalidRequestError) as token:
        digital99_client(sim).list_registered_numbers()
    assert sim.seed["digital99"]["client_secret"] not in str(token.value) + repr(token.value)

    sim.fault({"op": "meta.register", "fault": {"type": "echo_request", "pad": 10_000_000}})
    with pytest.raises(waonboard.InvalidRequestError) as huge:
        meta_client(sim, timeout=60).register(phone_number_id=number, pin=PIN)
    message = str(huge.value)
    assert len(message) <= 512
    assert not any(ord(c) < 32 or ord(c) == 127 for c in message), repr(message[:80])
    assert not [secret for secret in secrets_of(sim) if secret in message]


def test_meta_success_false_stops_the_flow(sim: Any) -> None:
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="sms", language="en_US")
    sim.fault({"op": "meta.request_code", "fault": "meta_success_false"})
    with pytest.raises(waonboard.ProviderError) as unsuccessful:
        flow.advance(meta_client(sim))
    assert unsuccessful.value.retryable is False
    assert flow.needs == "advance"


def test_bad_input_names_its_field_and_sends_nothing(sim: Any) -> None:
    with pytest.raises(waonboard.ValidationError) as language:
        digital99_client(sim).register_number(phone_number="+972 50 999 1234", method="sms", language="english")
    assert language.value.field == "language"
    client = meta_client(sim)
    with pytest.raises(waonboard.ValidationError) as nan:
        client.list_phone_numbers(waba_id=sim.seed["meta"]["waba_id"], limit=float("nan"))
    assert nan.value.field == "limit"
    with pytest.raises(waonboard.ValidationError) as raw:
        client.get_phone_number(phone_number_id=b"106540352242922")
    assert raw.value.field == "phone_number_id"
    with pytest.raises(waonboard.ValidationError) as no_id:
        waonboard.VonageClient(sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage")).wait_for_state(
            deployment_id=None  # type: ignore[arg-type]
        )
    assert no_id.value.field == "deployment_id"
    assert sim.requests() == [], "nothing was sent, not even a token fetch"


def test_meta_paging_stops_on_a_repeated_cursor(sim: Any) -> None:
    sim.fault({"op": "meta.list_phone_numbers", "always": True, "fault": {"type": "endless_pages", "repeat": True}})
    with pytest.raises(waonboard.ProviderError) as endless:
        meta_client(sim).list_all_phone_numbers(waba_id=sim.seed["meta"]["waba_id"])
    assert "cursor" in str(endless.value)
    assert len(sim.requests("meta.list_phone_numbers")) == 2


def test_a_99digital_client_takes_a_ready_access_token_as_the_js_one_does(sim: Any) -> None:
    seed = sim.seed["digital99"]
    fetched = digital99_client(sim).access_token(client_id=seed["client_id"], client_secret=seed["client_secret"])
    client = waonboard.Digital99Client(access_token=fetched["access_token"], base_url=sim.base_url("digital99"))
    listed = client.list_registered_numbers()
    assert isinstance(listed["list"], list)
    assert len(sim.requests("digital99.access_token")) == 1, "the given token is used, none fetched"
    for make, field in [
        (lambda: waonboard.Digital99Client(base_url=sim.base_url("digital99")), "access_token"),
        (lambda: waonboard.Digital99Client("id", "secret", access_token="t"), "access_token"),
        (lambda: waonboard.aio.Digital99Client(access_token=5), "access_token"),  # type: ignore[arg-type]
        (lambda: waonboard.Digital99Client("only-the-id"), "client_secret"),
    ]:
        with pytest.raises(waonboard.ValidationError) as caught:
            make()
        assert caught.value.field == field
