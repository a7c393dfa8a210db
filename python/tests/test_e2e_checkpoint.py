"""Write-ahead intent through the installed wheel, against the simulator: the flows' ``checkpoint``
sees the state before each write leaves, a failing one sends nothing, and a flow restored
from what it saved settles a write whose answer never came without sending it again. Also
Embedded Signup: a number already verified goes straight to ``register``."""

import asyncio
import json
from typing import Any, Dict, List

import pytest

import waonboard
import waonboard.aio

FAST_RETRY = {"base_delay_ms": 5, "max_delay_ms": 20}
FAST_POLL = {"initial_interval_ms": 30, "max_interval_ms": 100, "timeout_ms": 20_000}


def sent(sim: Any, op: str) -> int:
    return len(sim.requests(op))


def digital99_client(sim: Any, **options: Any) -> waonboard.Digital99Client:
    seed = sim.seed["digital99"]
    return waonboard.Digital99Client(
        seed["client_id"], seed["client_secret"], base_url=sim.base_url("digital99"), retry=FAST_RETRY, **options
    )


def vonage_client(sim: Any, **options: Any) -> waonboard.VonageClient:
    return waonboard.VonageClient(
        sim.seed["vonage"]["access_token"], base_url=sim.base_url("vonage"), poll=FAST_POLL, **options
    )


def test_the_checkpoint_gets_the_pending_state_before_each_write(sim: Any) -> None:
    client = digital99_client(sim)
    flow = waonboard.Digital99Onboarding(phone_number="+972 50-555-4321", method="sms", language="1")
    saved: List[Dict[str, Any]] = []

    def checkpoint(state: str) -> None:
        # What reached the provider when the state was handed over.
        saved.append({"state": json.loads(state), "sent": [e["op"] for e in sim.requests() if e["op"] != "digital99.access_token"]})

    assert flow.advance(client, checkpoint=checkpoint) == "code"
    assert [s["state"]["pending"] for s in saved] == ["digital99.register_number"]
    assert saved[0]["sent"] == [], "saved before register_number left"
    assert saved[0]["state"]["provider"] == "digital99"
    assert "pending" not in json.loads(flow.to_json()) or json.loads(flow.to_json())["pending"] is None
    # The saved state restores as a flow (the same JSON as to_json).
    assert waonboard.Digital99Onboarding.from_json(json.dumps(saved[0]["state"])).needs == "advance"

    code = sim.otp("digital99", whatsapp="972505554321")
    assert flow.advance(client, code=code, checkpoint=checkpoint) == "done"
    assert [s["state"]["pending"] for s in saved] == ["digital99.register_number", "digital99.verify_number"]
    assert code not in json.dumps(saved), "no code in a saved state"
    assert saved[1]["sent"] == ["digital99.register_number"]


def test_a_raising_checkpoint_sends_nothing(sim: Any) -> None:
    client = digital99_client(sim)
    flow = waonboard.Digital99Onboarding(phone_number="+972 50-555-4322", method="sms", language="1")

    def disk_full(state: str) -> None:
        raise OSError("disk full")

    with pytest.raises(waonboard.ValidationError) as refused:
        flow.advance(client, checkpoint=disk_full)
    assert refused.value.field == "checkpoint"
    assert "disk full" in str(refused.value)
    assert sent(sim, "digital99.register_number") == 0
    assert flow.needs == "advance"
    assert json.loads(flow.to_json()).get("pending") is None, "the flow is where it was"
    with pytest.raises(waonboard.ValidationError) as not_callable:
        flow.advance(client, checkpoint="save")  # type: ignore[arg-type]
    assert not_callable.value.field == "checkpoint"

    async def async_save(state: str) -> None:
        pass

    with pytest.raises(waonboard.ValidationError) as not_plain:
        flow.advance(client, checkpoint=async_save)
    assert not_plain.value.field == "checkpoint"
    with pytest.raises(waonboard.ValidationError) as awaitable:
        flow.advance(client, checkpoint=lambda state: async_save(state))
    assert awaitable.value.field == "checkpoint" and "awaitable" in str(awaitable.value)
    assert sent(sim, "digital99.register_number") == 0
    assert flow.advance(client) == "code", "a working step after it"
    assert sent(sim, "digital99.register_number") == 1


def test_resend_checkpoints_its_write_too(sim: Any) -> None:
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    client = waonboard.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"), retry=FAST_RETRY)
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="SMS", language="en_US")
    disk: List[str] = []
    assert flow.advance(client, checkpoint=disk.append) == "code"
    assert flow.resend(client, checkpoint=disk.append) == "code"
    assert [json.loads(state)["pending"] for state in disk] == ["meta.request_code", "meta.request_code"]

    def refuse(state: str) -> None:
        raise RuntimeError("read-only store")

    with pytest.raises(waonboard.ValidationError) as refused:
        flow.resend(client, checkpoint=refuse)
    assert refused.value.field == "checkpoint"
    assert sent(sim, "meta.request_code") == 2, "the refused resend was not sent"


