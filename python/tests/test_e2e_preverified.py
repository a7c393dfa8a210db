"""Meta's pre-verified phone numbers end to end against the simulator, through the
installed wheel: the sync client's methods, the by-id call and the asyncio client."""

import asyncio
from typing import Any

import pytest

import waonboard
import waonboard.aio

FAST_RETRY = {"base_delay_ms": 5, "max_delay_ms": 20}


def meta_client(sim: Any) -> waonboard.MetaClient:
    return waonboard.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"), retry=FAST_RETRY)


def test_a_number_is_added_verified_shared_and_deleted(sim: Any) -> None:
    client = meta_client(sim)
    seed = sim.seed["meta"]
    business, partner = seed["business_id"], seed["partner_business_id"]

    added = client.add_preverified_number(business_id=business, phone_number="+1 (631) 555-1000")
    number = added["id"]
    assert client.get_preverified_number(preverified_id=number) == {"id": number, "is_input_id_valid": True}

    assert client.request_preverified_code(preverified_id=number, code_method="voice", language="es_ES") == {
        "success": True
    }
    code = sim.otp("meta", phone_number_id=number)
    assert client.verify_preverified_code(preverified_id=number, code=f"{code[:3]} {code[3:]}") == {"success": True}
    verified = client.list_preverified_numbers(
        business_id=business, verification_status="verified", fields=["id", "country_code"], limit=10
    )
    assert {"id": number, "country_code": "US"} in verified["data"]

    assert client.share_preverified_number(business_id=business, preverified_id=number, partner_business_id=partner) == {
        "success": True
    }
    partners = client.list_preverified_partners(preverified_id=number, fields=["id", "name"])
    assert partners["data"] == [{"id": partner, "name": "Sim Partner Agency"}]

    assert client.delete_preverified_number(preverified_id=number) == {"success": True}
    with pytest.raises(waonboard.ProviderError) as gone:
        client.delete_preverified_number(preverified_id=number)
    assert (gone.value.provider_code, gone.value.http_status) == ("803", 404)
    ops = [entry["op"] for entry in sim.requests()]
    assert ops == [
        "meta.add_preverified_number",
        "meta.get_preverified_number",
        "meta.request_preverified_code",
        "meta.verify_preverified_code",
        "meta.list_preverified_numbers",
        "meta.share_preverified_number",
        "meta.list_preverified_partners",
        "meta.delete_preverified_number",
        "meta.delete_preverified_number",
    ]


def test_errors_and_bad_input(sim: Any) -> None:
    client = meta_client(sim)
    verified = sim.seed["meta"]["preverified_ids"]["verified"]
    with pytest.raises(waonboard.InvalidRequestError) as again:
        client.call("meta.request_preverified_code", {"preverified_id": verified, "code_method": "sms", "language": "en_US"})
    assert again.value.http_status == 422 and "already been verified" in str(again.value)
    with pytest.raises(waonboard.ValidationError) as bad:
        client.verify_preverified_code(preverified_id=verified, code="12345")
    assert bad.value.field == "code" and "12345" not in str(bad.value)
    with pytest.raises(TypeError):
        client.share_preverified_number(business_id="1", preverified_id="2", partner_business_id="3", extra="4")  # type: ignore[call-arg]
    assert sim.requests("meta.verify_preverified_code") == []


def test_the_asyncio_client_lists_the_pool(sim: Any) -> None:
    async def run() -> Any:
        client = waonboard.aio.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"))
        return await client.list_preverified_numbers(business_id=sim.seed["meta"]["business_id"], country_code="US")

    page = asyncio.run(run())
    assert page["data"] == [
        {
            "id": sim.seed["meta"]["preverified_ids"]["verified"],
            "display_phone_number": "+1 6505550199",
            "verification_status": "VERIFIED",
        }
    ]


def test_the_verification_flow_resumes_and_refuses_an_invalid_id(sim: Any) -> None:
    client = meta_client(sim)
    seed = sim.seed["meta"]
    number = client.add_preverified_number(business_id=seed["business_id"], phone_number="+91 98765 43210")["id"]
    flow = waonboard.PreverifiedVerification(preverified_id=number, code_method="sms", language="hi_IN")
    assert flow.needs == "advance"
    assert flow.advance(client) == "code"
    saved = flow.to_json()

    resumed = waonboard.PreverifiedVerification.from_json(saved)
    code = sim.otp("meta", phone_number_id=number)
    with pytest.raises(waonboard.ValidationError) as missing:
        resumed.advance(client)
    assert missing.value.field == "code" and resumed.needs == "code"
    assert resumed.advance(client, code=code) == "done"
    assert code not in resumed.to_json()

    invalid = waonboard.PreverifiedVerification(
        preverified_id=seed["preverified_ids"]["failed"], code_method="voice", language="en_US"
    )
    with pytest.raises(waonboard.ConflictError) as refused:
        invalid.advance(client)
    assert refused.value.field == "preverified_id"
    assert len(sim.requests("meta.request_preverified_code")) == 1, "no code was requested for the invalid ID"
    with pytest.raises(waonboard.ValidationError) as broken:
        waonboard.PreverifiedVerification.from_json('{"preverified_id": "1"}')
    assert broken.value.field == "state"


def test_the_asyncio_verification_flow(sim: Any) -> None:
    async def run() -> Any:
        client = waonboard.aio.MetaClient(sim.seed["meta"]["access_token"], base_url=sim.base_url("meta"))
        added = await client.add_preverified_number(business_id=sim.seed["meta"]["business_id"], phone_number="+4915112345678")
        flow = waonboard.aio.PreverifiedVerification(preverified_id=added["id"], code_method="voice", language="de_DE")
        assert await flow.advance(client) == "code"
        return await flow.advance(client, code=sim.otp("meta", phone_number_id=added["id"]))

    assert asyncio.run(run()) == "done"
