// The app's hooks, its own fetch and per-call AbortSignals, end to end in Node against the
// project's simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MetaClient, VonageClient, Digital99Client, Onboarding, WaonboardError } from 'waonboard';
import { startSimulator } from './sim.js';

let sim;
let seed;
before(async () => {
  sim = await startSimulator();
  seed = sim.seed;
});
after(() => sim?.stop());

const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, poll: { initialIntervalMs: 30, maxIntervalMs: 100 } };

/** A fetch that sends with the global one and keeps every secret that crosses it. */
function recordingFetch(secrets, calls) {
  return async (request) => {
    calls.push(`${request.method} ${request.url}`);
    const auth = request.headers.get('authorization');
    if (auth) secrets.push(auth.split(' ')[1]);
    const text = await request.clone().text();
    const body = text ? JSON.parse(text) : {};
    for (const key of ['pin', 'code', 'client_secret']) if (body[key]) secrets.push(body[key]);
    const query = new URL(request.url).search.slice(1);
    if (query) secrets.push(query, ...query.split('&').map((pair) => pair.split('=')[1]));
    const response = await fetch(request);
    const answer = await response.clone().text();
    const token = response.ok && answer.startsWith('{') ? JSON.parse(answer).access_token : undefined;
    if (token) secrets.push(token);
    return response;
  };
}

