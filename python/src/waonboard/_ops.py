"""Every provider operation as (method, required params, optional params): the one table
the clients' methods and their type stubs are made from. Params are the contract's names
(docs/contract.md); the core validates them."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Tuple

    Op = Tuple[str, Tuple[str, ...], Tuple[str, ...]]

OPERATIONS: Dict[str, List[Op]] = {
    "meta": [
        ("request_code", ("phone_number_id", "code_method", "language"), ()),
        ("verify_code", ("phone_number_id", "code"), ()),
        ("register", ("phone_number_id", "pin"), ("data_localization_region", "backup", "tier")),
        ("deregister", ("phone_number_id",), ()),
        ("set_two_step_pin", ("phone_number_id", "pin"), ()),
        ("get_phone_number", ("phone_number_id",), ("fields",)),
        ("list_phone_numbers", ("waba_id",), ("fields", "filtering", "sort", "limit", "after", "before")),
        (
            "add_phone_number",
            ("waba_id", "phone_number", "verified_name"),
            ("country", "migrate_phone_number", "preverified_id"),
        ),
        ("add_preverified_number", ("business_id", "phone_number"), ("country",)),
        (
            "list_preverified_numbers",
            ("business_id",),
            ("fields", "limit", "after", "before", "verification_status", "availability_status", "country_code"),
        ),
        ("get_preverified_number", ("preverified_id",), ("fields",)),
        ("delete_preverified_number", ("preverified_id",), ()),
        ("request_preverified_code", ("preverified_id", "code_method", "language"), ()),
        ("verify_preverified_code", ("preverified_id", "code"), ()),
        ("list_preverified_partners", ("preverified_id",), ("fields", "limit", "after", "before")),
        ("share_preverified_number", ("business_id", "preverified_id", "partner_business_id"), ()),
    ],
    "vonage": [
        ("create_deployment", ("phone_number", "vname_certificate", "method", "waba_id"), ("pin", "country")),
        ("get_deployment", ("deployment_id",), ()),
        ("list_deployments", (), ()),
        ("delete_deployment", ("deployment_id",), ()),
        ("resend_otp", ("deployment_id", "method"), ()),
        ("verify_otp", ("deployment_id", "code"), ()),
        ("get_profile", ("deployment_id",), ()),
        (
            "update_profile",
            ("deployment_id",),
            ("about", "address", "description", "email", "vertical", "websites"),
        ),
        ("get_profile_photo", ("deployment_id",), ()),
        ("update_profile_photo", ("deployment_id", "image_url"), ()),
        ("list_stickerpacks", ("deployment_id",), ("namespace",)),
        (
            "create_stickerpack",
            ("deployment_id", "publisher", "name"),
            ("ios_app_store_link", "android_app_store_link"),
        ),
        (
            "update_stickerpack",
            ("deployment_id", "stickerpack_id"),
            ("publisher", "name", "ios_app_store_link", "android_app_store_link"),
        ),
        ("delete_stickerpack", ("deployment_id", "stickerpack_id"), ()),
        ("list_stickers", ("deployment_id", "stickerpack_id"), ()),
        ("get_sticker", ("deployment_id", "stickerpack_id", "sticker_index"), ()),
        ("create_sticker", ("deployment_id", "stickerpack_id", "image_data_id"), ("emojis",)),
        ("delete_sticker", ("deployment_id", "stickerpack_id", "sticker_index"), ()),
    ],
    "digital99": [
        ("access_token", ("client_id", "client_secret"), ()),
        ("register_number", ("phone_number", "method", "language"), ("comment", "country")),
        ("verify_number", ("phone_number", "code"), ("country",)),
        ("list_registered_numbers", (), ()),
        ("list_whatsapp_numbers", (), ()),
        ("list_accounts", (), ()),
        ("delete_account", ("phone_number",), ("country",)),
    ],
}

# Parameter types other than str, as written in the stubs.
PARAM_TYPES: Dict[str, str] = {
    "fields": "Sequence[str]",
    "websites": "Sequence[str]",
    "emojis": "Sequence[str]",
    "filtering": "Sequence[Mapping[str, str]]",
    "limit": "int",
    "backup": "Mapping[str, str]",
    "migrate_phone_number": "bool",
    "sticker_index": "int",
}
