"""Every operation called as an app would, on the blocking and the asyncio clients, for
`mypy --strict` against the installed wheel (tools/test-uniffi): the calls must type-check,
and each result field read must have exactly the type the schema gives it (`assert_type`
fails on `Any`). Never run: it only has to type-check. python/tests/test_api.py checks
that it calls every operation on both clients."""

from typing import List, Literal, Optional, Union

from typing_extensions import assert_type

import waonboard
import waonboard.aio
from waonboard.types import (
    Backup,
    Deployment,
    DeploymentList,
    Empty,
    Filter,
    PhoneNumberInfo,
    RegisteredNumber,
    Sticker,
    Stickerpack,
)

PHONE_NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"
BUSINESS_ID = "506914307656634"
PREVERIFIED_ID = "1234567890"
DEPLOYMENT_ID = "b3cd6a9e-3d9c-4d7a-9d6b-7f1e2c3a4b5c"
STICKERPACK_ID = "6f2d3c1b-8a7e-4b5d-9c0f-1e2d3c4b5a69"
QualityRating = Union[Literal["GREEN", "YELLOW", "RED", "NA", "UNKNOWN"], str]
DeploymentTitle = Union[
    Literal[
        "INITIALIZING", "CREATING_CLUSTER", "CLUSTER_CREATED", "CODE_SENT", "WRONG_CODE", "CODE_VERIFIED",
        "FINALIZING", "READY", "ERROR", "DELETING", "DELETED",
    ],
    str,
]  # fmt: skip


def meta_calls(meta: waonboard.MetaClient) -> None:
    assert_type(meta.request_code(phone_number_id=PHONE_NUMBER_ID, code_method="sms", language="en_US")["success"], bool)
    assert_type(meta.verify_code(phone_number_id=PHONE_NUMBER_ID, code="123456")["success"], bool)
    backup: Backup = {"password": "backup-password", "data": "ZW5jcnlwdGVk"}
    registered = meta.register(
        phone_number_id=PHONE_NUMBER_ID, pin="246810", data_localization_region="DE", backup=backup, tier="PROD"
    )
    assert_type(registered["success"], bool)
    assert_type(meta.deregister(phone_number_id=PHONE_NUMBER_ID)["success"], bool)
    assert_type(meta.set_two_step_pin(phone_number_id=PHONE_NUMBER_ID, pin="135790")["success"], bool)
    info = meta.get_phone_number(phone_number_id=PHONE_NUMBER_ID, fields=["id", "quality_rating"])
    assert_type(info["id"], str)
    assert_type(info.get("quality_rating"), Optional[QualityRating])
    assert_type(info.get("throughput", {}).get("level"), Optional[Union[Literal["STANDARD", "HIGH", "NOT_APPLICABLE"], str]])
    sandbox: Filter = {"field": "account_mode", "operator": "EQUAL", "value": "SANDBOX"}
    page = meta.list_phone_numbers(
        waba_id=WABA_ID, fields=["id"], filtering=[sandbox], sort="last_onboarded_time.desc", limit=25, after="QVFIU"
    )
    assert_type(page["data"], List[PhoneNumberInfo])
    assert_type(page.get("paging", {}).get("cursors", {}).get("after"), Optional[str])
    older = meta.list_phone_numbers(waba_id=WABA_ID, before="QVFIU")
    assert_type(older["data"][0]["id"], str)
    added = meta.add_phone_number(
        waba_id=WABA_ID, phone_number="+1 631-555-1111", verified_name="Lucky Shrub", country="US",
        migrate_phone_number=False, preverified_id=PREVERIFIED_ID,
    )  # fmt: skip
    assert_type(added["id"], str)
    assert_type(meta.add_preverified_number(business_id=BUSINESS_ID, phone_number="+1 (631) 555-1000", country="US")["id"], str)
    preverified = meta.list_preverified_numbers(
        business_id=BUSINESS_ID, fields=["id", "verification_status"], limit=10, after="QVFIU", before="QVFIV",
        verification_status="VERIFIED", availability_status="AVAILABLE", country_code="US",
    )  # fmt: skip
    assert_type(preverified["data"][0].get("country_prefix"), Optional[int])
    check = meta.get_preverified_number(preverified_id=PREVERIFIED_ID, fields=["is_input_id_valid"])
    assert_type(check.get("is_input_id_valid"), Optional[bool])
    assert_type(meta.delete_preverified_number(preverified_id=PREVERIFIED_ID).get("success"), Optional[bool])
    sent = meta.request_preverified_code(preverified_id=PREVERIFIED_ID, code_method="voice", language="de_DE")
    assert_type(sent["success"], bool)
    assert_type(meta.verify_preverified_code(preverified_id=PREVERIFIED_ID, code="654321")["success"], bool)
    partners = meta.list_preverified_partners(preverified_id=PREVERIFIED_ID, fields=["id", "name"], limit=5)
    assert_type(partners["data"][0].get("two_factor_type"), Optional[Union[Literal["none", "admin_required"], str]])
    shared = meta.share_preverified_number(business_id=BUSINESS_ID, preverified_id=PREVERIFIED_ID, partner_business_id="3")
    assert_type(shared["success"], bool)
    assert_type(meta.list_all_phone_numbers(waba_id=WABA_ID, fields=["id"]), List[PhoneNumberInfo])


