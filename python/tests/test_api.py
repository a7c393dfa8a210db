"""The Python surface of the installed wheel: names, typing files, errors, laziness."""

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import waonboard
import waonboard.aio
from waonboard import _errors, _ops

PACKAGE = Path(waonboard.__file__).parent
REPO_PYTHON = Path(__file__).resolve().parents[1]


def test_the_installed_wheel_is_under_test() -> None:
    assert "site-packages" in str(PACKAGE), PACKAGE


def test_no_runtime_dependencies_and_typing_files_ship() -> None:
    assert importlib.metadata.requires("waonboard") in (None, [])
    for name in ("py.typed", "__init__.pyi", "_sync.pyi", "aio.pyi"):
        assert (PACKAGE / name).is_file(), name


def test_the_shipped_stubs_match_the_operation_table() -> None:
    spec = importlib.util.spec_from_file_location("gen_stubs", REPO_PYTHON / "tools" / "gen_stubs.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for path, text in gen.stubs().items():
        assert (PACKAGE / path.name).read_text() == text, f"{path.name} is stale: run python/tools/gen_stubs.py"


def test_the_table_covers_every_operation_with_a_method_on_both_clients() -> None:
    ids = sorted(f"{provider}.{name}" for provider, ops in _ops.OPERATIONS.items() for name, _, _ in ops)
    assert ids == sorted(waonboard.operations())
    classes = {"meta": "MetaClient", "vonage": "VonageClient", "digital99": "Digital99Client"}
    for provider, ops in _ops.OPERATIONS.items():
        for name, _, _ in ops:
            assert callable(getattr(getattr(waonboard, classes[provider]), name))
            assert callable(getattr(getattr(waonboard.aio, classes[provider]), name))


def test_import_is_lazy_and_quick() -> None:
    probe = "import sys, waonboard; print('waonboard._native' in sys.modules, 'asyncio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.split()
    assert out == ["False", "False"]
    assert "MetaClient" in dir(waonboard)
    with pytest.raises(AttributeError):
        waonboard.NoSuchThing  # noqa: B018


def test_one_exception_class_per_kind_under_one_base() -> None:
    kinds = [
        "validation", "auth", "rate_limited", "verification_failed", "conflict", "not_found",
        "invalid_request", "provider", "transport", "timeout", "decode", "guard",
    ]  # fmt: skip
    assert sorted(_errors.ERRORS_BY_KIND) == sorted(kinds)
    for kind, cls in _errors.ERRORS_BY_KIND.items():
        assert issubclass(cls, waonboard.WaonboardError) and cls.kind == kind
        assert cls.__module__ == "waonboard"
        error = cls("what went wrong", field="pin", retryable=True)
        assert str(error) == "what went wrong"
        assert error.to_dict()["kind"] == kind
        # The native round trip keeps every field.
        back = _errors.from_native(_errors.to_native(error))
        assert type(back) is cls and back.to_dict() == error.to_dict()
    assert "TimeoutError" not in waonboard.__all__


def test_validation_errors_name_the_parameter_and_hide_secrets() -> None:
    with pytest.raises(waonboard.ValidationError) as invalid:
        waonboard.prepare(
            "digital99.access_token", {"client_id": "partner", "client_secret": "s3cr3t-value", "extra": 1}, {}
        )
    assert invalid.value.field == "extra"
    assert "s3cr3t-value" not in str(invalid.value) + repr(invalid.value)
    with pytest.raises(waonboard.ValidationError) as config:
        waonboard.prepare("meta.deregister", {"phone_number_id": "1"}, {"access_token": "tok\nen"})
    assert config.value.field == "access_token"
    with pytest.raises(waonboard.ValidationError) as unknown:
        waonboard.prepare("meta.nope", {}, {})
    assert unknown.value.kind == "validation"


def test_requests_and_responses_do_not_show_secrets() -> None:
    request = waonboard.prepare(
        "meta.register", {"phone_number_id": "106540352242922", "pin": "246810"}, {"access_token": "EAAG-secret"}
    )
    assert request.header("Authorization") == "Bearer EAAG-secret"
    assert request.body == '{"messaging_product":"whatsapp","pin":"246810"}'
    assert "EAAG-secret" not in repr(request) and "246810" not in repr(request)
    response = waonboard.HttpResponse(200, {"content-type": "application/json"}, '{"access_token":"fresh"}')
    assert "fresh" not in repr(response)
    token = waonboard.parse("digital99.access_token", 200, response.headers, response.body)
    assert token["access_token"] == "fresh"


def test_parse_accepts_header_pairs_and_text_bodies() -> None:
    error_body = '{"error":{"code":80007,"message":"rate"}}'
    with pytest.raises(waonboard.RateLimitedError) as limited:
        waonboard.parse("meta.get_phone_number", 429, [("Retry-After", "2")], error_body)
    assert (limited.value.retryable, limited.value.retry_after_ms, limited.value.provider_code) == (True, 2000, "80007")
    with pytest.raises(waonboard.DecodeError):
        waonboard.parse("vonage.get_deployment", 200, None, b"{not json")


def test_options_are_checked_when_the_client_is_made() -> None:
    with pytest.raises(waonboard.ValidationError) as broken:
        waonboard.MetaClient("token", guard_state="[not a state")
    assert broken.value.field == "guard_state"
    with pytest.raises(waonboard.ValidationError) as typo:
        waonboard.aio.MetaClient("token", retry={"attempts": 3})  # not an option name
    assert typo.value.field == "retry.attempts"
    with pytest.raises(waonboard.ValidationError) as flow:
        waonboard.MetaOnboarding(phone_number_id="1", code_method="fax", language="en_US")
    assert flow.value.field == "code_method"


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: waonboard.MetaClient(None), "access_token"),  # type: ignore[arg-type]
        (lambda: waonboard.Digital99Client("id", b"secret"), "client_secret"),  # type: ignore[arg-type]
        (lambda: waonboard.MetaClient("t", timeout=-1), "timeout"),
        (lambda: waonboard.MetaClient("t", connect_timeout=float("nan")), "connect_timeout"),
        (lambda: waonboard.MetaClient("t", retry={"max_attempts": -1}), "retry.max_attempts"),
        (lambda: waonboard.VonageClient("t", poll={"timeout_ms": 1.5}), "poll.timeout_ms"),
        (lambda: waonboard.MetaClient("t", guard_limits={"meta_registrations": (-1, 5)}), "guard_limits.meta_registrations.max"),
        (lambda: waonboard.MetaClient("t", guard_state='{"sent": {"meta.registr": {}}}'), "guard_state"),
        (lambda: waonboard.MetaClient("t", guard_state={"sent": {}}), "guard_state"),  # type: ignore[arg-type]
        (lambda: waonboard.MetaOnboarding(phone_number_id=None, code_method="sms", language="en_US"), "phone_number_id"),  # type: ignore[arg-type]
    ],
)
def test_bad_client_arguments_are_validation_errors_naming_them(make: Any, field: str) -> None:
    with pytest.raises(waonboard.ValidationError) as invalid:
        make()
    assert invalid.value.field == field


