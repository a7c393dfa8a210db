// What an app plugs into a client (its own fetch, onRequest/onResponse hooks) and what it
// gives each call (an AbortSignal), end to end in Node against the packed package's sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MetaClient, VonageClient, Onboarding, WaonboardError } from 'waonboard';
import { rejects, startSimulator } from './sim.js';

let sim;
let seed;
before(async () => {
  sim = await startSimulator();
  seed = sim.seed;
});
after(() => sim?.stop());

const fast = { retry: { baseDelayMs: 20, maxDelayMs: 100 } };
const meta = (extra = {}) => new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url, ...fast, ...extra });
const vonage = (extra = {}) =>
  new VonageClient({ accessToken: seed.vonage.access_token, baseUrl: seed.vonage.base_url, ...fast, ...extra });

function thrown(run) {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof WaonboardError, `a WaonboardError, not ${e}`);
    return e;
  }
  assert.fail('expected a throw');
}

test('onRequest and onResponse see every attempt: operation, method, host, path, status, duration', async () => {
  await sim.clearRequests();
  await sim.fault({ op: 'meta.get_phone_number', times: 1, fault: 'status_503' });
  const events = [];
  const client = meta({
    onRequest: (event) => events.push(['request', event]),
    onResponse: (event) => events.push(['response', event]),
  });
  const id = seed.meta.phone_number_ids.ready;
  await client.getPhoneNumber({ phone_number_id: id });

  const { host, pathname } = new URL(seed.meta.base_url);
  const where = { operation: 'meta.get_phone_number', method: 'GET', host, path: `${pathname.replace(/\/$/, '')}/v23.0/${id}` };
  assert.deepEqual(
    events.map(([what, { durationMs, ...event }]) => [what, event]),
    [
      ['request', { ...where, attempt: 1 }],
      ['response', { ...where, attempt: 1, status: 503, error: 'provider' }],
      ['request', { ...where, attempt: 2 }],
      ['response', { ...where, attempt: 2, status: 200, error: undefined }],
    ],
  );
  for (const [what, event] of events) {
    if (what === 'response') assert.ok(Number.isInteger(event.durationMs) && event.durationMs >= 0, `${event.durationMs}`);
  }
  // Two attempts reached the simulator, as the hooks say.
  assert.equal((await sim.sent('meta.get_phone_number')).length, 2);
});

test('the hooks never see a secret: no token, PIN or code', async () => {
  const seen = [];
  const client = meta({ onRequest: (e) => seen.push(e), onResponse: (e) => seen.push(e) });
  const id = seed.meta.phone_number_ids.registered;
  await client.setTwoStepPin({ phone_number_id: id, pin: '582913' });
  await rejects(client.verifyCode({ phone_number_id: seed.meta.phone_number_ids.ready, code: '918273' }));
  const text = JSON.stringify(seen);
  assert.equal(seen.length, 4);
  for (const secret of [seed.meta.access_token, '582913', '918273']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
  assert.deepEqual(
    seen.filter((e) => 'status' in e).map((e) => [e.operation, e.status, e.error]),
    [
      ['meta.set_two_step_pin', 200, undefined],
      ['meta.verify_code', 400, 'verification_failed'],
    ],
  );
});

test('a hook that throws is logged and the call goes on', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const client = meta({
    onRequest: () => {
      throw new Error('a bug in the app');
    },
  });
  const number = await client.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready });
  assert.equal(number.id, seed.meta.phone_number_ids.ready);
  assert.equal(logged.mock.callCount(), 1);
  assert.match(String(logged.mock.calls[0].arguments[0]), /onRequest hook threw/);
});

