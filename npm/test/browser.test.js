// The built package in real headless Chromium (driven over WebDriver by chromedriver): the
// exports map's browser entry, init() fetching the .wasm beside the JS, and a whole
// onboarding with cross-origin fetches to the simulator (CORS preflights included).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { startSimulator } from './sim.js';

const pkg = new URL('./node_modules/waonboard/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

// Runs in the page. It reports what happened rather than asserting, so Node can assert.
const PAGE = (entry, seed) => `<!doctype html><meta charset="utf-8"><title>waonboard</title>
<script type="module">
window.__done = (async () => {
  const w = await import(${JSON.stringify(entry)});
  const out = {};
  try { w.prepare('meta.deregister', { phone_number_id: '1' }, { access_token: 't' }); out.beforeInit = 'no error'; }
  catch (e) { out.beforeInit = e.message; }
  await w.init();
  out.request = w.prepare('meta.deregister', { phone_number_id: '9007199254740993' }, { access_token: 't' });
  const seed = ${JSON.stringify(seed)};
  const sim = seed.digital99.base_url.replace(/\\/99digital$/, '');
  const client = new w.Digital99Client({ clientId: seed.digital99.client_id, clientSecret: seed.digital99.client_secret,
    baseUrl: seed.digital99.base_url });
  const flow = w.Onboarding.digital99({ phone_number: '+972 50 765 0000', method: 'voice', language: '1' });
  out.needs = [flow.needs];
  out.needs.push(await flow.advance(client));
  const saved = JSON.stringify(flow);
  const { code } = await (await fetch(sim + '/_sim/otp?provider=digital99&whatsapp=972507650000')).json();
  const resumed = w.Onboarding.fromJSON(saved);
  out.needs.push(await resumed.advance(client, { code }));
  out.state = resumed.toJSON();
  const meta = new w.MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url });
  out.big = await meta.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.big });
  try { await meta.verifyCode({ phone_number_id: '1', code: '1' }); }
  catch (e) { out.error = { isClass: e instanceof w.WaonboardError, name: e.name, kind: e.kind, field: e.field }; }
  await fetch(sim + '/_sim/faults', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op: 'meta.register', fault: { type: 'redirect', status: 307 } }) });
  try { await meta.register({ phone_number_id: seed.meta.phone_number_ids.ready, pin: '246813' }); out.redirect = 'followed'; }
  catch (e) { out.redirect = { kind: e.kind, httpStatus: e.httpStatus ?? null, retryable: e.retryable }; }
  const events = [];
  const watched = new w.MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url,
    onRequest: (e) => events.push(['request', e.operation, e.method, e.path, e.attempt]),
    onResponse: (e) => events.push(['response', e.operation, e.status, e.error ?? null]) });
  await watched.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready });
  await fetch(sim + '/_sim/faults', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op: 'meta.get_phone_number', times: 1, fault: { type: 'latency_ms', ms: 5000 } }) });
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 200);
  try { await watched.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready }, { signal: stop.signal }); }
  catch (e) { out.aborted = { name: e.name, kind: e.kind, retryable: e.retryable, cause: e.cause?.name ?? null }; }
  out.events = events;
  out.userAgent = navigator.userAgent;
  return out;
})().catch((e) => ({ failed: String(e && e.stack || e) }));
</script>`;

let sim;
let server;
let driver;
let base;

async function webdriver(method, path, body) {
  const res = await fetch(`${driver.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

async function startChromedriver() {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(process.env.CHROMEDRIVER ?? 'chromedriver', [`--port=${port}`], { stdio: 'ignore' });
  process.once('exit', () => child.kill());
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await (await fetch(`${url}/status`)).json()).value.ready) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('chromedriver did not start');
}

before(async () => {
  sim = await startSimulator();
  server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(PAGE(`/pkg/${manifest.exports['.'].default.replace(/^\.\//, '')}`, sim.seed));
      return;
    }
    try {
      if (!path.startsWith('/pkg/') || path.includes('..')) throw new Error('not here');
      const body = await readFile(new URL(path.slice('/pkg/'.length), pkg));
      res.writeHead(200, { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  driver = await startChromedriver();
  driver.session = (
    await webdriver('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'chrome',
          'goog:chromeOptions': {
            binary: process.env.CHROMIUM ?? '/usr/bin/chromium',
            args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
          },
        },
      },
    })
  ).sessionId;
});

after(async () => {
  if (driver?.session) await webdriver('DELETE', `/session/${driver.session}`).catch(() => {});
  driver?.child.kill();
  server?.close();
  sim?.stop();
});

test('the package runs in headless Chromium: init, a resumed onboarding, exact IDs, typed errors', async () => {
  const s = `/session/${driver.session}`;
  await webdriver('POST', `${s}/timeouts`, { script: 60_000 });
  await webdriver('POST', `${s}/url`, { url: `${base}/` });
  const out = await webdriver('POST', `${s}/execute/async`, {
    script: 'const done = arguments[arguments.length - 1]; window.__done.then(done);',
    args: [],
  });
  assert.equal(out.failed, undefined, out.failed);
  assert.match(out.userAgent, /HeadlessChrome/);
  assert.match(out.beforeInit, /not loaded yet.*await init\(\)/);
  assert.equal(out.request.url, 'https://graph.facebook.com/v23.0/9007199254740993/deregister');
  assert.deepEqual(out.needs, ['advance', 'code', 'done']);
  assert.equal(out.state.step, 'done');
  assert.ok(Number.isInteger(out.state.expiration) && out.state.expiration > 0);
  assert.equal(out.big.id, '9007199254740993');
  assert.deepEqual(out.error, { isClass: true, name: 'WaonboardError', kind: 'validation', field: 'code' });
  // A browser's manual redirect is opaque: the status cannot be read, the error is the same.
  assert.deepEqual(out.redirect, { kind: 'provider', httpStatus: null, retryable: false });
  // The hooks see each attempt; a signal abandons a request in flight.
  const ready = `/meta/v23.0/${sim.seed.meta.phone_number_ids.ready}`;
  assert.deepEqual(out.events.slice(0, 2), [
    ['request', 'meta.get_phone_number', 'GET', ready, 1],
    ['response', 'meta.get_phone_number', 200, null],
  ]);
  assert.deepEqual(out.events.slice(2), [
    ['request', 'meta.get_phone_number', 'GET', ready, 1],
    ['response', 'meta.get_phone_number', null, 'aborted'],
  ]);
  assert.deepEqual(out.aborted, { name: 'AbortError', kind: 'aborted', retryable: true, cause: 'AbortError' });
  assert.deepEqual(await sim.trapHits(), [], 'the browser did not follow the redirect');
  const verified = (await sim.sent('digital99.verify_number')).length;
  assert.equal(verified, 1, 'the browser reached the simulator');
});
