// Embedded Signup end to end in Node (seed 003): a number Embedded Signup left VERIFIED is
// registered with no code request, against the project's simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MetaClient, Onboarding } from 'waonboard';
import { startSimulator } from './sim.js';

let sim;
before(async () => {
  sim = await startSimulator();
});
after(() => sim?.stop());

test('a number verified in Embedded Signup goes straight to register', async () => {
  const { meta } = sim.seed;
  const client = new MetaClient({ accessToken: meta.access_token, baseUrl: meta.base_url });
  // A number of its own (the simulator is shared by the file's tests), then what Embedded
  // Signup leaves: its code verification done.
  const { id } = await client.addPhoneNumber({
    waba_id: meta.waba_id,
    phone_number: '+1 631-555-7003',
    verified_name: 'Lucky Shrub',
  });
  await sim.side('POST', '/meta/code_verification_status', {
    phone_number_id: id,
    code_verification_status: 'VERIFIED',
  });
  await sim.clearRequests();

  const flow = Onboarding.meta({ phone_number_id: id, code_method: 'SMS', language: 'en_US' });
  assert.equal(await flow.advance(client), 'pin');
  assert.equal(flow.toJSON().already_verified, true);
  assert.equal(await flow.advance(client, { pin: '123456' }), 'done');
  const ops = (await sim.requests()).map((r) => r.op);
  assert.deepEqual(
    ['meta.request_code', 'meta.verify_code', 'meta.register'].map((op) => ops.filter((o) => o === op).length),
    [0, 0, 1],
    ops.join(', '),
  );
});