def vonage_calls(vonage: waonboard.VonageClient) -> None:
    created = vonage.create_deployment(
        phone_number="+44 7700 900123", vname_certificate="AbCdEFGHiJK123456", method="sms", waba_id="123456789123",
        country="GB", pin="246810",
    )  # fmt: skip
    assert_type(created["deployment_id"], str)
    assert_type(created.get("current_state", {}).get("title"), Optional[DeploymentTitle])
    assert_type(vonage.get_deployment(deployment_id=DEPLOYMENT_ID).get("number"), Optional[str])
    assert_type(vonage.list_deployments()["deployments"], List[Deployment])
    assert_type(vonage.delete_deployment(deployment_id=DEPLOYMENT_ID), Empty)
    assert_type(vonage.resend_otp(deployment_id=DEPLOYMENT_ID, method="voice").get("message"), Optional[str])
    assert_type(vonage.verify_otp(deployment_id=DEPLOYMENT_ID, code="123456").get("status"), Optional[str])
    assert_type(vonage.get_profile(deployment_id=DEPLOYMENT_ID).get("websites"), Optional[List[str]])
    profile = vonage.update_profile(
        deployment_id=DEPLOYMENT_ID, about="Fresh bread daily", address="1 High Street, London",
        description="A family bakery", email="hello@example.com", vertical="Food and Grocery",
        websites=["https://example.com/", "https://example.com/shop"],
    )  # fmt: skip
    assert_type(profile.get("about"), Optional[str])
    assert_type(vonage.get_profile_photo(deployment_id=DEPLOYMENT_ID).get("image_url"), Optional[str])
    photo = vonage.update_profile_photo(deployment_id=DEPLOYMENT_ID, image_url="https://example.com/logo.png")
    assert_type(photo.get("image_url"), Optional[str])
    assert_type(vonage.list_stickerpacks(deployment_id=DEPLOYMENT_ID, namespace="bakery")["stickerpacks"], List[Stickerpack])
    pack = vonage.create_stickerpack(
        deployment_id=DEPLOYMENT_ID, publisher="Bakery", name="Breads",
        ios_app_store_link="https://itunes.apple.com/app/id123456789",
        android_app_store_link="https://play.google.com/store/apps/details?id=com.example.bakery",
    )  # fmt: skip
    assert_type(pack["stickerpacks"][0].get("id"), Optional[str])
    assert_type(vonage.update_stickerpack(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, name="Cakes"), Empty)
    assert_type(vonage.delete_stickerpack(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID), Empty)
    assert_type(vonage.list_stickers(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID)["stickers"], List[Sticker])
    sticker = vonage.get_sticker(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, sticker_index=0)
    assert_type(sticker["stickers"][0].get("emojis"), Optional[List[str]])
    made = vonage.create_sticker(
        deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, image_data_id="1234", emojis=["🍞", "🥐"]
    )
    assert_type(made["stickers"], List[Sticker])
    assert_type(vonage.delete_sticker(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, sticker_index=2), Empty)
    assert_type(vonage.wait_for_state(deployment_id=DEPLOYMENT_ID, states=["READY"])["deployment_id"], str)


