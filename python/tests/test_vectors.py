"""Every shared vector in tests/vectors/ through the installed wheel's prepare/parse,
compared exactly as core/tests/vectors.rs compares (format: tests/vectors/README.md)."""

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import waonboard

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
CASE_KEYS = {"name", "op", "source", "config", "params", "response", "expect"}
ERROR_KEYS = (
    "kind", "provider_code", "http_status", "retryable", "retry_after_ms", "field", "fbtrace_id", "error_subcode",
)
SECRET_PARAMS = ("pin", "code", "client_secret")
MIN_CASES = 150
# shared/CONTRACT.md, "Operations".
CONTRACT_OPERATIONS = [
    "meta.request_code", "meta.verify_code", "meta.register", "meta.deregister",
    "meta.set_two_step_pin", "meta.get_phone_number", "meta.list_phone_numbers",
    "meta.add_phone_number", "meta.add_preverified_number", "meta.list_preverified_numbers",
    "meta.get_preverified_number", "meta.delete_preverified_number", "meta.request_preverified_code",
    "meta.verify_preverified_code", "meta.list_preverified_partners", "meta.share_preverified_number",
    "vonage.create_deployment", "vonage.get_deployment",
    "vonage.list_deployments", "vonage.delete_deployment", "vonage.resend_otp",
    "vonage.verify_otp", "vonage.get_profile", "vonage.update_profile",
    "vonage.get_profile_photo", "vonage.update_profile_photo", "vonage.list_stickerpacks",
    "vonage.create_stickerpack", "vonage.update_stickerpack", "vonage.delete_stickerpack",
    "vonage.list_stickers", "vonage.get_sticker", "vonage.create_sticker",
    "vonage.delete_sticker", "digital99.access_token", "digital99.register_number",
    "digital99.verify_number", "digital99.list_registered_numbers",
    "digital99.list_whatsapp_numbers", "digital99.list_accounts", "digital99.delete_account",
]  # fmt: skip


