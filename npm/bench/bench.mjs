// Prints the npm package's speed beside plain JavaScript doing the same job (issues 11
// and 12). Not a test: it prints figures, each the median over several batches, each ratio
// and difference the median of the batches'. Each figure is a row of the README's
// Performance table on stdout (`| figure | measured | baseline | ratio (difference), target |`,
// as tools/bench gathers them); everything else goes to stderr.
//
//   prepare+parse  one operation's prepare() then parse() of its answer, against
//                  JSON.stringify of the same params and JSON.parse of the same body
//   client         one read (meta.get_phone_number) sent by a MetaClient to the
//                  simulator on loopback, against fetch() of the same request + res.json()
//
// Usage: node npm/bench/bench.mjs SIMULATOR_URL [--quick] [prepare-parse|client ...]
// (tools/bench-js builds the package and the release simulator and passes its URL;
// --quick: fewer batches and calls, to see that it runs).
import { readdirSync, readFileSync } from 'node:fs';
import { MetaClient, prepare, parse } from '../index.node.js';

const [simUrl, ...rest] = process.argv.slice(2);
const quick = rest.includes('--quick');
const only = rest.filter((arg) => arg !== '--quick');
const wanted = (name) => only.length === 0 || only.includes(name);

const BATCHES = quick ? 3 : 7;
const PREPARE_PARSE_CALLS = quick ? 1_000 : 5_000;
const CLIENT_CALLS = quick ? 300 : 2_000;
const WARM_UP_CALLS = quick ? 200 : 500;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Microseconds as the Rust rows print them: two decimals under 10, none above. */
const micros = (us) => `${us < 10 ? us.toFixed(2) : us.toFixed(0)} µs`;

/**
 * Runs the package's `ours` and plain JavaScript's `baseline` call by call in turn (so that
 * a busy moment of the machine hits both alike; each batch starts with the other one),
 * `calls` of each per batch, and prints the table row: the median over the batches of each
 * one's p50, and the median of the batches' ratios and differences.
 */
async function compare(figure, ours, baselineLabel, baseline, target, calls) {
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
  const ratio = median(oursP50.map((o, i) => o / baseP50[i]));
  const difference = median(oursP50.map((o, i) => o - baseP50[i]));
  const sign = difference < 0 ? '' : '+';
  console.error(`  ${figure}: batches ${oursP50.map((o) => o.toFixed(1)).join(', ')} µs`);
  console.error(`  ${baselineLabel}: batches ${baseP50.map((b) => b.toFixed(1)).join(', ')} µs`);
  console.log(
    `| ${figure} | ${micros(median(oursP50))} | ${baselineLabel} ${micros(median(baseP50))} ` +
      `| ${ratio.toFixed(2)}× (${sign}${difference.toFixed(2)} µs), target ${target} |`,
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

if (wanted('prepare-parse')) {
  console.error(`prepare+parse (p50 of ${PREPARE_PARSE_CALLS} calls, median of ${BATCHES} batches)`);
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
      `JS \`prepare\`+\`parse\`, \`${op}\``,
      () => {
        prepare(op, params, config);
        parse(op, status, headers, bytes);
      },
      '`JSON.stringify` + `JSON.parse`',
      () => {
        JSON.stringify(params);
        JSON.parse(text);
      },
      '≤ 15 µs',
      PREPARE_PARSE_CALLS,
    );
  }
}

if (wanted('client')) {
  if (!simUrl) throw new Error('usage: node npm/bench/bench.mjs SIMULATOR_URL [--quick] [prepare-parse|client ...]');
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
  console.error(`client, one read (p50 of ${CLIENT_CALLS} calls, median of ${BATCHES} batches)`);
  await compare(
    'JS client (Node), `meta.get_phone_number` on loopback, p50',
    () => client.getPhoneNumber(params),
    '`fetch` + `res.json()`',
    async () => (await fetch(request.url, init)).json(),
    '≤ 1.15×',
    CLIENT_CALLS,
  );
}