async function rejects(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof WaonboardError, `a WaonboardError, not ${e}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

async function run(flow, client, codeFor, pin) {
  for (let steps = 0; flow.needs !== 'done'; steps++) {
    assert.ok(steps < 10, `the flow does not finish: ${JSON.stringify(flow)}`);
    const input = flow.needs === 'code' ? { code: await codeFor(flow) } : flow.needs === 'pin' ? { pin } : {};
    await flow.advance(client, input);
  }
}

test('three onboardings are reported request by request through the hooks, without a secret', async () => {
  await sim.clearRequests();
  const events = [];
  const secrets = [];
  const calls = [];
  const observed = {
    fetch: recordingFetch(secrets, calls),
    onRequest: (e) => events.push({ when: 'request', ...e }),
    onResponse: (e) => events.push({ when: 'response', ...e }),
    ...fast,
  };
  const meta = new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url, ...observed });
  const id = seed.meta.phone_number_ids.ready;
  await run(
    Onboarding.meta({ phone_number_id: id, code_method: 'sms', language: 'en_US' }),
    meta,
    () => sim.otp('meta', { phone_number_id: id }),
    '246810',
  );
  const vonage = new VonageClient({ accessToken: seed.vonage.access_token, baseUrl: seed.vonage.base_url, ...observed });
  const deployment = Onboarding.vonage({
    phone_number: '+44 7700 900654',
    vname_certificate: 'AbCdEFGHiJK123456',
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  await run(deployment, vonage, (f) => sim.otp('vonage', { deployment_id: f.toJSON().deployment_id }), '864213');
  const digital99 = new Digital99Client({
    clientId: seed.digital99.client_id,
    clientSecret: seed.digital99.client_secret,
    baseUrl: seed.digital99.base_url,
    ...observed,
  });
  const number = Onboarding.digital99({ phone_number: '00972505556677', method: 'sms', language: '1' });
  await run(number, digital99, () => sim.otp('digital99', { whatsapp: '972505556677' }), '');

  const received = await sim.requests();
  assert.ok(received.length >= 12, `${received.length} requests`);
  assert.equal(calls.length, received.length, 'every request went through the app fetch');
  assert.equal(events.length, 2 * received.length, 'an event before and after each request');
  const host = new URL(seed.meta.base_url).host;
  received.forEach((got, i) => {
    const [before, after] = [events[2 * i], events[2 * i + 1]];
    assert.deepEqual(before, { when: 'request', operation: got.op, method: got.method, host, path: got.path, attempt: 1 });
    assert.deepEqual(Object.keys(after), ['when', 'operation', 'method', 'host', 'path', 'attempt', 'status', 'durationMs']);
    const { status, durationMs, ...where } = after;
    assert.deepEqual({ ...where, when: 'request' }, before);
    assert.equal(status, got.status);
    assert.ok(Number.isInteger(durationMs) && durationMs >= 0);
  });
  assert.ok(events.some((e) => e.operation === 'digital99.access_token'));

  const all = [...secrets, '246810', '864213', seed.meta.access_token, seed.digital99.client_secret].filter((s) => s.length >= 4);
  assert.ok(secrets.some((s) => /^\d{6}$/.test(s)), 'codes were sent');
  assert.ok(secrets.some((s) => s.includes('=')), 'a query was sent');
  const text = JSON.stringify(events);
  for (const secret of all) assert.ok(!text.includes(secret), `an event holds ${secret}`);
});

test('each attempt of a retried read is reported with how it ended', async () => {
  await sim.fault({ op: 'meta.get_phone_number', times: 2, fault: 'status_503' });
  const ended = [];
  const client = new MetaClient({
    accessToken: seed.meta.access_token,
    baseUrl: seed.meta.base_url,
    ...fast,
    onResponse: (e) => ended.push([e.attempt, e.status, e.error]),
  });
  await client.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready });
  assert.deepEqual(ended, [[1, 503, 'provider'], [2, 503, 'provider'], [3, 200, undefined]]);
});

test('a hook that throws changes nothing; options that are not functions are refused', async () => {
  const client = new MetaClient({
    accessToken: seed.meta.access_token,
    baseUrl: seed.meta.base_url,
    onRequest: () => {
      throw new Error('the hook broke');
    },
  });
  const number = await client.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready });
  assert.equal(number.id, seed.meta.phone_number_ids.ready);
  for (const option of ['fetch', 'onRequest', 'onResponse']) {
    assert.throws(
      () => new MetaClient({ accessToken: 't', [option]: 'not a function' }),
      (e) => e instanceof WaonboardError && e.kind === 'validation' && e.field === option,
    );
  }
  const refused = await rejects(client.getPhoneNumber({ phone_number_id: '1' }, { signal: 'soon' }));
  assert.equal(refused.field, 'signal');
  const typo = await rejects(client.getPhoneNumber({ phone_number_id: '1' }, { sigal: AbortSignal.abort() }));
  assert.match(typo.message, /did you mean signal/);
});

test('an already aborted signal sends nothing', async () => {
  await sim.clearRequests();
  const client = new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url });
  const reason = new Error('the user left');
  const e = await rejects(client.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready }, { signal: AbortSignal.abort(reason) }));
  assert.deepEqual([e.kind, e.name, e.retryable, e.cause], ['aborted', 'AbortError', true, reason]);
  const flow = Onboarding.meta({ phone_number_id: seed.meta.phone_number_ids.ready, code_method: 'sms', language: 'en_US' });
  assert.equal((await rejects(flow.advance(client, {}, { signal: AbortSignal.abort() }))).kind, 'aborted');
  assert.deepEqual(await sim.requests(), []);
});

test('aborting a wait ends it at once, not at the next poll', { timeout: 30_000 }, async () => {
  const client = new VonageClient({
    accessToken: seed.vonage.access_token,
    baseUrl: seed.vonage.base_url,
    // A poll every ten minutes: only an abort that cuts the wait short ends this test in time.
    poll: { initialIntervalMs: 600_000, maxIntervalMs: 600_000 },
  });
  const created = await client.createDeployment({
    phone_number: '+44 7700 900987',
    vname_certificate: 'AbCdEFGHiJK123456',
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  await sim.clearRequests();
  const controller = new AbortController();
  const waiting = client.waitForState(created.deployment_id, 'READY', { signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  const e = await rejects(waiting);
  assert.deepEqual([e.kind, e.name, e.operation], ['aborted', 'AbortError', 'vonage.get_deployment']);
  assert.equal((await sim.sent('vonage.get_deployment')).length, 1, 'polled once, then waited until aborted');
});

test('a write aborted in flight stays pending and is settled, not sent again', { timeout: 30_000 }, async () => {
  const id = seed.meta.phone_number_ids.big;
  const client = new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url, ...fast });
  const flow = Onboarding.meta({ phone_number_id: id, code_method: 'sms', language: 'en_US' });
  assert.equal(await flow.advance(client), 'code');
  assert.equal(await flow.advance(client, { code: await sim.otp('meta', { phone_number_id: id }) }), 'pin');
  // Meta registers the number at once but answers only after ten seconds.
  await sim.fault({ op: 'meta.register', times: 1, fault: { type: 'late_answer_ms', ms: 10_000 } });
  let saved;
  const controller = new AbortController();
  const step = flow.advance(client, { pin: '246810' }, { checkpoint: (state) => (saved = state), signal: controller.signal });
  setTimeout(() => controller.abort(), 500);
  const e = await rejects(step);
  assert.deepEqual([e.kind, e.retryable, e.operation], ['aborted', false, 'meta.register']);
  assert.equal(saved.pending, 'meta.register', 'the checkpoint saw the write before it left');
  assert.equal(flow.toJSON().pending, 'meta.register', 'it may have landed: pending');
  assert.equal(flow.needs, 'advance');
  assert.equal(await flow.advance(client), 'done', 'Meta says it is registered');
  assert.equal((await sim.sent('meta.register')).filter((r) => r.path.includes(id)).length, 1, 'sent once');
});

test('a step aborted before its write leaves does not mark it pending', { timeout: 30_000 }, async () => {
  const id = seed.meta.phone_number_ids.pending_review;
  const client = new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url, ...fast });
  const flow = Onboarding.meta({ phone_number_id: id, code_method: 'sms', language: 'en_US' });
  // The step reads the number before it requests the code; that read is slow.
  await sim.fault({ op: 'meta.get_phone_number', times: 1, fault: { type: 'latency_ms', ms: 10_000 } });
  await sim.clearRequests();
  const controller = new AbortController();
  const step = flow.advance(client, {}, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('closed the tab')), 300);
  const e = await rejects(step);
  assert.deepEqual([e.kind, e.retryable, e.cause.message], ['aborted', true, 'closed the tab']);
  assert.equal(flow.toJSON().pending, undefined);
  assert.deepEqual([flow.toJSON().step, flow.needs], ['request_code', 'advance']);
  assert.equal((await sim.sent('meta.request_code')).length, 0);
  assert.equal(await flow.advance(client), 'code', 'the step runs again as if never tried');
});
