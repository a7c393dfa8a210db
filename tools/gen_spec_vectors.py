#!/usr/bin/env python3
"""Writes tests/vectors/spec_examples.json: every example that Meta's and Vonage's OpenAPI
files (../shared/specs/) give for waonboard's operations, as a shared vector.

The expectations are derived here from the documents by the contract's rules
(shared/CONTRACT.md, docs/contract.md, shared/PROVIDERS.md): an implementation of its own,
never the core's output, so that the vectors can catch the core.

- A request example becomes a request case: the params a caller would give for it (the
  contract's parameter names; a phone number as one `phone_number` in E.164) and the
  request the provider's file describes: the example body as it is, the path with the
  file's example path parameters.
- A response example (named examples, `example`, or for Vonage, which documents by
  property, the object its schema's property examples make) becomes a response case: a
  success reads into the operation's result fields (PROVIDERS.md), unknown fields dropped,
  IDs as strings; an error into the kind the contract's table gives its code.

Run `python3 tools/gen_spec_vectors.py` after a spec or a rule changes; the Rust test
`spec_examples_are_all_vectors` (core/tests/spec_conformance.rs) fails when an example of
the files has no case here.
"""

import json
import sys
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
# `shared/` sits beside the repository (or beside the folder of a git worktree).
SPECS = next((d / "shared" / "specs" for d in ROOT.parents if (d / "shared" / "specs").is_dir()), ROOT.parent / "shared" / "specs")
OUT = ROOT / "tests" / "vectors" / "spec_examples.json"

META_FILE = "meta-business-messaging-api_v23.0.yaml"
VONAGE_FILE = "vonage-whatsapp-provisioning-0.1.4.yml"
META_TOKEN = "EAAGtest"
VONAGE_TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBsaWNhdGlvbl9pZCI6ImFhYSJ9.c2ln"
META_BASE = "https://graph.facebook.com"
VONAGE_BASE = "https://api.nexmo.com/v0.1/whatsapp-manager"

# Result fields per operation (PROVIDERS.md): name -> None for a scalar, or a dict of
# the nested object's fields; "[...]" marks a list of such objects.
PHONE_NUMBER = {
    "id": None, "display_phone_number": None, "verified_name": None, "code_verification_status": None,
    "quality_rating": None, "platform_type": None, "throughput": {"level": None},
    "webhook_configuration": {"application": None}, "name_status": None, "new_name_status": None,
    "certificate": None, "new_certificate": None, "last_onboarded_time": None, "account_mode": None,
}
DEPLOYMENT = {
    "deployment_id": None, "waba_id": None, "country_code": None, "number": None, "api_key": None,
    "current_state": {"title": None, "detail": None},
}
PAGING = {"cursors": {"before": None, "after": None}, "next": None, "previous": None}
# A whole number the contract keeps a number (counts, calling codes), unlike an ID.
INT = "int"
PREVERIFIED_NUMBER = {
    "id": None, "display_phone_number": None, "country_prefix": INT, "verification_status": None,
    "availability_status": None, "created_time": None, "last_updated": None, "supported_features": None,
    "country_code": None, "region": None,
}
PARTNER = {
    "id": None, "name": None, "created_time": None, "updated_time": None, "verification_status": None,
    "primary_page": None, "timezone_id": INT, "two_factor_type": None,
}
PROFILE = {"about": None, "address": None, "description": None, "email": None, "vertical": None, "websites": None}
RESULTS = {
    "meta.request_code": {"success": None},
    "meta.verify_code": {"success": None},
    "meta.register": {"success": None},
    "meta.deregister": {"success": None},
    "meta.set_two_step_pin": {"success": None},
    "meta.get_phone_number": PHONE_NUMBER,
    "meta.list_phone_numbers": {
        "data": [PHONE_NUMBER],
        "paging": {"cursors": {"before": None, "after": None}, "next": None, "previous": None},
    },
    "meta.add_phone_number": {"id": None},
    "meta.add_preverified_number": {"id": None},
    "meta.list_preverified_numbers": {"data": [PREVERIFIED_NUMBER], "paging": PAGING},
    "meta.get_preverified_number": {
        "id": None, "country_prefix": INT, "display_phone_number": None, "error_msg": None, "is_input_id_valid": None,
    },
    "meta.delete_preverified_number": {"success": None},
    "meta.request_preverified_code": {"success": None},
    "meta.verify_preverified_code": {"success": None},
    "meta.list_preverified_partners": {"data": [PARTNER], "paging": PAGING},
    "meta.share_preverified_number": {"success": None},
    "vonage.create_deployment": DEPLOYMENT,
    "vonage.get_deployment": DEPLOYMENT,
    "vonage.delete_deployment": {},
    "vonage.resend_otp": {"message": None, "vname": None, "method": None},
    "vonage.verify_otp": {"deployment_id": None, "status": None},
    "vonage.get_profile": PROFILE,
    "vonage.update_profile": PROFILE,
    "vonage.get_profile_photo": {"image_url": None},
    "vonage.update_profile_photo": {"image_url": None},
}

