// The browsers/bundlers entry point (the exports map's `default`), loaded here in Node by
// its path: it must refuse loudly before init() and work after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkg = new URL('./node_modules/waonboard/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
const entry = new URL(manifest.exports['.'].default, pkg);
const api = await import(entry);

test('before init(), every call throws an error that says what to do', () => {
  const loud = /not loaded yet.*await init\(\)/;
  assert.throws(() => api.prepare('meta.deregister', { phone_number_id: '1' }, { access_token: 't' }), loud);
  assert.throws(() => api.parse('meta.deregister', 200, {}, '{"success":true}'), loud);
  assert.throws(() => new api.MetaClient({ accessToken: 't' }), loud);
  assert.throws(() => api.Onboarding.meta({ phone_number_id: '1', code_method: 'sms', language: 'en_US' }), loud);
});

test('init() loads the module, once', async () => {
  const wasm = readFileSync(new URL(manifest.exports['./waonboard_bg.wasm'], pkg));
  await Promise.all([api.init(wasm), api.init(wasm)]);
  await api.init();
  const req = api.prepare('meta.deregister', { phone_number_id: '1' }, { access_token: 't' });
  assert.equal(req.url, 'https://graph.facebook.com/v23.0/1/deregister');
});

test('the forms entry for browsers refuses before init() too, and works after it', async () => {
  const forms = await import(new URL(manifest.exports['./forms'].default, pkg));
  assert.throws(() => forms.validate('meta.verify_code', { phone_number_id: '1', code: '123456' }), /not loaded yet.*await init\(\)/);
  await forms.init(readFileSync(new URL(manifest.exports['./waonboard_forms_bg.wasm'], pkg)));
  assert.throws(() => forms.validate('meta.verify_code', { phone_number_id: '1', code: '1' }), (e) => e.field === 'code');
  assert.equal(forms.validate('meta.verify_code', { phone_number_id: '1', code: '123456' }), undefined);
});
