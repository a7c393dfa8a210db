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
import { examples } from './readme-blocks.js';
import { Digital99Client } from 'waonboard';

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
  const ended = [];
  const watched = new w.MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url,
    onResponse: (e) => ended.push([e.operation, e.status]) });
  await watched.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready });
  out.ended = ended;
  try { await watched.getPhoneNumber({ phone_number_id: seed.meta.phone_number_ids.ready }, { signal: AbortSignal.abort() }); }
  catch (e) { out.aborted = [e.kind, e.retryable]; }
  out.userAgent = navigator.userAgent;
  return out;
})().catch((e) => ({ failed: String(e && e.stack || e) }));
</script>`;

// The forms entry's page: validation and prepare/parse only. It reports what it loaded, to
// show that nothing of the client came with it.
const FORMS_PAGE = (entry) => `<!doctype html><meta charset="utf-8"><title>waonboard/forms</title>
<script type="module">
window.__done = (async () => {
  const f = await import(${JSON.stringify(entry)});
  const out = { exports: Object.keys(f).sort() };
  try { f.validate('meta.verify_code', { phone_number_id: '1', code: '123456' }); out.beforeInit = 'no error'; }
  catch (e) { out.beforeInit = e.message; }
  await f.init();
  try { f.validate('digital99.register_number', { phone_number: '+972 50 123 4567 890 12', method: 'sms', language: '1' }); out.invalid = 'no error'; }
  catch (e) { out.invalid = { isClass: e instanceof f.WaonboardError, kind: e.kind, field: e.field }; }
  out.valid = f.validate('digital99.register_number', { phone_number: '+972 50 123 4567', method: 'sms', language: '1' }) ?? null;
  out.request = f.prepare('meta.deregister', { phone_number_id: '9007199254740993' }, { access_token: 't' });
  out.result = f.parse('meta.get_phone_number', 200, null, '{"id":"18014398509481985"}');
  out.loaded = performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).sort();
  return out;
})().catch((e) => ({ failed: String(e && e.stack || e) }));
</script>`;

// A README block marked `<!-- in a page: … -->`, as a page runs it: the package's entries
// mapped to their bare names, a sign-up form, and the globals the block names (a token,
// the base URL of the page's proxy, here the simulator, which answers CORS). What it shows
// with showError and whether it finished are reported back.
const README_PAGE = (block, globals, phone) => `<!doctype html><meta charset="utf-8"><title>README</title>
<script type="importmap">${JSON.stringify({
  imports: {
    waonboard: `/pkg/${manifest.exports['.'].default.replace(/^\.\//, '')}`,
    'waonboard/forms': `/pkg/${manifest.exports['./forms'].default.replace(/^\.\//, '')}`,
  },
})}</script>
<form id="form"><input name="phone" value="${phone}"><input name="code" value="123456"></form>
<script>
Object.assign(window, ${JSON.stringify(globals)});
window.shown = [];
window.showError = (field, message) => shown.push([field, message]);
</script>
<script type="module">
window.__done = import('/readme/${block}.js').then(() => ({ shown }), (e) => ({ failed: String(e && e.stack || e) }));
</script>`;

/** The README blocks that run in a page, by the key the harness serves them under. */
const pageBlocks = new Map();
for (const readme of ['README.md', 'npm/README.md']) {
  for (const { line, code } of examples(readme, 'js', 'in a page')) pageBlocks.set(`${readme.replace(/\W/g, '_')}-${line}`, { readme, line, code });
}
/** A 99digital access token, as the app's server would fetch it for the page. */
async function digital99Token({ base_url, client_id, client_secret }) {
  const client = new Digital99Client({ accessToken: 'unused', baseUrl: base_url });
  return (await client.accessToken({ client_id, client_secret })).access_token;
}

/** What the README's sign-up form posted to /api/sign-up. */
const signUps = [];

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
  sim = await startSimulator({ fixedOtp: '123456' });
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    const block = pageBlocks.get(path.replace(/^\/readme-page\/|^\/readme\/|\.js$/g, ''));
    if (block && path.startsWith('/readme-page/')) {
      const provider = /new (Meta|Vonage|Digital99)Client/.exec(block.code)?.[1].toLowerCase();
      const seed = sim.seed;
      const globals = {
        token: /\btoken\b/.test(block.code) ? await digital99Token(seed.digital99) : undefined,
        jwt: seed.vonage.access_token,
        cert: 'AbCd',
        apiBase: provider && seed[provider].base_url,
      };
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(README_PAGE(path.slice('/readme-page/'.length), globals, url.searchParams.get('phone') ?? ''));
      return;
    }
    if (block && path.startsWith('/readme/')) {
      res.writeHead(200, { 'content-type': TYPES['.js'] });
      res.end(block.code);
      return;
    }
    if (path === '/api/sign-up' && req.method === 'POST') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      signUps.push(Buffer.concat(chunks).toString());
      res.writeHead(204).end();
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(PAGE(`/pkg/${manifest.exports['.'].default.replace(/^\.\//, '')}`, sim.seed));
      return;
    }
    if (path === '/forms') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(FORMS_PAGE(`/pkg/${manifest.exports['./forms'].default.replace(/^\.\//, '')}`));
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
  assert.deepEqual(await sim.trapHits(), [], 'the browser did not follow the redirect');
  assert.deepEqual(out.ended, [['meta.get_phone_number', 200]], 'onResponse saw the one attempt');
  assert.deepEqual(out.aborted, ['aborted', true]);
  const verified = (await sim.sent('digital99.verify_number')).length;
  assert.equal(verified, 1, 'the browser reached the simulator');
});