test('an injected fetch sends every request, and its answer is read as the provider’s', async () => {
  const calls = [];
  const answer = { id: '106540352242922', display_phone_number: '+1 555-010-0001', verified_name: 'Fetched' };
  const client = new MetaClient({
    accessToken: 'EAAG-injected',
    // Nothing listens there: only the injected fetch can answer.
    baseUrl: 'http://127.0.0.1:9',
    fetch: async (url, init) => {
      calls.push({ url, method: init.method, headers: Object.fromEntries(init.headers), redirect: init.redirect });
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const number = await client.getPhoneNumber({ phone_number_id: '106540352242922' });
  assert.equal(number.verified_name, 'Fetched');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, 'http://127.0.0.1:9/v23.0/106540352242922');
  assert.equal(calls[0].method, 'GET');
  assert.equal(calls[0].headers.authorization, 'Bearer EAAG-injected');
  assert.equal(calls[0].redirect, 'manual', 'redirects are still never followed');
});

test('an injected fetch that rejects is a transport error with its cause', async () => {
  const client = new MetaClient({
    accessToken: 'EAAG-injected',
    baseUrl: 'http://127.0.0.1:9',
    retry: { maxAttempts: 1 },
    fetch: async () => {
      throw new TypeError('proxy refused');
    },
  });
  const e = await rejects(client.getPhoneNumber({ phone_number_id: '106540352242922' }));
  assert.equal(e.kind, 'transport');
  assert.match(e.cause.message, /TypeError: proxy refused/);
});

test('an injected fetch that answers garbage or throws a string is a transport error saying so', async () => {
  const garbage = [
    [async () => null, /TypeError/],
    [async () => ({}), /TypeError/],
    [async () => ({ status: 'x', headers: [], arrayBuffer: async () => new ArrayBuffer(0) }), /without an HTTP status \(x\)/],
    [async () => ({ status: 1e9, headers: [], arrayBuffer: async () => new ArrayBuffer(0) }), /without an HTTP status \(1000000000\)/],
    [() => { throw 'the proxy is down'; }, /the proxy is down/],
  ];
  for (const [fetch, said] of garbage) {
    const client = new MetaClient({ accessToken: 'EAAG-injected', baseUrl: 'http://127.0.0.1:9', retry: { maxAttempts: 1 }, fetch });
    const e = await rejects(client.getPhoneNumber({ phone_number_id: '106540352242922' }));
    assert.equal(e.kind, 'transport', e.message);
    assert.match(e.message, said);
    assert.ok(!e.message.includes('EAAG-injected'));
  }
});

test('a signal aborted before the call sends nothing; the error is retryable and its cause the reason', async () => {
  await sim.clearRequests();
  const reason = new Error('the user left the page');
  const e = await rejects(
    meta().requestCode(
      { phone_number_id: seed.meta.phone_number_ids.ready, code_method: 'sms', language: 'en_US' },
      { signal: AbortSignal.abort(reason) },
    ),
  );
  assert.equal(e.kind, 'aborted');
  assert.equal(e.retryable, true, 'nothing left, so sending again is safe');
  assert.equal(e.operation, 'meta.request_code');
  assert.equal(e.cause, reason);
  assert.deepEqual(await sim.requests(), []);
});

test('aborting a write in flight rejects at once and marks it not retryable; a read stays retryable', async () => {
  await sim.clearRequests();
  await sim.fault({ op: 'meta.request_code', times: 1, fault: { type: 'latency_ms', ms: 5000 } });
  const started = Date.now();
  const write = await rejects(
    meta().requestCode(
      { phone_number_id: seed.meta.phone_number_ids.ready, code_method: 'sms', language: 'en_US' },
      { signal: AbortSignal.timeout(200) },
    ),
  );
  const took = Date.now() - started;
  assert.equal(write.kind, 'aborted');
  assert.equal(write.retryable, false, 'the write may have reached Meta');
  assert.ok(took >= 150 && took < 3000, `stopped at the abort, not after the 5 s latency: ${took} ms`);
  assert.equal(write.cause?.name, 'TimeoutError', 'AbortSignal.timeout’s reason');

  await sim.fault({ op: 'meta.get_phone_number', times: 1, fault: { type: 'latency_ms', ms: 5000 } });
  const controller = new AbortController();
  const read = meta().getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const e = await rejects(read);
  assert.deepEqual([e.kind, e.retryable], ['aborted', true]);
});

test('a call’s signal stops that call only, not the others in flight on the same client', async () => {
  await sim.fault({ op: 'meta.get_phone_number', times: 3, fault: { type: 'latency_ms', ms: 400 } });
  const client = meta();
  const id = seed.meta.phone_number_ids.ready;
  const controller = new AbortController();
  const stopped = client.getPhoneNumber({ phone_number_id: id }, { signal: controller.signal });
  const plain = client.getPhoneNumber({ phone_number_id: id });
  const unfired = client.getPhoneNumber({ phone_number_id: id }, { signal: new AbortController().signal });
  setTimeout(() => controller.abort(), 100);
  assert.equal((await rejects(stopped)).kind, 'aborted');
  assert.equal((await plain).id, id);
  assert.equal((await unfired).id, id);
});

test('an abort ends waitForState during its wait between polls, not at the next poll', async () => {
  const client = vonage({ poll: { initialIntervalMs: 10_000, maxIntervalMs: 10_000 } });
  const created = await client.createDeployment({
    phone_number: '+44 7700 900556',
    vname_certificate: 'AbCd',
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  await sim.clearRequests();
  const started = Date.now();
  const e = await rejects(client.waitForState({ deployment_id: created.deployment_id, states: ['READY'] }, { signal: AbortSignal.timeout(300) }));
  const took = Date.now() - started;
  assert.equal(e.kind, 'aborted');
  assert.ok(took < 3000, `the 10 s wait was cut short: ${took} ms`);
  assert.equal((await sim.sent('vonage.get_deployment')).length, 1, 'one poll, then the abort');
});

test('a signal that fired while an answer was on its way ends the wait that follows at once', async () => {
  const controller = new AbortController();
  const client = vonage({
    poll: { initialIntervalMs: 10_000, maxIntervalMs: 10_000 },
    // The answer arrives whole, and the signal fires just before the client reads it: the
    // poll's wait then starts with the signal already aborted.
    fetch: async (url, init) => {
      const answer = await fetch(url, init);
      const body = await answer.arrayBuffer();
      if (url.includes('/deployments/')) controller.abort();
      return new Response(body, { status: answer.status, headers: answer.headers });
    },
  });
  const created = await client.createDeployment({
    phone_number: '+44 7700 900557',
    vname_certificate: 'AbCd',
    method: 'sms',
    waba_id: seed.vonage.waba_id,
  });
  const started = Date.now();
  const e = await rejects(client.waitForState(created.deployment_id, 'READY', { signal: controller.signal }));
  const took = Date.now() - started;
  assert.equal(e.kind, 'aborted');
  assert.ok(took < 3000, `did not sit out the 10 s wait: ${took} ms`);
});

test('an aborted onboarding step leaves the flow where it was', async () => {
  await sim.clearRequests();
  const flow = Onboarding.meta({ phone_number_id: seed.meta.phone_number_ids.ready, code_method: 'sms', language: 'en_US' });
  const before = JSON.stringify(flow);
  const e = await rejects(flow.advance(meta(), {}, { signal: AbortSignal.abort() }));
  assert.equal(e.kind, 'aborted');
  assert.equal(JSON.stringify(flow), before);
  assert.equal(flow.needs, 'advance');
  assert.deepEqual(await sim.requests(), []);
  assert.equal(await flow.advance(meta()), 'code', 'the same step runs once the app tries again');
});

test('bad hooks, fetches and call options are refused, naming the option as written', async () => {
  const base = { accessToken: 'EAAG-x' };
  for (const [options, field, message] of [
    [{ ...base, fetch: 'https://proxy' }, 'fetch', /must be a function/],
    [{ ...base, onRequest: {} }, 'onRequest', /must be a function/],
    [{ ...base, onRespons: () => {} }, 'onRespons', /did you mean onResponse\?/],
  ]) {
    const e = thrown(() => new MetaClient(options));
    assert.deepEqual([e.kind, e.field], ['validation', field]);
    assert.match(e.message, message);
  }
  const client = meta();
  const params = { phone_number_id: seed.meta.phone_number_ids.ready };
  for (const [options, field, message] of [
    [{ signl: AbortSignal.abort() }, 'signl', /did you mean signal\?/],
    [{ signal: 'stop' }, 'signal', /must be an AbortSignal/],
    ['fast', 'options', /must be an object/],
  ]) {
    const e = await rejects(client.getPhoneNumber(params, options));
    assert.deepEqual([e.kind, e.field], ['validation', field]);
    assert.match(e.message, message);
  }
  const flow = Onboarding.meta({ ...params, code_method: 'sms', language: 'en_US' });
  const typo = await rejects(flow.advance(client, {}, { checkpiont: () => {} }));
  assert.match(typo.message, /did you mean checkpoint\?/);
});