# Where each operation lives in its provider's file. `not_ours` names examples of a shared
# endpoint that show another of its uses (POST /{Phone-Number-ID} also sends messages and
# changes webhooks, names and usernames): they are listed in the file's description.
META_OPS = [
    ("meta.request_code", "/{Version}/{Phone-Number-ID}/request_code", "post", ()),
    ("meta.verify_code", "/{Version}/{Phone-Number-ID}/verify_code", "post", ()),
    ("meta.register", "/{Version}/{Phone-Number-ID}/register", "post", ()),
    ("meta.deregister", "/{Version}/{Phone-Number-ID}/deregister", "post", ()),
    ("meta.set_two_step_pin", "/{Version}/{Phone-Number-ID}", "post",
     ("update_connection_status", "configure_webhook", "update_security_settings", "update_display_name",
      "set_username", "comprehensive_update", "message_sent")),
    ("meta.get_phone_number", "/{Version}/{Phone-Number-ID}", "get", ()),
    ("meta.list_phone_numbers", "/{Version}/{WABA-ID}/phone_numbers", "get", ()),
    ("meta.add_phone_number", "/{Version}/{WABA-ID}/phone_numbers", "post", ()),
    ("meta.add_preverified_number", "/{Version}/{Business-ID}/add_phone_numbers", "post", ()),
    ("meta.list_preverified_numbers", "/{Version}/{Business-ID}/preverified_numbers", "get", ()),
    ("meta.get_preverified_number", "/{Version}/{Pre-Verified-Phone-Number-ID}", "get", ()),
    ("meta.delete_preverified_number", "/{Version}/{Pre-Verified-Phone-Number-ID}", "delete", ()),
    ("meta.request_preverified_code", "/{Version}/{Pre-Verified-Phone-Number-ID}/request_code", "post", ()),
    ("meta.verify_preverified_code", "/{Version}/{Pre-Verified-Phone-Number-ID}/verify_code", "post", ()),
    ("meta.list_preverified_partners", "/{Version}/{Pre-Verified-Phone-Number-ID}/partners", "get", ()),
    ("meta.share_preverified_number", "/{Version}/{Business-ID}/share_preverified_numbers", "post", ()),
]
VONAGE_OPS = [
    ("vonage.create_deployment", "/deployments", "post", ()),
    ("vonage.get_deployment", "/deployments/{deployment_id}", "get", ()),
    ("vonage.delete_deployment", "/deployments/{deployment_id}", "delete", ()),
    ("vonage.resend_otp", "/deployments/{deployment_id}/resend-otp", "post", ()),
    ("vonage.verify_otp", "/deployments/{deployment_id}/verify", "post", ()),
    ("vonage.get_profile", "/deployments/{deployment_id}/profile", "get", ()),
    ("vonage.update_profile", "/deployments/{deployment_id}/profile", "patch", ()),
    ("vonage.get_profile_photo", "/deployments/{deployment_id}/profile/photo", "get", ()),
    ("vonage.update_profile_photo", "/deployments/{deployment_id}/profile/photo", "post", ()),
]

# The contract's error table (CONTRACT.md "Errors").
META_KINDS = {0: "auth", 10: "auth", 190: "auth", 4: "rate_limited", 17: "rate_limited", 80007: "rate_limited",
              133016: "rate_limited", 136025: "verification_failed", 133005: "verification_failed",
              100: "invalid_request"}
VONAGE_KINDS = {"unauthorized": "auth", "forbidden": "auth", "throttled": "rate_limited",
                "verification-failed": "verification_failed", "number-in-use": "conflict",
                "conflict-deployment-state": "conflict", "conflict-resend-otp": "conflict", "not-found": "not_found",
                "invalid-json": "invalid_request", "unprocessable": "invalid_request",
                "unprocessable-profile-update": "invalid_request"}


