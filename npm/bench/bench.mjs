// Prints the npm package's speed beside plain JavaScript doing the same job (issues 11
// and 12). Not a test: it prints figures, each the median over several batches.
//
//   prepare+parse  one operation's prepare() then parse() of its answer, against
//                  JSON.stringify of the same params and JSON.parse of the same body
//   client         one read (meta.get_phone_number) sent by a MetaClient to the
//                  simulator on loopback, against fetch() of the same request + res.json()
//
// Usage: node npm/bench/bench.mjs SIMULATOR_URL [prepare-parse|client ...]
// (tools/bench-js builds the package and the release simulator and passes its URL).
import { readdirSync, readFileSync } from 'node:fs';
import { MetaClient, prepare, parse } from '../index.node.js';

const [simUrl, ...only] = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

const BATCHES = 7;
const PREPARE_PARSE_CALLS = 5_000;
const CLIENT_CALLS = 2_000;
const WARM_UP_CALLS = 500;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs the package's `ours` and plain JavaScript's `baseline` call by call in turn (so that
 * a busy moment of the machine hits both alike; each batch starts with the other one),
 * `calls` of each per batch, and prints the median over the batches of each one's p50.
 */
async function compare(label, ours, baseline, calls) {
  // A synchronous call is timed without an await, which would add a turn of the event loop.
  const time = async (run) => {
    const start = process.hrtime.bigint();
    const pending = run();
    if (pending instanceof Promise) await pending;
    return Number(process.hrtime.bigint() - start) / 1_000;
  };
  for (let i = 0; i < WARM_UP_CALLS; i++) {
    await time(ours);
    await time(baseline);
  }
  const oursP50 = [];
  const baseP50 = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    const [a, b] = [new Float64Array(calls), new Float64Array(calls)];
    for (let i = 0; i < calls; i++) {
      if (batch % 2) {
        b[i] = await time(baseline);
        a[i] = await time(ours);
      } else {
        a[i] = await time(ours);
        b[i] = await time(baseline);
      }
    }
    oursP50.push(median(a));
    baseP50.push(median(b));
  }
  const [o, base] = [median(oursP50), median(baseP50)];
  console.log(
    `${label.padEnd(44)} ${o.toFixed(1).padStart(8)} µs ${base.toFixed(1).padStart(10)} µs ${(o / base).toFixed(2).padStart(7)}x`,
  );
}

/** A case of the shared vectors (tests/vectors), by name: params and answers come from the providers' docs. */
function vector(name) {
  const dir = new URL('../../tests/vectors/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const found = JSON.parse(readFileSync(new URL(file, dir), 'utf8')).cases.find((c) => c.name === name);
    if (found) return found;
  }
  throw new Error(`no vector case named ${name}`);
}

const heading = (what, baseline) =>
  console.log(`\n${what.padEnd(44)} ${'waonboard'.padStart(11)} ${baseline.padStart(13)} ${'ratio'.padStart(8)}`);

if (wanted('prepare-parse')) {
  heading(`prepare+parse (p50, median of ${BATCHES} batches)`, 'JSON baseline');
  for (const [request, answer] of [
    ['meta.request_code sms', 'meta.request_code success'],
    ['vonage.create_deployment UK sms with pin', 'vonage.create_deployment 202 spec example'],
    ['digital99.register_number sms', 'digital99.register_number OK'],
  ]) {
    const { op, params, config } = vector(request);
    const { status, headers = {}, body } = vector(answer).response;
    const text = JSON.stringify(body);
    const bytes = new TextEncoder().encode(text);
    // Both sides must work, or the figures compare nothing.
    prepare(op, params, config);
    parse(op, status, headers, bytes);
    await compare(
      op,
      () => {
        prepare(op, params, config);
        parse(op, status, headers, bytes);
      },
      () => {
        JSON.stringify(params);
        JSON.parse(text);
      },
      PREPARE_PARSE_CALLS,
    );
  }
}

if (wanted('client')) {
  if (!simUrl) throw new Error('usage: node npm/bench/bench.mjs SIMULATOR_URL [prepare-parse|client ...]');
  const seed = await (await fetch(`${simUrl}/_sim/seed`)).json();
  const params = { phone_number_id: seed.meta.phone_number_ids.ready };
  const client = new MetaClient({ accessToken: seed.meta.access_token, baseUrl: seed.meta.base_url });
  // The baseline sends the very request the client sends.
  const request = prepare('meta.get_phone_number', params, {
    access_token: seed.meta.access_token,
    base_url: seed.meta.base_url,
  });
  const init = { method: request.method, headers: request.headers };
  const expected = await (await fetch(request.url, init)).json();
  const got = await client.getPhoneNumber(params);
  if (got.id !== expected.id) throw new Error(`the client read ${JSON.stringify(got)}, fetch ${JSON.stringify(expected)}`);
  heading(`client, one read (p50 of ${CLIENT_CALLS} calls, median of ${BATCHES})`, 'fetch+json');
  await compare(
    'meta.get_phone_number over loopback',
    () => client.getPhoneNumber(params),
    async () => (await fetch(request.url, init)).json(),
    CLIENT_CALLS,
  );
}