def digital99_calls(digital99: waonboard.Digital99Client) -> None:
    token = digital99.access_token(client_id="partner-id", client_secret="partner-secret")
    assert_type(token["access_token"], str)
    assert_type(token.get("expiration_time"), Optional[int])
    outcome = digital99.register_number(
        phone_number="+972 50-555-1234", method="sms", language="en", country="IL", comment="bakery"
    )
    assert_type(outcome.get("whatsapp"), Optional[str])
    assert_type(digital99.verify_number(phone_number="+972505551234", code="123456", country="IL").get("expiration"), Optional[int])
    assert_type(digital99.list_registered_numbers()["list"], List[RegisteredNumber])
    assert_type(digital99.list_whatsapp_numbers()["list"][0].get("is_online"), Optional[bool])
    assert_type(digital99.list_accounts()["list"][0].get("business_name"), Optional[str])
    assert_type(digital99.delete_account(phone_number="+972505551234", country="IL").get("reason"), Optional[int])


async def async_meta_calls(meta: waonboard.aio.MetaClient) -> None:
    sent = await meta.request_code(phone_number_id=PHONE_NUMBER_ID, code_method="voice", language="en_US")
    assert_type(sent["success"], bool)
    assert_type((await meta.verify_code(phone_number_id=PHONE_NUMBER_ID, code="123456"))["success"], bool)
    registered = await meta.register(
        phone_number_id=PHONE_NUMBER_ID, pin="246810", backup={"password": "backup-password", "data": "ZW5jcnlwdGVk"}
    )
    assert_type(registered["success"], bool)
    assert_type((await meta.deregister(phone_number_id=PHONE_NUMBER_ID))["success"], bool)
    assert_type((await meta.set_two_step_pin(phone_number_id=PHONE_NUMBER_ID, pin="135790"))["success"], bool)
    info = await meta.get_phone_number(phone_number_id=PHONE_NUMBER_ID)
    assert_type(info.get("code_verification_status"), Optional[Union[Literal["VERIFIED", "NOT_VERIFIED", "EXPIRED", "UNVERIFIED"], str]])
    page = await meta.list_phone_numbers(
        waba_id=WABA_ID, filtering=[{"field": "account_mode", "operator": "EQUAL", "value": "LIVE"}], limit=100
    )
    assert_type(page["data"][0].get("quality_rating"), Optional[QualityRating])
    added = await meta.add_phone_number(waba_id=WABA_ID, phone_number="+1 631-555-1111", verified_name="Lucky Shrub")
    assert_type(added["id"], str)
    assert_type((await meta.add_preverified_number(business_id=BUSINESS_ID, phone_number="+16315551000"))["id"], str)
    preverified = await meta.list_preverified_numbers(business_id=BUSINESS_ID, availability_status="IN_USE")
    assert_type(preverified["data"][0]["id"], str)
    check = await meta.get_preverified_number(preverified_id=PREVERIFIED_ID)
    assert_type(check.get("error_msg"), Optional[str])
    assert_type((await meta.delete_preverified_number(preverified_id=PREVERIFIED_ID)).get("success"), Optional[bool])
    code = await meta.request_preverified_code(preverified_id=PREVERIFIED_ID, code_method="sms", language="en_US")
    assert_type(code["success"], bool)
    assert_type((await meta.verify_preverified_code(preverified_id=PREVERIFIED_ID, code="654321"))["success"], bool)
    partners = await meta.list_preverified_partners(preverified_id=PREVERIFIED_ID, after="QVFIU")
    assert_type(partners["data"][0]["id"], str)
    shared = await meta.share_preverified_number(
        business_id=BUSINESS_ID, preverified_id=PREVERIFIED_ID, partner_business_id="3"
    )
    assert_type(shared["success"], bool)
    assert_type(await meta.list_all_phone_numbers(waba_id=WABA_ID, sort="last_onboarded_time.asc"), List[PhoneNumberInfo])