test('the forms entry runs in headless Chromium with nothing of the client loaded', async () => {
  const s = `/session/${driver.session}`;
  await webdriver('POST', `${s}/url`, { url: `${base}/forms` });
  const out = await webdriver('POST', `${s}/execute/async`, {
    script: 'const done = arguments[arguments.length - 1]; window.__done.then(done);',
    args: [],
  });
  assert.equal(out.failed, undefined, out.failed);
  assert.deepEqual(out.exports, ['WaonboardError', 'init', 'initSync', 'parse', 'prepare', 'validate']);
  assert.match(out.beforeInit, /not loaded yet.*await init\(\)/);
  assert.deepEqual(out.invalid, { isClass: true, kind: 'validation', field: 'phone_number' });
  assert.equal(out.valid, null);
  assert.equal(out.request.url, 'https://graph.facebook.com/v23.0/9007199254740993/deregister');
  assert.deepEqual(out.result, { id: '18014398509481985' });
  assert.deepEqual(out.loaded, [
    '/pkg/forms.js',
    '/pkg/lib/base.js',
    '/pkg/lib/forms.js',
    '/pkg/wasm/waonboard_forms.js',
    '/pkg/wasm/waonboard_forms_bg.wasm',
  ]);
});

/** Opens `path` in the browser and returns what its page reported. */
async function runPage(path) {
  const s = `/session/${driver.session}`;
  await webdriver('POST', `${s}/timeouts`, { script: 60_000 });
  await webdriver('POST', `${s}/url`, { url: `${base}${path}` });
  return webdriver('POST', `${s}/execute/async`, {
    script: 'const done = arguments[arguments.length - 1]; window.__done.then(done);',
    args: [],
  });
}

test('the READMEs\' page examples run as written in headless Chromium', async () => {
  assert.ok(pageBlocks.size >= 3, `page blocks found: ${[...pageBlocks.keys()]}`);
  for (const [key, { readme, line, code }] of pageBlocks) {
    await sim.clearRequests();
    signUps.length = 0;
    const phone = '+972 50 123 4567';
    const out = await runPage(`/readme-page/${key}?phone=${encodeURIComponent(phone)}`);
    assert.equal(out.failed, undefined, `${readme}:${line} failed in the page: ${out.failed}`);
    const sent = await sim.requests();
    if (code.includes("from 'waonboard/forms'")) {
      // A valid number goes to the app's server; the provider sees nothing from the page.
      assert.deepEqual(out.shown, [], `${readme}:${line}`);
      assert.equal(signUps.length, 1, `${readme}:${line} posted the form`);
      assert.match(signUps[0], /name="phone"\r\n\r\n\+972 50 123 4567/);
      assert.deepEqual(sent, []);
      // An invalid one is shown on the form, naming the field, and nothing is posted.
      const bad = await runPage(`/readme-page/${key}?phone=${encodeURIComponent('+972 50 123 4567 890 12')}`);
      assert.equal(bad.failed, undefined, bad.failed);
      assert.deepEqual(bad.shown.map(([field]) => field), ['phone_number']);
      assert.equal(signUps.length, 1, 'the invalid number was not posted');
    } else {
      assert.ok(sent.length > 0, `${readme}:${line} reached the simulator`);
      assert.ok(sent.every((r) => r.status < 400), `${readme}:${line}: ${JSON.stringify(sent.map((r) => [r.op, r.status]))}`);
    }
  }
});
