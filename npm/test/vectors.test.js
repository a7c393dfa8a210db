// The shared vectors (tests/vectors/*.json, format in its README) through the built
// package's prepare/parse, compared exactly as core/tests/vectors.rs compares them: once
// through the main entry and once through `waonboard/forms`, whose wasm module is built
// apart (without the client) and must agree with it on every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { WaonboardError } from 'waonboard';

const dir = new URL('../../tests/vectors/', import.meta.url);

/** Every operation id listed in shared/CONTRACT.md ("Operations"). */
const OPERATIONS = [
  'meta.request_code', 'meta.verify_code', 'meta.register', 'meta.deregister', 'meta.set_two_step_pin',
  'meta.get_phone_number', 'meta.list_phone_numbers', 'meta.add_phone_number',
  'meta.add_preverified_number', 'meta.list_preverified_numbers', 'meta.get_preverified_number',
  'meta.delete_preverified_number', 'meta.request_preverified_code', 'meta.verify_preverified_code',
  'meta.list_preverified_partners', 'meta.share_preverified_number',
  'vonage.create_deployment', 'vonage.get_deployment', 'vonage.list_deployments', 'vonage.delete_deployment',
  'vonage.resend_otp', 'vonage.verify_otp', 'vonage.get_profile', 'vonage.update_profile',
  'vonage.get_profile_photo', 'vonage.update_profile_photo', 'vonage.list_stickerpacks',
  'vonage.create_stickerpack', 'vonage.update_stickerpack', 'vonage.delete_stickerpack', 'vonage.list_stickers',
  'vonage.get_sticker', 'vonage.create_sticker', 'vonage.delete_sticker',
  'digital99.access_token', 'digital99.register_number', 'digital99.verify_number',
  'digital99.list_registered_numbers', 'digital99.list_whatsapp_numbers', 'digital99.list_accounts',
  'digital99.delete_account',
];
const MIN_CASES = 150;
const CASE_KEYS = ['name', 'op', 'source', 'config', 'params', 'response', 'expect'];
const ERROR_KEYS = [
  'kind', 'provider_code', 'http_status', 'retryable', 'retry_after_ms', 'field', 'fbtrace_id', 'error_subcode',
];
const SECRET_PARAMS = ['pin', 'code', 'client_secret'];

/** Removes every null-valued key, recursively (absent and null mean the same). */
function dropNulls(v) {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  }
  return v;
}

