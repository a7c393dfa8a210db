// The built package end to end in Node: real fetch to the project's simulator, started and
// stopped here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { MetaClient, VonageClient, Digital99Client, Onboarding } from 'waonboard';
import { rejects, startSimulator } from './sim.js';

let sim;
let seed;
before(async () => {
  sim = await startSimulator();
  seed = sim.seed;
});
after(() => sim?.stop());

// Short backoffs keep retried reads quick; the rules are the core's either way.
const fast = { retry: { baseDelayMs: 20, maxDelayMs: 100 }, poll: { initialIntervalMs: 50, maxIntervalMs: 200 } };
const meta = (extra = {}) => new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url, ...fast, ...extra });
const vonage = (extra = {}) =>
  new VonageClient({ accessToken: seed.vonage.access_token, baseUrl: seed.vonage.base_url, ...fast, ...extra });
const digital99 = (extra = {}) =>
  new Digital99Client({
    clientId: seed.digital99.client_id,
    clientSecret: seed.digital99.client_secret,
    baseUrl: seed.digital99.base_url,
    ...fast,
    ...extra,
  });

/** Runs a flow to its end, saving it to JSON text and resuming with a new client at every step. */
async function runResuming(flow, clientFor, codeFor, pin) {
  const seen = [];
  for (let steps = 0; flow.needs !== 'done'; steps++) {
    assert.ok(steps < 10, `the flow does not finish: ${JSON.stringify(flow)}`);
    const input = flow.needs === 'code' ? { code: await codeFor(flow) } : flow.needs === 'pin' ? { pin } : {};
    seen.push(flow.needs);
    await flow.advance(clientFor(), input);
    const saved = JSON.stringify(flow);
    assert.ok(!saved.includes(pin), 'the PIN is not stored in the state');
    flow = Onboarding.fromJSON(saved);
  }
  return { flow, seen };
}

test('a Meta onboarding runs to registered, resuming from saved JSON at every step', async () => {
  const id = seed.meta.phone_number_ids.big; // above 2^53: it must stay an exact string
  const start = Onboarding.meta({ phone_number_id: id, code_method: 'VOICE', language: 'pt_BR' });
  assert.equal(start.provider, 'meta');
  assert.equal(start.needs, 'advance');
  const { flow, seen } = await runResuming(
    start,
    () => meta(),
    async () => {
      const code = await sim.otp('meta', { phone_number_id: id });
      return `${code.slice(0, 3)}-${code.slice(3)}`; // typed as people do
    },
    '246810',
  );
  assert.deepEqual(seen, ['advance', 'code', 'pin']);
  assert.equal(flow.toJSON().step, 'done');
  assert.equal(flow.toJSON().phone_number_id, id);
  const number = await meta().getPhoneNumber({ phone_number_id: id });
  assert.equal(number.id, id);
  assert.equal(number.code_verification_status, 'VERIFIED');
  assert.equal((await sim.sent('meta.register')).filter((r) => r.path.includes(id)).length, 1);
});

