"""The ``waonboard`` logger against the simulator: a DEBUG record before and after each
request (operation, method, host, path, attempt, status, duration), and none of the
secrets that crossed the wire during three whole onboardings."""

import json
import logging
import urllib.error
import urllib.request
from typing import Any, List
from urllib.parse import urlsplit

import waonboard

FAST_POLL = {"initial_interval_ms": 30, "max_interval_ms": 100, "timeout_ms": 20_000}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Recording(waonboard.Transport):
    """Sends with urllib and keeps every secret it carried: tokens, bodies' PINs, codes
    and client secret, query values and the access tokens that came back."""

    def __init__(self) -> None:
        self.secrets: List[str] = []
        self.opener = urllib.request.build_opener(NoRedirects())

    def send(self, request: waonboard.HttpRequest) -> waonboard.HttpResponse:
        auth = request.header("authorization")
        if auth:
            self.secrets.append(auth.split(" ", 1)[1])
        body = json.loads(request.body) if request.body else {}
        self.secrets += [body[key] for key in ("pin", "code", "client_secret") if key in body]
        query = urlsplit(request.url).query
        if query:
            self.secrets += [query] + [pair.split("=", 1)[1] for pair in query.split("&")]
        data = None if request.body is None else request.body.encode()
        outgoing = urllib.request.Request(request.url, data=data, method=request.method, headers=dict(request.headers))
        try:
            with self.opener.open(outgoing, timeout=10) as answer:
                response = waonboard.HttpResponse(answer.status, list(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as answer:
            response = waonboard.HttpResponse(answer.code, list(answer.headers.items()), answer.read())
        token = json.loads(response.body or b"{}").get("access_token") if response.status == 200 else None
        if token:
            self.secrets.append(token)
        return response


def test_three_onboardings_are_logged_request_by_request_without_a_secret(sim: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG, logger="waonboard")
    transport = Recording()
    meta = waonboard.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"), transport=transport)
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="sms", language="en_US")
    flow.advance(meta)
    flow.advance(meta, code=sim.otp("meta", phone_number_id=number))
    assert flow.advance(meta, pin="246810") == "done"

    vonage = waonboard.VonageClient(
        sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage"), transport=transport, poll=FAST_POLL
    )
    flow = waonboard.VonageOnboarding(
        phone_number="+44 7700 900321", vname_certificate="AbCdEFGHiJK123456", method="sms", waba_id="123456789123"
    )
    flow.advance(vonage)
    flow.advance(vonage)
    flow.advance(vonage, code=sim.otp("vonage", deployment_id=flow.deployment_id))
    assert flow.advance(vonage) == "done"

    seed = sim.seed["digital99"]
    digital99 = waonboard.Digital99Client(
        seed["client_id"], seed["client_secret"], base_url=sim.base_url("digital99"), transport=transport
    )
    flow = waonboard.Digital99Onboarding(phone_number="+972 50-555-4321", method="sms", language="1")
    flow.advance(digital99)
    assert flow.advance(digital99, code=sim.otp("digital99", whatsapp="972505554321")) == "done"

    received = sim.requests()
    records = [r for r in caplog.records if r.name == "waonboard"]
    assert len(received) >= 12
    assert len(records) == 2 * len(received), "a record before and after each request"
    host = urlsplit(sim.base_url("meta")).netloc
    for (before, after), got in zip(zip(records[::2], records[1::2]), received):
        assert before.levelno == after.levelno == logging.DEBUG
        for record in (before, after):
            assert (record.operation, record.method, record.path) == (got["op"], got["method"], got["path"])
            assert record.host == host and record.attempt == 1
        assert after.status == got["status"] and after.error is None
        assert isinstance(after.duration_ms, int) and after.duration_ms >= 0
        assert before.getMessage() == f"{got['op']} {got['method']} {host}{got['path']}: attempt 1"
        assert after.getMessage().startswith(f"{before.getMessage()}: HTTP {got['status']} in ")

    secrets = [s for s in transport.secrets + ["246810", seed["client_secret"]] if len(s) >= 4]
    assert any(len(s) == 6 and s.isdigit() for s in transport.secrets), "codes were sent"
    assert any("=" in s for s in transport.secrets), "a query was sent"
    assert len({s for s in transport.secrets if len(s) == 48}) == 1, "99digital's token was fetched once"
    for record in records:
        text = record.getMessage() + repr(record.__dict__)
        for secret in secrets:
            assert secret not in text, f"{text} holds a secret"


def test_a_retried_read_logs_each_attempt_and_how_it_ended(sim: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG, logger="waonboard")
    sim.fault({"fault": "status_503", "op": "meta.get_phone_number", "times": 2})
    client = waonboard.MetaClient(
        sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"), retry={"base_delay_ms": 1, "max_delay_ms": 2}
    )
    client.get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["ready"])
    ended = [(r.attempt, r.status, r.error) for r in caplog.records if r.name == "waonboard" and hasattr(r, "status")]
    assert ended == [(1, 503, "provider"), (2, 503, "provider"), (3, 200, None)]


def test_nothing_is_logged_above_debug(sim: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="waonboard")
    client = waonboard.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"))
    client.get_phone_number(phone_number_id=sim.seed["meta"]["phone_number_ids"]["ready"])
    assert [r for r in caplog.records if r.name == "waonboard"] == []