def test_a_flow_restored_after_a_crash_settles_the_lost_write_without_resending(sim: Any) -> None:
    # Vonage creates the deployment at once but answers after 2 s; the client gives up at
    # 0.5 s, as a process killed meanwhile would never read the answer.
    sim.fault({"op": "vonage.create_deployment", "fault": {"type": "late_answer_ms", "ms": 2000}})
    client = vonage_client(sim, timeout=0.5)
    flow = waonboard.VonageOnboarding(
        phone_number="+44 7700 900321", vname_certificate="AbCdEFGHiJK123456", method="sms", waba_id="123456789123"
    )
    disk: List[str] = []
    with pytest.raises(waonboard.TimeoutError):
        flow.advance(client, checkpoint=disk.append)
    assert json.loads(disk[-1])["pending"] == "vonage.create_deployment"
    del flow  # the process died: only what the checkpoint saved survives

    resumed = waonboard.VonageOnboarding.from_json(disk[-1])
    assert resumed.deployment_id is None
    assert resumed.advance(vonage_client(sim), checkpoint=disk.append) == "advance"
    assert resumed.deployment_id, "found the deployment the lost answer named"
    assert json.loads(resumed.to_json()).get("pending") is None
    assert sent(sim, "vonage.create_deployment") == 1, "settled, not sent again"
    assert resumed.advance(vonage_client(sim)) == "code"
    code = sim.otp("vonage", deployment_id=resumed.deployment_id)
    assert resumed.advance(vonage_client(sim), code=code) == "advance"
    assert resumed.advance(vonage_client(sim)) == "done"


def test_an_answer_lost_after_processing_is_settled_through_asyncio(sim: Any) -> None:
    sim.fault({"op": "digital99.register_number", "process": True, "fault": "reset"})
    disk: List[str] = []

    async def main() -> str:
        seed = sim.seed["digital99"]
        client = waonboard.aio.Digital99Client(
            seed["client_id"], seed["client_secret"], base_url=sim.base_url("digital99"), retry=FAST_RETRY
        )
        flow = waonboard.aio.Digital99Onboarding(phone_number="+972 50-555-4323", method="sms", language="1")
        with pytest.raises(waonboard.TransportError):
            await flow.advance(client, checkpoint=disk.append)
        resumed = waonboard.aio.Digital99Onboarding.from_json(disk[-1])
        assert await resumed.advance(client, checkpoint=disk.append) == "code"
        code = sim.otp("digital99", whatsapp="972505554323")
        return await resumed.advance(client, code=code, checkpoint=disk.append)

    assert asyncio.run(main()) == "done"
    assert json.loads(disk[0])["pending"] == "digital99.register_number"
    assert sent(sim, "digital99.register_number") == 1, "the lost write was settled, not sent again"
    assert sent(sim, "digital99.verify_number") == 1


def test_a_number_verified_in_embedded_signup_goes_straight_to_register(sim: Any) -> None:
    number = sim.seed["meta"]["phone_number_ids"]["ready"]
    sim.request(
        "POST",
        "/_sim/meta/code_verification_status",
        {"phone_number_id": number, "code_verification_status": "VERIFIED"},
    )
    client = waonboard.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"), retry=FAST_RETRY)
    flow = waonboard.MetaOnboarding(phone_number_id=number, code_method="SMS", language="en_US")
    assert flow.advance(client) == "pin"
    assert json.loads(flow.to_json())["already_verified"] is True
    assert flow.advance(client, pin="123456") == "done"
    assert (sent(sim, "meta.request_code"), sent(sim, "meta.verify_code"), sent(sim, "meta.register")) == (0, 0, 1)


def test_migration_params_reach_the_request(sim: Any) -> None:
    """register's ``backup`` and ``tier`` and add_phone_number's ``migrate_phone_number`` and
    ``preverified_id`` (Meta's spec) are keyword arguments of the typed methods."""
    bodies: List[Dict[str, Any]] = []

    class Recording(waonboard.Transport):
        def send(self, request: waonboard.HttpRequest) -> waonboard.HttpResponse:
            bodies.append(json.loads(request.body or "{}"))
            answer = {"id": "106540352242922"} if request.url.endswith("/phone_numbers") else {"success": True}
            return waonboard.HttpResponse(200, {"content-type": "application/json"}, json.dumps(answer))

    client = waonboard.MetaClient("token", transport=Recording())
    client.register(
        phone_number_id="106540352242922", pin="123456", backup={"password": "pw", "data": "b64"}, tier="SANDBOX"
    )
    client.add_phone_number(
        waba_id="102290129340398",
        phone_number="+1 631-555-1111",
        verified_name="Lucky Shrub",
        migrate_phone_number=True,
        preverified_id="1234567890",
    )
    assert bodies[0]["backup"] == {"password": "pw", "data": "b64"} and bodies[0]["tier"] == "SANDBOX"
    assert bodies[1]["migrate_phone_number"] is True and bodies[1]["preverified_id"] == "1234567890"