async def async_vonage_calls(vonage: waonboard.aio.VonageClient) -> None:
    created = await vonage.create_deployment(
        phone_number="+44 7700 900456", vname_certificate="AbCdEFGHiJK123456", method="voice", waba_id="123456789123"
    )
    assert_type(created["deployment_id"], str)
    assert_type((await vonage.get_deployment(deployment_id=DEPLOYMENT_ID)).get("current_state"), Optional[waonboard.types.DeploymentState])
    assert_type(await vonage.list_deployments(), DeploymentList)
    assert_type(await vonage.delete_deployment(deployment_id=DEPLOYMENT_ID), Empty)
    assert_type((await vonage.resend_otp(deployment_id=DEPLOYMENT_ID, method="sms")).get("method"), Optional[str])
    assert_type((await vonage.verify_otp(deployment_id=DEPLOYMENT_ID, code="123456")).get("deployment_id"), Optional[str])
    assert_type((await vonage.get_profile(deployment_id=DEPLOYMENT_ID)).get("vertical"), Optional[str])
    profile = await vonage.update_profile(deployment_id=DEPLOYMENT_ID, vertical="Restaurant", websites=["https://example.com/"])
    assert_type(profile.get("websites"), Optional[List[str]])
    assert_type((await vonage.get_profile_photo(deployment_id=DEPLOYMENT_ID)).get("image_url"), Optional[str])
    photo = await vonage.update_profile_photo(deployment_id=DEPLOYMENT_ID, image_url="https://example.com/logo.png")
    assert_type(photo.get("image_url"), Optional[str])
    assert_type((await vonage.list_stickerpacks(deployment_id=DEPLOYMENT_ID))["stickerpacks"], List[Stickerpack])
    pack = await vonage.create_stickerpack(deployment_id=DEPLOYMENT_ID, publisher="Bakery", name="Breads")
    assert_type(pack["stickerpacks"][0].get("publisher"), Optional[str])
    updated = await vonage.update_stickerpack(
        deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, publisher="Bakery Ltd",
        ios_app_store_link="https://itunes.apple.com/app/id123456789",
        android_app_store_link="https://play.google.com/store/apps/details?id=com.example.bakery",
    )  # fmt: skip
    assert_type(updated, Empty)
    assert_type(await vonage.delete_stickerpack(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID), Empty)
    stickers = await vonage.list_stickers(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID)
    assert_type(stickers["stickers"][0].get("index"), Optional[str])
    sticker = await vonage.get_sticker(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, sticker_index=1)
    assert_type(sticker["stickers"], List[Sticker])
    made = await vonage.create_sticker(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, image_data_id="1234")
    assert_type(made["stickers"][0].get("id"), Optional[str])
    assert_type(await vonage.delete_sticker(deployment_id=DEPLOYMENT_ID, stickerpack_id=STICKERPACK_ID, sticker_index=0), Empty)
    assert_type((await vonage.wait_for_state(deployment_id=DEPLOYMENT_ID))["deployment_id"], str)


async def async_digital99_calls(digital99: waonboard.aio.Digital99Client) -> None:
    token = await digital99.access_token(client_id="partner-id", client_secret="partner-secret")
    assert_type(token["access_token"], str)
    outcome = await digital99.register_number(phone_number="+972 50-555-1234", method="voice", language="he")
    assert_type(outcome.get("status"), Optional[str])
    verified = await digital99.verify_number(phone_number="+972505551234", code="123456")
    assert_type(verified.get("whatsapp"), Optional[str])
    assert_type((await digital99.list_registered_numbers())["list"][0].get("onboarding_link"), Optional[str])
    numbers = await digital99.list_whatsapp_numbers()
    assert_type(numbers.get("total_whatsapp"), Optional[int])
    assert_type((await digital99.list_accounts())["list"][0].get("coexistence"), Optional[bool])
    assert_type((await digital99.delete_account(phone_number="+972505551234")).get("status"), Optional[str])


def flows(meta: waonboard.MetaClient, vonage: waonboard.aio.VonageClient) -> None:
    flow = waonboard.MetaOnboarding(phone_number_id=PHONE_NUMBER_ID, code_method="sms", language="en_US")
    assert_type(flow.advance(meta), Literal["advance", "code", "pin", "done"])
    assert_type(waonboard.aio.VonageOnboarding.from_json("{}").deployment_id, Optional[str])


def errors(meta: waonboard.MetaClient) -> None:
    try:
        meta.deregister(phone_number_id=PHONE_NUMBER_ID)
    except waonboard.ValidationError as invalid:
        assert_type(invalid.field, Optional[str])
    except waonboard.RateLimitedError as limited:
        assert_type(limited.retry_after_ms, Optional[int])
        assert_type(limited.retryable, bool)
    except waonboard.WaonboardError as error:
        assert_type(error.fbtrace_id, Optional[str])
        assert_type(error.error_subcode, Optional[int])
        assert_type(error.kind, str)
