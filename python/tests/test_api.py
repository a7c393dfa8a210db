"""The Python surface of the installed wheel: names, typing files, errors, laziness."""

import ast
import importlib.metadata
import inspect
import json
import pydoc
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, Dict, Set

import pytest

import waonboard
import waonboard.aio
from waonboard import _errors, _ops

PACKAGE = Path(waonboard.__file__).parent
REPO_PYTHON = Path(__file__).resolve().parents[1]
REPO = REPO_PYTHON.parent


def test_the_installed_wheel_is_under_test() -> None:
    assert "site-packages" in str(PACKAGE), PACKAGE


def test_no_runtime_dependencies_and_typing_files_ship() -> None:
    assert importlib.metadata.requires("waonboard") in (None, [])
    for name in ("py.typed", "__init__.pyi", "_sync.pyi", "aio.pyi"):
        assert (PACKAGE / name).is_file(), name


def test_the_shipped_generated_files_match_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "tools"))
    from gen import python as generator

    schema = json.loads((REPO / "docs" / "schema.json").read_text())
    rendered = generator.render(schema)
    assert sorted(Path(path).name for path in rendered) == ["_ops.py", "_sync.pyi", "aio.pyi", "types.py"]
    for path, text in rendered.items():
        name = Path(path).name
        assert (PACKAGE / name).read_text() == text, f"{name} is stale: run python3 tools/gen_surfaces.py"


def test_methods_show_their_params_docs_and_result_in_help() -> None:
    for cls in (waonboard.MetaClient, waonboard.aio.MetaClient):
        method = cls.register
        signature = inspect.signature(method)
        assert list(signature.parameters) == ["self", "phone_number_id", "pin", "data_localization_region", "backup", "tier"]
        assert all(p.kind is p.KEYWORD_ONLY for name, p in signature.parameters.items() if name != "self")
        assert signature.parameters["pin"].default is inspect.Parameter.empty
        assert signature.parameters["tier"].default is None
        assert signature.return_annotation == "Success"
        doc = inspect.getdoc(method) or ""
        for expected in ("POST /{phone_number_id}/register", "meta.register", "pin (str): ", "exactly 6 digits",
                         "tier (str, optional)", "one of PROD, SANDBOX", "waonboard.types.Success", "GuardError"):  # fmt: skip
            assert expected in doc, (cls, expected)
        text = pydoc.render_doc(method, renderer=pydoc.plaintext)
        assert "register(self, *, phone_number_id: 'str', pin: 'str'" in text, text
    assert inspect.iscoroutinefunction(waonboard.aio.VonageClient.get_deployment)
    assert not inspect.iscoroutinefunction(waonboard.VonageClient.get_deployment)
    bound = inspect.signature(waonboard.VonageClient("jwt").list_deployments)
    assert list(bound.parameters) == []


def test_the_result_types_import_at_run_time_with_their_required_keys() -> None:
    from waonboard import types

    assert waonboard.types is types
    # Graph always answers a phone number's `id`; the other fields only when requested.
    assert types.PhoneNumberInfo.__required_keys__ == frozenset({"id"})
    assert {"quality_rating", "throughput", "account_mode"} <= types.PhoneNumberInfo.__optional_keys__
    assert types.Success.__required_keys__ == frozenset({"success"})
    assert types.Backup.__required_keys__ == frozenset({"password", "data"})
    assert types.Empty.__required_keys__ == types.Empty.__optional_keys__ == frozenset()
    assert set(types.__all__) >= {"PhoneNumberInfo", "Deployment", "AccessToken", "Filter"}


def test_the_typecheck_usage_calls_every_operation_on_both_clients() -> None:
    tree = ast.parse((REPO_PYTHON / "tests" / "typecheck" / "usage.py").read_text())
    called: Dict[bool, Set[str]] = {False: set(), True: set()}
    for function in tree.body:
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    called[isinstance(function, ast.AsyncFunctionDef)].add(node.func.attr)
    for provider, ops in _ops.OPERATIONS.items():
        for name, _, _ in ops:
            assert name in called[False], f"usage.py calls no blocking {provider}.{name}"
            assert name in called[True], f"usage.py calls no asyncio {provider}.{name}"


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


def test_validation_and_timeout_errors_are_also_the_builtins() -> None:
    with pytest.raises(ValueError) as invalid:
        waonboard.prepare("meta.deregister", {"phone_number_id": "1", "extra": 1}, {"access_token": "t"})
    assert isinstance(invalid.value, waonboard.ValidationError) and invalid.value.field == "extra"
    assert issubclass(waonboard.TimeoutError, TimeoutError) and issubclass(waonboard.TimeoutError, waonboard.WaonboardError)
    with pytest.raises(TimeoutError):
        raise waonboard.TimeoutError("no answer in time", retryable=True)
    assert not issubclass(waonboard.TransportError, (ValueError, TimeoutError))


def test_the_error_annotations_resolve() -> None:
    hints = typing.get_type_hints(waonboard.WaonboardError.__init__)
    assert hints["field"] == typing.Optional[str] and hints["retry_after_ms"] == typing.Optional[int]
    assert hints["fbtrace_id"] == typing.Optional[str] and hints["error_subcode"] == typing.Optional[int]


def test_meta_errors_carry_fbtrace_id_and_error_subcode() -> None:
    # Meta's OpenAPI example registerWhatsAppBusinessPhoneNumber 401 (code 190, subcode 463).
    body = {
        "error": {
            "message": "Invalid OAuth access token", "type": "OAuthException", "code": 190, "error_subcode": 463,
            "fbtrace_id": "AXsgnV2Cm3ZMGF3dF_cfYIn",
        }
    }  # fmt: skip
    with pytest.raises(waonboard.AuthError) as auth:
        waonboard.parse("meta.register", 401, {}, json.dumps(body))
    error = auth.value
    assert (error.provider_code, error.error_subcode, error.fbtrace_id) == ("190", 463, "AXsgnV2Cm3ZMGF3dF_cfYIn")
    assert error.to_dict()["fbtrace_id"] == "AXsgnV2Cm3ZMGF3dF_cfYIn"
    assert error.__cause__ is None and "fbtrace_id='AXsgnV2Cm3ZMGF3dF_cfYIn'" in repr(error)


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
