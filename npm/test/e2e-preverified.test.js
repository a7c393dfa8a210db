// Meta's pre-verified phone numbers end to end in Node: the packed package's MetaClient
// against the project's simulator, started and stopped here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MetaClient, PreverifiedVerification } from 'waonboard';
import { rejects, startSimulator } from './sim.js';

let sim;
let seed;
before(async () => {
  sim = await startSimulator();
  seed = sim.seed.meta;
});
after(() => sim?.stop());

const meta = () =>
  new MetaClient({ accessToken: seed.access_token, baseUrl: seed.base_url, retry: { baseDelayMs: 5, maxDelayMs: 20 } });

test('a pre-verified number is added, verified by code, shared and deleted', async () => {
  const client = meta();
  const { id } = await client.addPreverifiedNumber({ business_id: seed.business_id, phone_number: '+49 1512 7654321' });
  assert.match(id, /^\d+$/);
  assert.deepEqual(await client.getPreverifiedNumber({ preverified_id: id, fields: ['id', 'country_prefix'] }), {
    id,
    country_prefix: 49,
  });

  assert.deepEqual(await client.requestPreverifiedCode({ preverified_id: id, code_method: 'sms', language: 'de_DE' }), {
    success: true,
  });
  const code = await sim.otp('meta', { phone_number_id: id });
  const wrong = code === '000000' ? '111111' : '000000';
  const failed = await rejects(client.verifyPreverifiedCode({ preverified_id: id, code: wrong }));
  assert.equal(failed.kind, 'invalid_request');
  assert.equal(failed.httpStatus, 422);
  assert.ok(!failed.message.includes(wrong), 'the code is not repeated');
  assert.deepEqual(await client.verifyPreverifiedCode({ preverified_id: id, code }), { success: true });

  const page = await client.listPreverifiedNumbers({ business_id: seed.business_id, country_code: 'de', limit: 5 });
  assert.deepEqual(page.data, [{ id, display_phone_number: '+49 15127654321', verification_status: 'VERIFIED' }]);

  const share = { business_id: seed.business_id, preverified_id: id, partner_business_id: seed.partner_business_id };
  assert.deepEqual(await client.sharePreverifiedNumber(share), { success: true });
  const partners = await client.call('meta.list_preverified_partners', { preverified_id: id });
  assert.deepEqual(partners.data, [{ id: seed.partner_business_id, name: 'Sim Partner Agency' }]);

  assert.deepEqual(await client.deletePreverifiedNumber({ preverified_id: id }), { success: true });
  const gone = await rejects(client.deletePreverifiedNumber({ preverified_id: id }));
  assert.equal(gone.providerCode, '803');
  assert.equal(gone.httpStatus, 404);
});

test('bad input is refused before anything is sent', async () => {
  const client = meta();
  const before = (await sim.sent('meta.share_preverified_number')).length;
  const err = await rejects(
    client.sharePreverifiedNumber({ business_id: seed.business_id, preverified_id: '1/2', partner_business_id: '3' }),
  );
  assert.equal(err.kind, 'validation');
  assert.equal(err.field, 'preverified_id');
  assert.equal((await sim.sent('meta.share_preverified_number')).length, before);
});

test('PreverifiedVerification runs to done, resuming from saved JSON, and refuses an invalid ID', async () => {
  const client = meta();
  const { id } = await client.addPreverifiedNumber({ business_id: seed.business_id, phone_number: '+39 06 6982 1234' });
  let flow = PreverifiedVerification.start({ preverified_id: id, code_method: 'SMS', language: 'it-it' });
  assert.equal(flow.needs, 'advance');
  assert.equal(await flow.advance(client), 'code');
  const saved = JSON.stringify(flow);
  assert.deepEqual(JSON.parse(saved), { preverified_id: id, code_method: 'sms', language: 'it-it', step: 'verify_code' });

  flow = PreverifiedVerification.fromJSON(saved);
  const code = await sim.otp('meta', { phone_number_id: id });
  const missing = await rejects(flow.advance(client));
  assert.equal(missing.field, 'code');
  assert.equal(flow.needs, 'code', 'a failed step leaves the flow where it was');
  assert.equal(await flow.advance(client, { code }), 'done');
  assert.ok(!JSON.stringify(flow).includes(code), 'the code is not stored');

  const invalid = PreverifiedVerification.start({
    preverified_id: seed.preverified_ids.failed,
    code_method: 'sms',
    language: 'en_US',
  });
  const before = (await sim.sent('meta.request_preverified_code')).length;
  const err = await rejects(invalid.advance(client));
  assert.equal(err.kind, 'conflict');
  assert.equal(err.field, 'preverified_id');
  assert.equal((await sim.sent('meta.request_preverified_code')).length, before, 'no code was requested');
  assert.throws(() => PreverifiedVerification.fromJSON('{"preverified_id":"1"}'), (e) => e.field === 'state');
});
