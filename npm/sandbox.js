// `waonboard/sandbox` (Node only): the provider simulator on 127.0.0.1, no Rust toolchain
// and no network needed. The same simulator as the repository's (`waonboard sandbox`, the
// wheel's `waonboard.sandbox`): its request handling is the Rust engine compiled to its own
// wasm module (wasm/waonboard_sim_bg.wasm, which the main and browser entries never load),
// served here by node:http.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { initSync, Engine } from './wasm/waonboard_sim.js';

let loaded = false;
function load() {
  if (!loaded) {
    initSync({ module: readFileSync(new URL('./wasm/waonboard_sim_bg.wasm', import.meta.url)) });
    loaded = true;
  }
}

const PROVIDERS = { meta: 'meta', vonage: 'vonage', digital99: 'digital99', '99digital': 'digital99' };
const OTP_KEYS = { meta: 'phone_number_id', vonage: 'deployment_id', digital99: 'whatsapp' };

function provider(name) {
  const key = PROVIDERS[String(name).toLowerCase()];
  if (!key) throw new TypeError(`provider must be one of meta, vonage, digital99, not ${JSON.stringify(name)}`);
  return key;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A plain copy of a decision, whose wasm memory is then freed. */
function take(decision) {
  const { action, delay_ms, seq, status, headers, body } = decision;
  decision.free();
  return { action, delay_ms, seq, status, headers, body };
}

function write(res, decision) {
  const headers = {};
  for (const [name, value] of JSON.parse(decision.headers)) {
    headers[name] = name in headers ? [].concat(headers[name], value) : value;
  }
  const body = decision.body;
  headers['content-length'] = String(body.length);
  res.writeHead(decision.status, headers);
  res.end(body);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

/** The simulator, listening on 127.0.0.1 until `close()`. Make one with `startSandbox`. */
export class Sandbox {
  #engine;
  #servers;
  #start;
  #waits = new Set();

  /** @internal */
  constructor(engine, servers, start, url) {
    this.#engine = engine;
    this.#servers = servers;
    this.#start = start;
    /** `http://127.0.0.1:PORT`, the root of the side channel (`/_sim/...`). */
    this.url = url;
    /** Base URLs, fake credentials and seeded ids (the same as `GET /_sim/seed`). */
    this.seed = JSON.parse(engine.seed_json());
  }

  /** The base URL a client uses for `provider` (`meta`, `vonage`, `digital99`). */
  baseUrl(name) {
    return this.seed[provider(name)].base_url;
  }

  /** The `WAONBOARD_*` variables that point the CLI and the README examples here. */
  env() {
    return Object.fromEntries(JSON.parse(this.#engine.env_json()));
  }

  /**
   * The code waiting for a number (Meta: its phone_number_id; Vonage: the deployment_id;
   * 99digital: the number's digits), or `null`.
   */
  async otp(name, key) {
    const p = provider(name);
    const query = new URLSearchParams({ provider: p, [OTP_KEYS[p]]: key });
    const answer = await fetch(`${this.url}/_sim/otp?${query}`);
    if (answer.status === 404) return null;
    if (!answer.ok) throw new Error(`the sandbox answered HTTP ${answer.status}: ${await answer.text()}`);
    return (await answer.json()).code;
  }

  /** Stops listening; requests held by a fault end unanswered. */
  async close() {
    for (const wait of this.#waits) wait.cancel();
    await Promise.all(
      this.#servers.map(
        (server) =>
          new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections?.();
          }),
      ),
    );
  }

  /** @internal */
  now() {
    return performance.now() - this.#start;
  }

  /** Resolves true after `ms`, or false at once when the sandbox closes meanwhile. */
  wait(ms) {
    return new Promise((resolve) => {
      const wait = {
        cancel: () => {
          clearTimeout(timer);
          this.#waits.delete(wait);
          resolve(false);
        },
      };
      const timer = setTimeout(() => {
        this.#waits.delete(wait);
        resolve(true);
      }, ms);
      this.#waits.add(wait);
    });
  }

  /** @internal */
  async serve(req, res) {
    const body = await readBody(req);
    const url = new URL(req.url, 'http://127.0.0.1');
    const query = url.search.slice(1);
    const headers = JSON.stringify(Object.entries(req.headers).map(([n, v]) => [n, [].concat(v).join(', ')]));
    const engine = this.#engine;
    const decision = take(engine.handle(req.method, url.pathname, query, headers, body, this.now()));
    if (decision.action === 'respond') return write(res, decision);
    if (!(await this.wait(decision.delay_ms))) return res.destroy();
    if (decision.action === 'resume') {
      return write(res, take(engine.resume(req.method, url.pathname, query, headers, body, decision.seq, this.now())));
    }
    if (decision.action === 'respond_late') return write(res, decision);
    res.destroy();
  }

  /** @internal */
  async trap(req, res) {
    const body = await readBody(req);
    write(res, take(this.#engine.trap(req.method, req.url, 'authorization' in req.headers, body.length)));
  }
}

/**
 * Starts the simulator on 127.0.0.1 (loopback only: its credentials are fake).
 * `port` 0 (the default) picks a free one; `seed` makes codes, ids and tokens repeatable;
 * `fixedOtp` (6 digits) is sent as every one-time code, for tries by hand.
 */
export async function startSandbox({ port = 0, seed, fixedOtp } = {}) {
  if (fixedOtp !== undefined && !/^[0-9]{6}$/.test(fixedOtp)) throw new TypeError('fixedOtp must be 6 digits');
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new TypeError('seed must be a non-negative integer');
  }
  load();
  let sandbox;
  const fail = (res) => (error) => {
    if (!res.headersSent) res.destroy(error);
  };
  const main = createServer((req, res) => sandbox.serve(req, res).catch(fail(res)));
  const trapServer = createServer((req, res) => sandbox.trap(req, res).catch(fail(res)));
  const servers = [main, trapServer];
  try {
    const url = await listen(main, port);
    const trapUrl = await listen(trapServer, 0);
    const start = performance.now();
    const entropy = randomBytes(8).readDoubleLE(0);
    const engine = new Engine(url, trapUrl, seed, fixedOtp, Date.now(), Number.isFinite(entropy) ? entropy : Math.random());
    sandbox = new Sandbox(engine, servers, start, url);
    return sandbox;
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
}