def load_cases() -> List[Tuple[str, Dict[str, Any]]]:
    cases = []
    for path in sorted(VECTORS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(document.get("description"), str), f"{path.name}: no description"
        cases.extend((path.name, case) for case in document["cases"])
    return cases


CASES = load_cases()


def strict_equal(a: Any, b: Any) -> bool:
    """JSON equality as serde_json's: true is not 1, 1 is not 1.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


def drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def error_fields(error: waonboard.WaonboardError) -> Dict[str, Any]:
    return {
        "kind": error.kind,
        "field": error.field,
        "provider_code": error.provider_code,
        "http_status": error.http_status,
        "retryable": error.retryable,
        "retry_after_ms": error.retry_after_ms,
        "fbtrace_id": error.fbtrace_id,
        "error_subcode": error.error_subcode,
    }


def check_error(error: waonboard.WaonboardError, want: Dict[str, Any]) -> List[str]:
    unknown = set(want) - set(ERROR_KEYS)
    assert not unknown, f"malformed case: unknown error keys {unknown}"
    actual = error_fields(error)
    diffs = []
    assert isinstance(error, waonboard.WaonboardError)
    if waonboard._errors.ERRORS_BY_KIND[actual["kind"]] is not type(error):
        diffs.append(f"class {type(error).__name__} does not match kind {actual['kind']}")
    for key in ERROR_KEYS:
        if key not in want:
            continue
        expected = want[key]
        if key == "retryable" and expected is None:
            expected = False
        if not strict_equal(actual[key], expected):
            diffs.append(f"{key}: expected {expected!r}, actual {actual[key]!r}")
    return diffs


def check_no_secrets(error: Exception, params: Dict[str, Any], config: Dict[str, Any]) -> List[str]:
    secrets = [config.get("access_token")] + [params.get(key) for key in SECRET_PARAMS]
    texts = (str(error), repr(error))
    return [
        f"error text leaks a secret: {texts}"
        for secret in secrets
        if isinstance(secret, str) and len(secret) >= 4 and any(secret in text for text in texts)
    ]


def run_request(op: str, case: Dict[str, Any], expect: Dict[str, Any]) -> List[str]:
    params, config = case.get("params", {}), case.get("config", {})
    try:
        request: Optional[waonboard.HttpRequest] = waonboard.prepare(op, params, config)
        failure: Optional[waonboard.WaonboardError] = None
    except waonboard.WaonboardError as error:
        request, failure = None, error
    if "request" in expect:
        if request is None:
            return [f"expected a request, got {failure!r}"]
        want, diffs = expect["request"], []
        if "method" in want and want["method"] != request.method:
            diffs.append(f"method: expected {want['method']!r}, actual {request.method!r}")
        if "url" in want and want["url"] != request.url:
            diffs.append(f"url:\n  expected {want['url']}\n  actual   {request.url}")
        for name, value in want.get("headers", {}).items():
            found = [v for n, v in request.headers if n.lower() == name.lower()]
            if value is None and found:
                diffs.append(f"header {name}: expected absent, actual {found}")
            elif value is not None and found != [value]:
                diffs.append(f"header {name}: expected {value!r}, actual {found}")
        if "body" in want:
            body = want["body"]
            if body is None and request.body is not None:
                diffs.append(f"body: expected none, actual {request.body}")
            elif body is not None and request.body is None:
                diffs.append(f"body: expected {body}, actual none")
            elif body is not None and not strict_equal(json.loads(request.body or ""), body):
                diffs.append(f"body:\n  expected {json.dumps(body)}\n  actual   {request.body}")
        return diffs
    if failure is None:
        return [f"expected error {expect['error']}, got request {request!r} body {request and request.body}"]
    return check_error(failure, expect["error"]) + check_no_secrets(failure, params, config)


def run_response(op: str, response: Dict[str, Any], expect: Dict[str, Any]) -> List[str]:
    assert not ("body" in response and "body_text" in response), "malformed case: body and body_text"
    if "body_text" in response:
        body = response["body_text"].encode("utf-8")
    elif "body" in response:
        body = json.dumps(response["body"], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    else:
        body = b""
    try:
        result: Any = waonboard.parse(op, response["status"], response.get("headers", {}), body)
        failure: Optional[waonboard.WaonboardError] = None
    except waonboard.WaonboardError as error:
        result, failure = None, error
    if "result" in expect:
        if failure is not None:
            return [f"expected a result, got {failure!r}"]
        want, got = drop_nulls(expect["result"]), drop_nulls(result)
        return [] if strict_equal(want, got) else [f"result:\n  expected {json.dumps(want)}\n  actual   {json.dumps(got)}"]
    if failure is None:
        return [f"expected error {expect['error']}, got result {result}"]
    return check_error(failure, expect["error"])


@pytest.mark.parametrize(("file", "case"), CASES, ids=[f"{file}::{case.get('name')}" for file, case in CASES])
def test_vector(file: str, case: Dict[str, Any]) -> None:
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"malformed case: unknown keys {unknown}"
    op = case["op"]
    assert op in CONTRACT_OPERATIONS, f"malformed case: {op} is not an operation of the contract"
    expect = case["expect"]
    assert len(expect) == 1, "malformed case: expect must hold exactly one of request, result, error"
    if "response" in case:
        diffs = run_response(op, case["response"], expect)
    else:
        diffs = run_request(op, case, expect)
    assert not diffs, "\n".join(diffs)


def test_the_vectors_cover_the_contract() -> None:
    names = [case.get("name") for _, case in CASES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"duplicate case names: {duplicates}"
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases"
    request_ops = {c["op"] for _, c in CASES if "response" not in c and "request" in c["expect"]}
    response_ops = {c["op"] for _, c in CASES if "response" in c}
    assert sorted(set(CONTRACT_OPERATIONS) - request_ops) == [], "operations without a request case"
    assert sorted(set(CONTRACT_OPERATIONS) - response_ops) == [], "operations without a response case"
    assert sorted(waonboard.operations()) == sorted(CONTRACT_OPERATIONS)
    print(f"vectors: {len(CASES)} cases loaded")
