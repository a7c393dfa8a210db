// Starts the provider simulator for a test and talks to its side channel: the packed
// package's own sandbox (`waonboard/sandbox`, the simulator's engine in wasm behind
// node:http), so these tests need no cargo and hold that host to the same suite.
import assert from 'node:assert/strict';
import { WaonboardError } from 'waonboard';
import { startSandbox } from 'waonboard/sandbox';

/** The WaonboardError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejects(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof WaonboardError, `a WaonboardError, not ${e}`);
    assert.ok(e instanceof Error);
    return e;
  }
  assert.fail('expected the call to fail');
}

/** A running simulator on a free port (`options` as `startSandbox` takes them); `stop()` it when done. */
export async function startSimulator(options = {}) {
  const sandbox = await startSandbox(options);
  return new Simulator(sandbox.url, sandbox, sandbox.seed);
}

export class Simulator {
  constructor(url, sandbox, seed) {
    this.url = url;
    this.sandbox = sandbox;
    this.seed = seed;
  }

  async side(method, path, body) {
    const res = await fetch(`${this.url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} /_sim${path}: HTTP ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  }

  /** The code waiting for a number, e.g. otp('meta', {phone_number_id}). */
  async otp(provider, key) {
    const query = new URLSearchParams({ provider, ...key });
    return (await this.side('GET', `/otp?${query}`)).code;
  }

  requests() {
    return this.side('GET', '/requests');
  }

  async sent(op) {
    return (await this.requests()).filter((r) => r.op === op);
  }

  clearRequests() {
    return this.side('DELETE', '/requests');
  }

  fault(rule) {
    return this.side('POST', '/faults', rule);
  }

  /** What reached the trap, the other host the `redirect` fault points to. */
  async trapHits() {
    return (await this.side('GET', '/trap')).hits;
  }

  clearFaults() {
    return this.side('DELETE', '/faults');
  }

  setMetaNameStatus(phone_number_id, name_status) {
    return this.side('POST', '/meta/name_status', { phone_number_id, name_status });
  }

  stop() {
    return this.sandbox.close();
  }
}
