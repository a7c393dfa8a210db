"""Mistakes `mypy --strict` must catch, each marked with the one error code it must
report: strict mode warns about an ignore that silences nothing, so a stub too loose to
catch a mistake fails the check as surely as a stub that rejects good code. Never run."""

import waonboard
import waonboard.aio


def mistakes(meta: waonboard.MetaClient, vonage: waonboard.aio.VonageClient, digital99: waonboard.Digital99Client) -> None:
    # A param the operation does not have.
    meta.deregister(phone_number_id="106540352242922", waba_id="102290129340398")  # type: ignore[call-arg]
    # A required param left out.
    meta.request_code(phone_number_id="106540352242922", code_method="sms")  # type: ignore[call-arg]
    # A value outside a closed enum.
    meta.request_code(phone_number_id="106540352242922", code_method="fax", language="en_US")  # type: ignore[arg-type]
    digital99.register_number(phone_number="+972505551234", method="email", language="en")  # type: ignore[arg-type]
    # A string where the schema says integer, an integer where it says string.
    meta.list_phone_numbers(waba_id="102290129340398", limit="many")  # type: ignore[arg-type]
    meta.get_phone_number(phone_number_id=106540352242922)  # type: ignore[arg-type]
    # An object param missing a member.
    meta.register(phone_number_id="106540352242922", pin="246810", backup={"password": "p"})  # type: ignore[arg-type]
    # Positional params: every param is keyword-only.
    meta.deregister("106540352242922")  # type: ignore[call-arg]
    # A key the result does not have.
    meta.request_code(phone_number_id="106540352242922", code_method="sms", language="en_US")["id"]  # type: ignore[typeddict-item]
    # A result used as the wrong type.
    page = meta.list_phone_numbers(waba_id="102290129340398")
    total: int = page["data"]  # type: ignore[assignment]
    # An async method's result used without awaiting it.
    vonage.get_deployment(deployment_id="b3cd6a9e")["deployment_id"]  # type: ignore[index]
    # A flow stepped with another provider's client.
    waonboard.MetaOnboarding(phone_number_id="1", code_method="sms", language="en_US").advance(digital99)  # type: ignore[arg-type]
    # An error field that does not exist.
    print(waonboard.WaonboardError("x").retry_after)  # type: ignore[attr-defined]
    del total