function isDeepEqual(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/** The error's contract fields, absent ones as null, as vectors.rs's error_json. */
function errorJson(e) {
  return {
    kind: e.kind,
    field: e.field ?? null,
    provider_code: e.providerCode ?? null,
    http_status: e.httpStatus ?? null,
    retryable: e.retryable,
    retry_after_ms: e.retryAfterMs ?? null,
    fbtrace_id: e.fbtraceId ?? null,
    error_subcode: e.errorSubcode ?? null,
  };
}

const describe = (e) =>
  e instanceof WaonboardError ? `${JSON.stringify(dropNulls(errorJson(e)))} ${JSON.stringify(e.message)}` : String(e);

function checkError(e, want) {
  if (!(e instanceof WaonboardError)) return [`expected a WaonboardError, got ${inspect(e)}`];
  const unknown = Object.keys(want).filter((k) => !ERROR_KEYS.includes(k));
  if (unknown.length) return [`malformed case: unknown error keys ${unknown}`];
  if (typeof want.kind !== 'string') return ['malformed case: expect.error.kind must be a string'];
  const actual = errorJson(e);
  const diffs = [];
  if (actual.kind !== want.kind) diffs.push(`kind: expected ${want.kind}, actual ${actual.kind}`);
  for (const key of ERROR_KEYS.filter((k) => k !== 'kind' && k in want)) {
    // retryable is never absent: null means false.
    const expected = key === 'retryable' && want[key] === null ? false : want[key];
    if (!isDeepEqual(actual[key], expected)) {
      diffs.push(`${key}: expected ${JSON.stringify(expected)}, actual ${JSON.stringify(actual[key])}`);
    }
  }
  return diffs.length ? [...diffs, `(actual error ${describe(e)})`] : [];
}

/** CONTRACT.md: no error text contains an access token, client secret, PIN or OTP code. */
function checkNoSecrets(e, params, config) {
  const secrets = [config?.access_token, ...SECRET_PARAMS.map((k) => params?.[k])].filter(
    (s) => typeof s === 'string' && [...s].length >= 4,
  );
  const texts = [e.message, String(e), e.stack ?? '', JSON.stringify(e), inspect(e)];
  for (const s of secrets) {
    if (texts.some((t) => t.includes(s))) return [`the error text leaks a secret value: ${inspect(e)}`];
  }
  return [];
}

function runRequest({ prepare }, c) {
  const params = c.params ?? {};
  const config = c.config ?? {};
  let req;
  let err;
  try {
    req = prepare(c.op, params, config);
  } catch (e) {
    err = e;
  }
  if ('request' in c.expect) {
    if (err) return [`expected a request, got error ${describe(err)}`];
    const want = c.expect.request;
    const diffs = [];
    if ('method' in want && want.method !== req.method) diffs.push(`method: expected ${want.method}, actual ${req.method}`);
    if ('url' in want && want.url !== req.url) diffs.push(`url:\n  expected ${want.url}\n  actual   ${req.url}`);
    for (const [name, value] of Object.entries(want.headers ?? {})) {
      const found = req.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
      if (value === null) {
        if (found.length) diffs.push(`header ${name}: expected absent, actual ${JSON.stringify(found)}`);
      } else if (typeof value !== 'string') {
        return [`malformed case: header ${name} must be a string or null`];
      } else if (!(found.length === 1 && found[0] === value)) {
        diffs.push(`header ${name}: expected ${JSON.stringify(value)}, actual ${JSON.stringify(found)}`);
      }
    }
    if ('body' in want) {
      if (want.body === null) {
        if (req.body !== null) diffs.push(`body: expected none, actual ${req.body}`);
      } else if (req.body === null) {
        diffs.push(`body: expected ${JSON.stringify(want.body)}, actual none`);
      } else {
        let parsed;
        try {
          parsed = JSON.parse(req.body);
        } catch (e) {
          diffs.push(`body is not JSON (${e.message}): ${req.body}`);
        }
        if (parsed !== undefined && !isDeepEqual(parsed, want.body)) {
          diffs.push(`body:\n  expected ${JSON.stringify(want.body)}\n  actual   ${req.body}`);
        }
      }
    }
    return diffs;
  }
  if ('error' in c.expect) {
    if (!err) return [`expected error ${JSON.stringify(c.expect.error)}, got request ${req.method} ${req.url} body ${req.body}`];
    return [...checkError(err, c.expect.error), ...checkNoSecrets(err, params, config)];
  }
  return ['malformed case: a request case expects "request" or "error"'];
}

function runResponse({ parse }, c) {
  const r = c.response;
  if (typeof r !== 'object' || r === null) return ['malformed case: response must be an object'];
  if (!Number.isInteger(r.status)) return ['malformed case: response.status must be an HTTP status'];
  if ('body' in r && 'body_text' in r) return ['malformed case: response has both body and body_text'];
  const body = 'body_text' in r ? r.body_text : 'body' in r ? JSON.stringify(r.body) : '';
  let result;
  let err;
  try {
    result = parse(c.op, r.status, r.headers ?? {}, new TextEncoder().encode(body));
  } catch (e) {
    err = e;
  }
  if ('result' in c.expect) {
    if (err) return [`expected a result, got error ${describe(err)}`];
    const [w, a] = [dropNulls(c.expect.result), dropNulls(result)];
    return isDeepEqual(a, w) ? [] : [`result:\n  expected ${JSON.stringify(w)}\n  actual   ${JSON.stringify(a)}`];
  }
  if ('error' in c.expect) {
    if (!err) return [`expected error ${JSON.stringify(c.expect.error)}, got result ${JSON.stringify(result)}`];
    return checkError(err, c.expect.error);
  }
  return ['malformed case: a response case expects "result" or "error"'];
}

function runCase(api, c) {
  if (typeof c !== 'object' || c === null) return ['a case must be a JSON object'];
  const unknown = Object.keys(c).filter((k) => !CASE_KEYS.includes(k));
  if (unknown.length) return [`malformed case: unknown keys ${JSON.stringify(unknown)}`];
  if (typeof c.op !== 'string') return ['malformed case: no "op" string'];
  if (!OPERATIONS.includes(c.op)) return [`malformed case: ${JSON.stringify(c.op)} is not an operation of the contract`];
  if (typeof c.expect !== 'object' || c.expect === null) return ['malformed case: no "expect" object'];
  if (Object.keys(c.expect).length !== 1) return ['malformed case: "expect" must hold exactly one of request, result, error'];
  return 'response' in c ? runResponse(api, c) : runRequest(api, c);
}

for (const entry of ['waonboard', 'waonboard/forms']) {
  test(`shared vectors through ${entry}`, async () => {
    const api = await import(entry);
    assert.equal(api.WaonboardError, WaonboardError, 'both entries throw the one error class');
    runVectors(api);
  });
}

function runVectors(api) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length > 0, `no *.json vector files in ${dir.pathname}`);
  const failures = [];
  const names = new Map();
  const requestOps = new Set();
  const responseOps = new Set();
  let total = 0;
  for (const file of files) {
    const doc = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    if (typeof doc.description !== 'string') failures.push(`${file}: missing a "description" string`);
    if (!Array.isArray(doc.cases)) {
      failures.push(`${file}: missing a "cases" array`);
      continue;
    }
    for (const c of doc.cases) {
      total += 1;
      const name = c?.name ?? '<no name>';
      if (names.has(name)) failures.push(`${file} :: ${name}\n    duplicate case name (also in ${names.get(name)})`);
      names.set(name, file);
      let diffs;
      try {
        diffs = runCase(api, c);
      } catch (e) {
        diffs = [`threw ${inspect(e)}`];
      }
      if (diffs.length) failures.push(`${file} :: ${name}\n    ${diffs.join('\n').replaceAll('\n', '\n    ')}`);
      // Coverage counts the cases that exist, whether or not they pass.
      if (c && 'response' in c) responseOps.add(c.op);
      else if (c?.expect && 'request' in c.expect) requestOps.add(c.op);
    }
  }
  for (const op of OPERATIONS) {
    if (!requestOps.has(op)) failures.push(`coverage: no request case builds a request for ${op}`);
    if (!responseOps.has(op)) failures.push(`coverage: no response case for ${op}`);
  }
  if (total < MIN_CASES) failures.push(`coverage: only ${total} cases, at least ${MIN_CASES} expected`);
  for (const f of failures) console.error(`FAIL ${f}\n`);
  assert.equal(failures.length, 0, `${failures.length} vector failure(s) in ${total} cases`);
  console.log(`vectors: ${total} cases passed`);
}