def meta_kind(code):
    if code in META_KINDS:
        return META_KINDS[code]
    return "auth" if 200 <= code <= 299 else "provider"


def kind_by_status(status):
    return {401: "auth", 403: "auth", 404: "not_found", 409: "conflict", 429: "rate_limited"}.get(
        status, "provider" if status >= 500 else "invalid_request")


class Spec:
    def __init__(self, name):
        self.name = name
        self.doc = yaml.safe_load((SPECS / name).read_text(encoding="utf-8"))

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.doc
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = target
        return node

    def example_of(self, schema):
        """The body a schema's property examples make (Vonage documents by property)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return None
        if "example" in schema:
            return schema["example"]
        if "properties" in schema:
            body = {}
            for name, prop in schema["properties"].items():
                value = self.example_of(prop)
                if value is not None:
                    body[name] = value
            return body
        if schema.get("type") == "array" and "items" in schema:
            item = self.example_of(schema["items"])
            return None if item is None else [item]
        return None


def read(fields, value):
    """A success body read by the contract's rules into the result `fields` describe."""
    if fields == INT:
        return int(value)
    if fields is None:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if isinstance(fields, list):
        return [read(fields[0], item) for item in value]
    out = {}
    for name, inner in fields.items():
        if value.get(name) is not None:
            out[name] = read(inner, value[name])
    return out


def where(spec, path, method, rest):
    return f"specs/{spec.name}: paths.{path}.{method}.{rest}"


def params_for(op, body, path_params):
    """What a caller gives for a request body: the contract's names (CONTRACT.md Parameters)."""
    params = dict(path_params)
    body = dict(body or {})
    if op == "meta.add_phone_number":
        # E.164 digits without + (the file's own description): the caller writes +<digits>.
        params["phone_number"] = "+" + body.pop("phone_number")
        body.pop("cc", None)
    elif op == "vonage.create_deployment":
        params["phone_number"] = "+" + body.pop("country_code") + " " + body.pop("number")
    elif op == "meta.register":
        body.pop("messaging_product", None)
    elif op == "meta.set_two_step_pin":
        body.pop("messaging_product", None)
    params.update(body)
    return params


def path_examples(spec, operation):
    """{param: example} for the operation's path and query parameters."""
    found = {}
    for param in operation.get("parameters", []):
        param = spec.resolve(param)
        example = param.get("example", param.get("schema", {}).get("example"))
        if example is not None and param.get("in") in ("path", "query"):
            found[(param["in"], param["name"])] = example
    return found


def url_for(op, spec, template, examples, query):
    path = template
    for (where_, name), value in examples.items():
        if where_ == "path":
            path = path.replace("{" + name + "}", str(value))
    base = META_BASE if op.startswith("meta.") else VONAGE_BASE
    url = base + path
    if query:
        url += "?" + "&".join(f"{k}={quote(str(v), safe='')}" for k, v in query)
    return url


# How a query example is given as a param (fields is a list, filtering parsed JSON).
QUERY_ORDER = ["fields", "filtering", "sort", "limit", "after", "before", "verification_status",
               "availability_status", "country_code"]


def query_params(examples):
    params, query = {}, []
    for name in QUERY_ORDER:
        value = examples.get(("query", name))
        if value is None:
            continue
        if name == "fields":
            params[name] = value.split(",")
        elif name == "filtering":
            params[name] = json.loads(value)
            value = json.dumps(params[name], separators=(",", ":"), ensure_ascii=False)
        else:
            params[name] = value
        query.append((name, value))
    return params, query


def request_case(op, spec, path, method, name, source, config, params, url, body):
    token = config["access_token"]
    headers = {"accept": "application/json", "authorization": f"Bearer {token}",
               "content-type": "application/json" if body is not None else None}
    return {"name": name, "op": op, "source": source, "config": config, "params": params,
            "expect": {"request": {"method": method.upper(), "url": url, "headers": headers, "body": body}}}