test('a Vonage onboarding creates, verifies and waits for READY', async () => {
  const start = Onboarding.vonage({
    phone_number: '+44 7700 900777',
    vname_certificate: 'AbCdEFGHiJK123456',
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  const { flow, seen } = await runResuming(
    start,
    () => vonage(),
    (f) => sim.otp('vonage', { deployment_id: f.toJSON().deployment_id }),
    '864213',
  );
  assert.deepEqual(seen, ['advance', 'advance', 'code', 'advance']);
  const { deployment_id } = flow.toJSON();
  const deployment = await vonage().getDeployment({ deployment_id });
  assert.equal(deployment.current_state.title, 'READY');
  assert.deepEqual([deployment.country_code, deployment.number], ['44', '7700900777']);
  const again = await vonage().waitForState(deployment_id, 'READY');
  assert.equal(again.deployment_id, deployment_id);
  // The names Python, Kotlin and Swift use work too.
  const named = await vonage().waitForState({ deployment_id, states: ['READY'] });
  assert.equal(named.current_state.title, 'READY');
});

test('a Vonage onboarding whose deployment ended in ERROR restarts with a fixed certificate', async () => {
  const client = vonage();
  const flow = Onboarding.vonage({
    phone_number: '+44 7700 900888',
    vname_certificate: seed.vonage.invalid_vname_certificate,
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  assert.equal(await flow.advance(client), 'advance');
  const failed = flow.toJSON().deployment_id;
  const e = await rejects(flow.advance(client));
  assert.deepEqual([e.kind, e.providerCode], ['provider', 'ERROR']);
  assert.equal(flow.toJSON().deployment_id, failed, 'the flow waits where it was');

  const fixed = Onboarding.fromJSON({ ...flow.toJSON(), vname_certificate: 'AbCdEFGHiJK123456' });
  await sim.clearRequests();
  assert.equal(await fixed.restart(client), 'advance');
  assert.equal((await sim.sent('vonage.delete_deployment')).length, 1, 'the failed deployment was deleted');
  assert.equal(fixed.toJSON().deployment_id, undefined);
  await fixed.advance(client);
  assert.notEqual(fixed.toJSON().deployment_id, failed, 'a new deployment');
  assert.equal(await fixed.advance(client), 'code');
});

test('a 99digital onboarding registers and verifies with one access token', async () => {
  await sim.clearRequests();
  const client = digital99();
  const flow = Onboarding.digital99({ phone_number: '00972501112233', method: 'sms', language: '1' });
  assert.equal(await flow.advance(client), 'code');
  const code = await sim.otp('digital99', { whatsapp: '972501112233' });
  assert.equal(await flow.advance(client, { code }), 'done');
  const state = flow.toJSON();
  assert.ok(Number.isInteger(state.expiration) && state.expiration > 0, JSON.stringify(state));
  const registered = await client.listRegisteredNumbers();
  assert.ok(registered.list.some((n) => n.whatsapp === '972501112233'));
  assert.equal((await sim.sent('digital99.access_token')).length, 1, 'one token served every call');
});

test('a write is saved as pending before it leaves, and a lost answer is settled, not re-sent', async () => {
  await sim.clearRequests();
  const client = digital99();
  const flow = Onboarding.digital99({ phone_number: '+972 50 765 4400', method: 'sms', language: '1' });
  await sim.fault({ op: 'digital99.register_number', fault: 'reset', process: true });
  const saved = [];
  const e = await rejects(flow.advance(client, {}, { checkpoint: (state) => saved.push(state) }));
  assert.equal(e.kind, 'transport');
  assert.deepEqual(
    saved.map((s) => s.pending),
    ['digital99.register_number'],
  );
  assert.equal(flow.toJSON().pending, 'digital99.register_number', 'the failed step kept what it learnt');

  // Resumed from what the checkpoint saved: the lists are asked, nothing is sent again.
  const resumed = Onboarding.fromJSON(saved[0]);
  assert.equal(await resumed.advance(client), 'code');
  assert.equal(resumed.toJSON().code_unconfirmed, true);
  assert.equal((await sim.sent('digital99.register_number')).length, 1);
  const code = await sim.otp('digital99', { whatsapp: '972507654400' });
  assert.equal(await resumed.advance(client, { code }), 'done');

  const refused = Onboarding.digital99({ phone_number: '+972 50 765 4401', method: 'sms', language: '1' });
  const thrown = await rejects(
    refused.advance(client, {}, {
      checkpoint: () => {
        throw new Error('disk full');
      },
    }),
  );
  assert.equal(thrown.field, 'checkpoint');
  assert.ok(thrown.message.includes('disk full'), thrown.message);
  assert.equal(refused.toJSON().pending, undefined);
  assert.equal((await sim.sent('digital99.register_number')).length, 1, 'nothing sent when the intent was not saved');
});

test('concurrent calls on one client each get their own answer', async () => {
  const client = meta();
  const ids = Object.values(seed.meta.phone_number_ids);
  const numbers = await Promise.all(ids.map((id) => client.getPhoneNumber({ phone_number_id: id })));
  assert.deepEqual(
    numbers.map((n) => n.id),
    ids,
  );
});

test('a 404 from a base URL without the provider’s path says the base URL may be wrong', async () => {
  const origin = new URL(seed.vonage.base_url).origin;
  const e = await rejects(new VonageClient({ accessToken: seed.vonage.access_token, baseUrl: origin }).listDeployments());
  assert.equal(e.kind, 'not_found');
  for (const part of ['may be wrong', 'https://api.nexmo.com/v0.1/whatsapp-manager', `sandbox there serves it at ${seed.vonage.base_url}`]) {
    assert.ok(e.message.includes(part), `${part} in ${e.message}`);
  }
});

test('a validation error is thrown before anything is sent', async () => {
  await sim.clearRequests();
  const client = meta();
  const e = await rejects(client.verifyCode({ phone_number_id: seed.meta.phone_number_ids.ready, code: '12345' }));
  assert.equal(e.kind, 'validation');
  assert.equal(e.field, 'code');
  assert.equal(e.retryable, false);
  assert.ok(!e.message.includes('12345'), 'the code is not echoed');
  const path = await rejects(client.register({ phone_number_id: '106/../1', pin: '123456' }));
  assert.equal(path.field, 'phone_number_id');
  const typo = await rejects(client.deregister({ phone_number_id: seed.meta.phone_number_ids.ready, phone_numer: 'x' }));
  assert.equal(typo.field, 'phone_numer');
  const number = await rejects(client.deregister({ phone_number_id: 106540352242922 }));
  assert.equal(number.field, 'phone_number_id', 'IDs must be strings');
  assert.deepEqual(await sim.requests(), [], 'nothing reached the provider');
});

test('a read that meets a 503 is retried and succeeds', async () => {
  await sim.clearRequests();
  await sim.fault({ op: 'meta.get_phone_number', times: 1, fault: 'status_503' });
  const id = seed.meta.phone_number_ids.ready;
  const number = await meta().getPhoneNumber({ phone_number_id: id });
  assert.equal(number.id, id);
  const sent = await sim.sent('meta.get_phone_number');
  assert.deepEqual(
    sent.map((r) => [r.status, r.fault]),
    [
      [503, 'status_503'],
      [200, null],
    ],
  );
});

test('a read told to wait by Retry-After waits that long', async () => {
  await sim.clearRequests();
  await sim.fault({ op: 'vonage.list_deployments', times: 1, fault: { type: 'status_429', retry_after: 1 } });
  const started = Date.now();
  const list = await vonage().listDeployments();
  assert.ok(Array.isArray(list.deployments));
  assert.ok(Date.now() - started >= 1000, 'waited the second Vonage asked for');
  assert.equal((await sim.sent('vonage.list_deployments')).length, 2);
});

test('an unsafe call that fails is sent exactly once', async () => {
  await sim.clearRequests();
  await sim.fault({ op: 'meta.request_code', times: 1, fault: 'status_503' });
  const e = await rejects(
    meta().requestCode({ phone_number_id: seed.meta.phone_number_ids.ready, code_method: 'sms', language: 'en_US' }),
  );
  assert.equal(e.kind, 'provider');
  assert.equal(e.httpStatus, 503);
  assert.equal(e.retryable, false, 'a write may already have taken effect');
  assert.equal(e.operation, 'meta.request_code');
  assert.equal((await sim.sent('meta.request_code')).length, 1);
});

test('a request with no answer times out through its AbortSignal and is not retried', async () => {
  await sim.clearRequests();
  await sim.fault({ op: 'meta.set_two_step_pin', times: 1, fault: { type: 'timeout', seconds: 5 } });
  const started = Date.now();
  const e = await rejects(
    meta({ timeoutMs: 300 }).setTwoStepPin({ phone_number_id: seed.meta.phone_number_ids.registered, pin: '147258' }),
  );
  const took = Date.now() - started;
  assert.equal(e.kind, 'timeout');
  assert.ok(took >= 250 && took < 3000, `gave up after the limit, not the fault's 5 s: ${took} ms`);
  assert.ok(!e.message.includes('147258'), 'no PIN in the message');
  assert.equal((await sim.sent('meta.set_two_step_pin')).length, 1);
});

test('provider errors arrive typed', async () => {
  const id = seed.meta.phone_number_ids.ready;
  const client = meta();
  await client.requestCode({ phone_number_id: id, code_method: 'sms', language: 'en_US' });
  const real = await sim.otp('meta', { phone_number_id: id });
  const wrong = real === '000000' ? '111111' : '000000';
  const e = await rejects(client.verifyCode({ phone_number_id: id, code: wrong }));
  assert.equal(e.kind, 'verification_failed');
  assert.equal(e.providerCode, '136025');
  const auth = await rejects(new MetaClient({ accessToken: 'wrong-token', baseUrl: seed.meta.base_url }).getPhoneNumber({ phone_number_id: id }));
  assert.deepEqual([auth.kind, auth.providerCode, auth.httpStatus], ['auth', '190', 401]);
  const other = await rejects(client.call('vonage.get_deployment', { deployment_id: 'd1' }));
  assert.deepEqual([other.kind, other.field], ['validation', 'op']);
});

test('the guard refuses a 4th code request within the hour, also after a restart', async () => {
  await sim.clearRequests();
  const client = digital99();
  const params = { phone_number: '+972 50 999 0000', method: 'sms', language: '1' };
  for (let i = 0; i < 3; i++) await client.registerNumber(params);
  const e = await rejects(client.registerNumber(params));
  assert.equal(e.kind, 'guard');
  assert.equal(e.retryable, true);
  assert.ok(e.retryAfterMs > 3_000_000 && e.retryAfterMs <= 3_600_000, `about an hour: ${e.retryAfterMs}`);
  assert.equal((await sim.sent('digital99.register_number')).length, 3, 'the 4th was never sent');

  const saved = JSON.parse(JSON.stringify(client.guardState()));
  assert.equal(saved.sent['digital99.register_number']['972509990000'].length, 3);
  const nextRun = digital99({ guardState: saved });
  assert.equal((await rejects(nextRun.registerNumber(params))).kind, 'guard');
  await nextRun.registerNumber({ ...params, phone_number: '+972 50 999 0001' });

  const strict = meta({ guardLimits: { metaRegistrations: { max: 1 } } });
  const register = { phone_number_id: seed.meta.phone_number_ids.registered, pin: seed.meta.registered_pin };
  assert.deepEqual(await strict.register(register), { success: true });
  assert.equal((await rejects(strict.register(register))).kind, 'guard');
});

test('Meta pages are followed to the end', async () => {
  const waba_id = seed.meta.waba_id;
  const client = meta();
  const onePage = await client.listPhoneNumbers({ waba_id, limit: 100 });
  const ids = onePage.data.map((n) => n.id);
  assert.ok(ids.length >= 3 && ids.includes(seed.meta.phone_number_ids.big));
  await sim.clearRequests();
  const all = await client.listAllPhoneNumbers({ waba_id, limit: 1 });
  assert.deepEqual(all.map((n) => n.id), ids);
  assert.equal((await sim.sent('meta.list_phone_numbers')).length, ids.length, 'one request per page of one');
});

test('waitForState gives up at the poll deadline with a timeout error', async () => {
  const client = vonage({ poll: { initialIntervalMs: 50, maxIntervalMs: 100, timeoutMs: 1500 } });
  const created = await client.createDeployment({
    phone_number: '+44 7700 900555',
    vname_certificate: 'AbCd',
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  // Nobody verifies the code, so READY never comes.
  const e = await rejects(client.waitForState(created.deployment_id, ['READY']));
  assert.equal(e.kind, 'timeout');
  assert.match(e.message, /CODE_SENT/);
});

// Hostile providers and bad input (issue 9).

test('a redirect is never followed: a provider error naming the status, nothing reaches the other host', async () => {
  await sim.clearRequests();
  const register = { phone_number_id: seed.meta.phone_number_ids.ready, pin: '246813' };
  for (const status of [307, 302]) {
    await sim.fault({ op: 'meta.register', fault: { type: 'redirect', status } });
    const e = await rejects(meta().register(register));
    assert.deepEqual([e.kind, e.httpStatus, e.retryable], ['provider', status, false]);
    assert.match(e.message, new RegExp(String(status)));
  }
  await sim.fault({ op: 'digital99.access_token', fault: { type: 'redirect', status: 307 } });
  const token = await rejects(digital99().listRegisteredNumbers());
  assert.deepEqual([token.kind, token.httpStatus], ['provider', 307]);
  assert.equal((await sim.sent('meta.register')).length, 2, 'each sent once');
  assert.deepEqual(await sim.trapHits(), [], 'fetch did not follow');
});

test('an error that echoes the request shows none of its secrets, and a huge one is cut', async () => {
  const secrets = [seed.meta.access_token, seed.digital99.client_secret, '246813'];
  await sim.fault({ op: 'meta.register', fault: 'echo_request' });
  const e = await rejects(meta().register({ phone_number_id: seed.meta.phone_number_ids.ready, pin: '246813' }));
  assert.match(e.message, /\[redacted\]/);
  for (const secret of secrets) assert.ok(!JSON.stringify(e).includes(secret), `${secret} leaked: ${e.message}`);
  await sim.fault({ op: 'meta.register', fault: { type: 'echo_request', pad: 2_000_000 } });
  const big = await rejects(
    meta({ timeoutMs: 30_000 }).register({ phone_number_id: seed.meta.phone_number_ids.ready, pin: '246813' }),
  );
  assert.ok([...big.message].length <= 512, `${[...big.message].length} characters`);
  assert.ok(!/[\u0000-\u001f\u007f]/.test(big.message), 'no control characters or escapes');
});

test('Meta {"success": false} is a provider error', async () => {
  await sim.fault({ op: 'meta.deregister', fault: 'meta_success_false' });
  const e = await rejects(meta().deregister({ phone_number_id: seed.meta.phone_number_ids.registered }));
  assert.deepEqual([e.kind, e.httpStatus, e.retryable], ['provider', 200, false]);
});

test('two advances at once (a double click) send the step once', async () => {
  await sim.clearRequests();
  const flow = Onboarding.meta({
    phone_number_id: seed.meta.phone_number_ids.ready,
    code_method: 'sms',
    language: 'en_US',
  });
  const client = meta();
  const [first, second] = await Promise.allSettled([flow.advance(client), flow.advance(client)]);
  assert.deepEqual(first, { status: 'fulfilled', value: 'code' });
  // The second ran after the first, from its state: the flow now waits for a code.
  assert.equal(second.status, 'rejected');
  assert.equal(second.reason.field, 'code');
  assert.equal((await sim.sent('meta.request_code')).length, 1, 'the code was requested once');
  assert.equal(flow.needs, 'code');
});

test('bad input names its field and sends nothing', async () => {
  await sim.clearRequests();
  const none = await rejects(vonage().waitForState(undefined));
  assert.deepEqual([none.kind, none.field], ['validation', 'deployment_id']);
  const unnamed = await rejects(vonage().waitForState({ states: ['READY'] }));
  assert.deepEqual([unnamed.kind, unnamed.field], ['validation', 'deployment_id']);
  const nan = await rejects(meta().listPhoneNumbers({ waba_id: seed.meta.waba_id, limit: NaN }));
  assert.deepEqual([nan.kind, nan.field], ['validation', 'limit']);
  const language = await rejects(
    digital99().registerNumber({ phone_number: '+972 50 999 1234', method: 'sms', language: 'english' }),
  );
  assert.deepEqual([language.kind, language.field], ['validation', 'language']);
  assert.deepEqual(await sim.requests(), [], 'nothing was sent, not even a token fetch');
});

/** A loopback port nobody listens on: bound, then closed. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('a refused connection names the method, host and path (no query) and keeps the cause', async () => {
  const port = await closedPort();
  const client = new MetaClient({ accessToken: 'EAAGsecret', baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } });
  const write = await rejects(client.register({ phone_number_id: '106540352242922', pin: '123456' }));
  assert.equal(write.kind, 'transport');
  assert.ok(write.message.startsWith(`POST 127.0.0.1:${port}/v23.0/106540352242922/register: `), write.message);
  assert.ok(write.cause instanceof Error, `cause: ${write.cause}`);
  // Node's fetch says only 'fetch failed'; what failed is in its cause, which is kept.
  assert.match(write.cause.message, /^TypeError: fetch failed: .*ECONNREFUSED/);
  assert.ok(!/123456|EAAGsecret/.test(write.message + write.cause.message), write.message);
  const read = await rejects(client.listPhoneNumbers({ waba_id: '102290129340398', after: 'cursorVALUE42' }));
  assert.ok(read.message.startsWith(`GET 127.0.0.1:${port}/v23.0/102290129340398/phone_numbers: `), read.message);
  assert.ok(!read.message.includes('cursorVALUE42') && !read.message.includes('?'), read.message);
  assert.equal(JSON.parse(JSON.stringify(read)).cause, read.cause.message);
});
