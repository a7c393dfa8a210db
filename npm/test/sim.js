// Starts the project's provider simulator for a test and talks to its side channel.
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The simulator's binary: $WAONBOARD_SIM_BIN, or built with cargo (fast when built). */
function simulatorBinary() {
  if (process.env.WAONBOARD_SIM_BIN) return process.env.WAONBOARD_SIM_BIN;
  const out = execFileSync(
    'cargo',
    ['build', '-q', '-p', 'waonboard-sim', '--example', 'serve', '--message-format=json'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  for (const line of out.split('\n')) {
    const m = line && JSON.parse(line);
    if (m?.reason === 'compiler-artifact' && m.target.name === 'serve' && m.executable) return m.executable;
  }
  throw new Error('cargo built no simulator executable');
}

/** A running simulator on a free port; `stop()` it when done. */
export async function startSimulator() {
  const child = spawn(simulatorBinary(), ['0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it started`)));
    lines.once('line', resolve);
  });
  const match = /^waonboard simulator on (http:\/\/\S+)$/.exec(first);
  if (!match) {
    child.kill();
    throw new Error(`unexpected first line from the simulator: ${first}`);
  }
  lines.on('line', () => {}); // keep draining stdout
  process.once('exit', () => child.kill()); // never outlive the test process
  return new Simulator(match[1], child, await (await fetch(`${match[1]}/_sim/seed`)).json());
}

export class Simulator {
  constructor(url, child, seed) {
    this.url = url;
    this.child = child;
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
    this.child.kill();
  }
}
