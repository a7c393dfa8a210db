// `waonboard/forms`, the entry for a browser's sign-up form, from the packed package in
// Node: it holds validation and prepare/parse and nothing of the client, and `validate`
// judges params exactly as the server's `prepare` does (the shared vectors' request cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as forms from 'waonboard/forms';
import * as full from 'waonboard';

const pkg = new URL('./node_modules/waonboard/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
const vectors = new URL('../../tests/vectors/', import.meta.url);
const CONFIG_FIELDS = ['access_token', 'base_url', 'api_version', 'verify_number_path', 'config'];

/** Every request case of the shared vectors (the providers' docs and our contract). */
function requestCases() {
  return readdirSync(vectors)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(new URL(f, vectors), 'utf8')).cases)
    .filter((c) => !('response' in c));
}

test('the forms entry exports validation and prepare/parse, and no client', () => {
  assert.deepEqual(Object.keys(forms).sort(), ['WaonboardError', 'init', 'initSync', 'parse', 'prepare', 'validate']);
  assert.equal(forms.WaonboardError, full.WaonboardError, 'one error class for both entries');
});

// The client's imports: its fetch call and its timer (`send` and `wait`, in the package's
// wasm/snippets), hooks and the rest of the web's request API.
const CLIENT_IMPORT = /send|wait|fetch|setTimeout|AbortSignal|Request|Response|Headers|requested|answered/i;

test('the forms module has no fetch, timer or client: neither in its imports nor its exports', () => {
  const wasm = new WebAssembly.Module(readFileSync(new URL(manifest.exports['./waonboard_forms_bg.wasm'], pkg)));
  const exports = WebAssembly.Module.exports(wasm).map((e) => e.name);
  for (const { name } of WebAssembly.Module.imports(wasm)) assert.doesNotMatch(name, CLIENT_IMPORT);
  assert.ok(exports.includes('prepare') && exports.includes('parse'), exports.join());
  assert.ok(!exports.some((e) => /client|onboarding|preverified/i.test(e)), exports.join());
  // The full module, for contrast, does import them: the checks above can fail.
  const fullWasm = new WebAssembly.Module(readFileSync(new URL(manifest.exports['./waonboard_bg.wasm'], pkg)));
  const fullImports = WebAssembly.Module.imports(fullWasm).map((i) => i.name);
  for (const call of [/_send_/, /(^|_)wait(_|$)/, /_requested_/]) assert.ok(fullImports.some((name) => call.test(name)), `${call} in ${fullImports}`);
});

test('validate judges params as prepare does, without credentials', () => {
  let checked = 0;
  for (const c of requestCases()) {
    const want = c.expect.error;
    if (want && (want.kind !== 'validation' || CONFIG_FIELDS.includes(want.field))) continue;
    let thrown;
    try {
      forms.validate(c.op, c.params ?? {});
    } catch (e) {
      thrown = e;
    }
    if (want) {
      assert.ok(thrown instanceof forms.WaonboardError, `${c.name}: expected a validation error`);
      assert.equal(thrown.kind, 'validation', c.name);
      if ('field' in want) assert.equal(thrown.field, want.field ?? undefined, c.name);
    } else {
      assert.equal(thrown, undefined, `${c.name}: ${thrown?.message}`);
    }
    checked += 1;
  }
  assert.ok(checked > 100, `only ${checked} cases checked`);
});

test('a form field error names the field and says what is wrong, before anything is built', () => {
  const params = { phone_number: '+972-50-123-4567', method: 'sms', language: '1', comment: 'Branch 12!' };
  assert.throws(
    () => forms.validate('digital99.register_number', params),
    (e) => e instanceof forms.WaonboardError && e.kind === 'validation' && e.field === 'comment' && /comment/.test(e.message),
  );
  assert.throws(
    () => forms.validate('meta.verify_code', { phone_number_id: '106540352242922', code: '12345' }),
    (e) => e.kind === 'validation' && e.field === 'code',
  );
  assert.throws(() => forms.validate('meta.nope', {}), (e) => e.kind === 'validation' && e.field === 'op');
  assert.equal(forms.validate('meta.verify_code', { phone_number_id: '106540352242922', code: '123-456' }), undefined);
});

test('prepare and parse through the forms entry give what the main entry gives', () => {
  const params = { phone_number: '+44 7700 900000', vname_certificate: 'AbCdEFGHiJK123456', method: 'sms', waba_id: '123456789123' };
  const config = { access_token: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2ln' };
  assert.deepEqual(forms.prepare('vonage.create_deployment', params, config), full.prepare('vonage.create_deployment', params, config));
  const body = '{"deployment_id":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","current_state":{"title":"INITIALIZING"}}';
  const result = forms.parse('vonage.create_deployment', 202, { 'content-type': 'application/json' }, body);
  assert.deepEqual(result, full.parse('vonage.create_deployment', 202, { 'content-type': 'application/json' }, body));
  assert.equal(result.deployment_id, 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab');
});