def response_cases(op, spec, path, method, operation, not_ours):
    cases = []
    for status, response in operation["responses"].items():
        response = spec.resolve(response)
        content = (response.get("content") or {}).get("application/json")
        if content is None:
            continue
        examples = []
        if "examples" in content:
            examples += [(key, spec.resolve(e)["value"], f"responses.{status}.examples.{key}")
                         for key, e in content["examples"].items()]
        if "example" in content:
            examples.append(("example", content["example"], f"responses.{status}.example"))
        if not examples:
            built = spec.example_of(content["schema"])
            if built is not None:
                examples.append(("property examples", built, f"responses.{status} schema property examples"))
        for key, body, place in examples:
            if key in not_ours:
                continue
            code = int(status)
            case = {"name": f"spec {op} {status} {key}", "op": op, "source": where(spec, path, method, place),
                    "response": {"status": code, "body": body}}
            if 200 <= code < 300:
                case["expect"] = {"result": read(RESULTS[op], body)}
            else:
                case["expect"] = {"error": error_of(op, code, body)}
            cases.append(case)
    return cases


def error_of(op, status, body):
    if op.startswith("meta."):
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), int):
            expected = {"kind": meta_kind(error["code"]), "provider_code": str(error["code"]), "http_status": status}
            # Support's handles, kept as fields whenever the document's envelope gives them.
            if isinstance(error.get("error_subcode"), int):
                expected["error_subcode"] = error["error_subcode"]
            if isinstance(error.get("fbtrace_id"), str):
                expected["fbtrace_id"] = error["fbtrace_id"]
            return expected
    else:
        kind_url = body.get("type", "") if isinstance(body, dict) else ""
        code = kind_url.rsplit("#", 1)[1] if "#" in kind_url else None
        if code in VONAGE_KINDS:
            return {"kind": VONAGE_KINDS[code], "provider_code": code, "http_status": status}
    return {"kind": kind_by_status(status), "http_status": status}


def cases_for(spec, ops, config):
    cases, skipped = [], []
    for op, path, method, not_ours in ops:
        operation = spec.doc["paths"][path][method]
        examples = path_examples(spec, operation)
        path_params = {}
        for (where_, name), value in examples.items():
            if where_ == "path" and name != "Version":
                key = {"Phone-Number-ID": "phone_number_id", "WABA-ID": "waba_id", "Business-ID": "business_id",
                       "Pre-Verified-Phone-Number-ID": "preverified_id"}.get(name, name)
                path_params[key] = str(value)
        query_given, query = query_params(examples)
        url = url_for(op, spec, path, examples, query)
        content = (spec.resolve(operation.get("requestBody", {})).get("content") or {}).get("application/json")
        bodies = []
        if content is not None:
            if "examples" in content:
                bodies += [(key, spec.resolve(e)["value"], f"requestBody.examples.{key}")
                           for key, e in content["examples"].items()]
            elif "example" in content:
                bodies.append(("example", content["example"], "requestBody.example"))
            else:
                built = spec.example_of(content["schema"])
                if built:
                    bodies.append(("property examples", built, "requestBody schema property examples"))
        for key, body, place in bodies:
            if key in not_ours:
                skipped.append(f"{op} {place}")
                continue
            expected = dict(body)
            if op in ("meta.register", "meta.set_two_step_pin"):
                expected.setdefault("messaging_product", "whatsapp")
            cases.append(request_case(op, spec, path, method, f"spec {op} request {key}",
                                      where(spec, path, method, place) + "; path and query from the parameters' examples",
                                      config, params_for(op, body, path_params), url, expected))
        if not bodies:
            params = dict(path_params, **query_given)
            place = "parameters' examples" if query_given or path_params else "operation"
            cases.append(request_case(op, spec, path, method, f"spec {op} request",
                                      where(spec, path, method, place), config, params, url, None))
        cases += response_cases(op, spec, path, method, operation, not_ours)
    return cases, [f"{op} {key}" for op, _, _, keys in ops for key in keys]


def main():
    meta, vonage = Spec(META_FILE), Spec(VONAGE_FILE)
    meta_cases, meta_skipped = cases_for(meta, META_OPS, {"access_token": META_TOKEN, "api_version": "v23.0"})
    vonage_cases, _ = cases_for(vonage, VONAGE_OPS, {"access_token": VONAGE_TOKEN})
    document = {
        "description": (
            "Every example Meta's and Vonage's OpenAPI files (shared/specs/) give for waonboard's operations, "
            "with expectations derived from the documents by the contract's rules. Written by "
            "tools/gen_spec_vectors.py; do not edit by hand. Left out as another use of the shared endpoint "
            "POST /{Phone-Number-ID}: " + ", ".join(meta_skipped) + "."
        ),
        "cases": meta_cases + vonage_cases,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is out of date: run tools/gen_spec_vectors.py")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(document['cases'])} cases")


if __name__ == "__main__":
    main()