CONFIG = {"access_token": "EAAG-test"}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"waba_id": "102290129340398", "limit": float("nan")}, "limit"),
        ({"waba_id": "102290129340398", "limit": float("inf")}, "limit"),
        ({"waba_id": b"102290129340398"}, "waba_id"),
        ({"waba_id": "102290129340398", "fields": {"id"}}, "fields"),
        ({"waba_id": "102290129340398", "filtering": [{"field": "id", "operator": "IN", "value": [float("-inf")]}]}, "filtering[0].value[0]"),
    ],
)
def test_params_json_cannot_carry_are_validation_errors_naming_the_field(params: Any, field: str) -> None:
    with pytest.raises(waonboard.ValidationError) as invalid:
        waonboard.prepare("meta.list_phone_numbers", params, CONFIG)
    assert invalid.value.field == field


def test_bad_sans_io_arguments_are_validation_errors_naming_them() -> None:
    for status in (-1, 70000, True, "200", 99):
        with pytest.raises(waonboard.ValidationError) as bad_status:
            waonboard.parse("meta.register", status, {}, b"{}")  # type: ignore[arg-type]
        assert bad_status.value.field == "status"
    for body in (5, None, [1, 2]):
        with pytest.raises(waonboard.ValidationError) as bad_body:
            waonboard.HttpResponse(200, {}, body)  # type: ignore[arg-type]
        assert bad_body.value.field == "body"
    with pytest.raises(waonboard.ValidationError) as no_op:
        waonboard.prepare(None, {}, CONFIG)  # type: ignore[arg-type]
    assert no_op.value.field == "operation"
    with pytest.raises(waonboard.ValidationError) as not_a_mapping:
        waonboard.prepare("meta.deregister", ["phone_number_id"], CONFIG)  # type: ignore[arg-type]
    assert not_a_mapping.value.field == "params"


def test_parse_cuts_and_cleans_a_providers_message() -> None:
    body = json.dumps({"error": {"code": 100, "message": "\x1b[2J\x1b]0;owned\x07" + "x" * 1_000_000}})
    with pytest.raises(waonboard.InvalidRequestError) as invalid:
        waonboard.parse("meta.register", 400, {}, body)
    message = str(invalid.value)
    assert len(message) <= 512 and "\x1b" not in message and "owned" not in message


def test_meta_success_false_and_redirects_are_provider_errors() -> None:
    with pytest.raises(waonboard.ProviderError) as unsuccessful:
        waonboard.parse("meta.register", 200, {}, '{"success": false}')
    assert (unsuccessful.value.http_status, unsuccessful.value.retryable) == (200, False)
    with pytest.raises(waonboard.ProviderError) as redirected:
        waonboard.parse("meta.get_phone_number", 302, {"location": "https://example.com/"}, "")
    assert (redirected.value.http_status, redirected.value.retryable) == (302, False)
