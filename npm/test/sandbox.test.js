// The packed package's sandbox (`waonboard/sandbox`): the simulator's engine, compiled to
// its own wasm module, served by node:http; driven by the library's clients and plain fetch.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MetaClient, WaonboardError } from 'waonboard';
import { startSandbox } from 'waonboard/sandbox';

const READY = '106540352242922'; // seeded: NOT_VERIFIED, name APPROVED (simulator/README.md)

let sandbox;
before(async () => {
  sandbox = await startSandbox({ seed: 7 });
});
after(() => sandbox?.close());
beforeEach(() => side('POST', '/_sim/reset'));

async function side(method, path, body, on = sandbox) {
  const res = await fetch(on.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

const meta = (on = sandbox, extra = {}) =>
  new MetaClient({ accessToken: on.seed.meta.access_token, baseUrl: on.baseUrl('meta'), ...extra });

test('a Meta number is onboarded with the code the sandbox sent', async () => {
  assert.equal(await sandbox.otp('meta', READY), null); // no code before one is requested
  assert.deepEqual(await meta().requestCode({ phone_number_id: READY, code_method: 'sms', language: 'en_US' }), {
    success: true,
  });
  const code = await sandbox.otp('meta', READY);
  assert.match(code, /^[0-9]{6}$/);
  await meta().verifyCode({ phone_number_id: READY, code });
  const number = await meta().getPhoneNumber({ phone_number_id: READY, fields: ['code_verification_status'] });
  assert.equal(number.code_verification_status, 'VERIFIED');
  const ops = (await side('GET', '/_sim/requests')).map((e) => e.op);
  assert.deepEqual(ops, ['meta.request_code', 'meta.verify_code', 'meta.get_phone_number']);
});

test("a wrong token gets Meta's own auth error", async () => {
  const client = new MetaClient({ accessToken: 'not-the-token', baseUrl: sandbox.baseUrl('meta') });
  const error = await client.getPhoneNumber({ phone_number_id: READY }).catch((e) => e);
  assert.ok(error instanceof WaonboardError);
  assert.equal(error.kind, 'auth');
  assert.equal(error.httpStatus, 401);
  assert.equal(error.providerCode, '190'); // Meta: invalid OAuth access token
});

test('the same seed gives the same codes; a fixed otp is every code', async () => {
  const codes = [];
  for (const options of [{ seed: 42 }, { seed: 42 }, { fixedOtp: '123456' }]) {
    const own = await startSandbox(options);
    try {
      await meta(own).requestCode({ phone_number_id: READY, code_method: 'sms', language: 'en_US' });
      codes.push(await own.otp('meta', READY));
    } finally {
      await own.close();
    }
  }
  assert.match(codes[0], /^[0-9]{6}$/);
  assert.equal(codes[1], codes[0]);
  assert.equal(codes[2], '123456');
  await assert.rejects(startSandbox({ fixedOtp: '12345' }), TypeError);
});

test('latency holds the answer, and the operation runs after it', async () => {
  await side('POST', '/_sim/faults', { op: 'meta.get_phone_number', fault: { type: 'latency_ms', ms: 400 } });
  const started = performance.now();
  await meta().getPhoneNumber({ phone_number_id: READY });
  assert.ok(performance.now() - started >= 390);
  const [entry] = await side('GET', '/_sim/requests');
  assert.equal(entry.fault, 'latency_ms');
  assert.equal(entry.status, 200);
});

test('a reset drops the connection unanswered', async () => {
  await side('POST', '/_sim/faults', { op: 'meta.get_phone_number', always: true, fault: 'reset' });
  const error = await meta(sandbox, { retry: { maxAttempts: 1 } })
    .getPhoneNumber({ phone_number_id: READY })
    .catch((e) => e);
  assert.equal(error.kind, 'transport');
  const entries = await side('GET', '/_sim/requests');
  assert.ok(entries.length > 0 && entries.every((e) => e.status === null && e.fault === 'reset'));
});

test('a redirect is not followed; the trap sees only who follows it', async () => {
  await side('POST', '/_sim/faults', { op: 'meta.get_phone_number', always: true, fault: 'redirect' });
  const error = await meta().getPhoneNumber({ phone_number_id: READY }).catch((e) => e);
  assert.equal(error.kind, 'provider');
  assert.deepEqual((await side('GET', '/_sim/trap')).hits, []);
  // fetch follows the 307 by default: the trap records it.
  const followed = await fetch(`${sandbox.baseUrl('meta')}/v23.0/${READY}`);
  assert.deepEqual(await followed.json(), { success: true, status: 'OK' });
  const [hit] = (await side('GET', '/_sim/trap')).hits;
  assert.equal(hit.path, `/meta/v23.0/${READY}`);
});

test('the clock moves without sleeping', async () => {
  const before = await side('GET', '/_sim/clock');
  const later = await side('POST', '/_sim/clock/advance', { ms: 3_600_000 });
  assert.ok(later.now_ms - before.now_ms >= 3_600_000);
  assert.ok(later.unix - before.unix >= 3600);
});

test('close() ends a request held by a timeout fault', async () => {
  const own = await startSandbox();
  await side('POST', '/_sim/faults', { fault: { type: 'timeout', seconds: 30 } }, own);
  const started = performance.now();
  const pending = meta(own, { retry: { maxAttempts: 1 } })
    .getPhoneNumber({ phone_number_id: READY })
    .catch((e) => e);
  await new Promise((r) => setTimeout(r, 300));
  await own.close();
  const error = await pending;
  assert.ok(error instanceof WaonboardError && ['transport', 'timeout'].includes(error.kind), String(error));
  assert.ok(performance.now() - started < 10_000);
});

test('npx waonboard-sandbox prints what to export and stops on Ctrl-C', async () => {
  const bin = fileURLToPath(new URL('./node_modules/waonboard/bin/waonboard-sandbox.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--fixed-otp', '123456'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const exports = {};
    for await (const line of createInterface({ input: child.stdout })) {
      const m = /^\s*export (\w+)=(\S+)$/.exec(line);
      if (m) exports[m[1]] = m[2];
      if (line.startsWith('Ctrl-C stops it')) break;
    }
    const client = new MetaClient({ accessToken: exports.WAONBOARD_META_TOKEN, baseUrl: exports.WAONBOARD_META_BASE_URL });
    await client.requestCode({ phone_number_id: READY, code_method: 'sms', language: 'en_US' });
    await client.verifyCode({ phone_number_id: READY, code: '123456' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  } finally {
    child.kill();
  }
});
