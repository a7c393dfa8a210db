#!/usr/bin/env node
// `npx waonboard-sandbox [--port N] [--seed N] [--fixed-otp CODE]`: the simulator in the
// foreground until Ctrl-C, printing the variables that point the README examples at it.
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, seed: { type: 'string' }, 'fixed-otp': { type: 'string' } },
});
const number = (name, text) => {
  if (!/^[0-9]+$/.test(text)) {
    console.error(`waonboard-sandbox: --${name} must be a non-negative integer`);
    process.exit(2);
  }
  return Number(text);
};
let sandbox;
try {
  sandbox = await startSandbox({
    port: number('port', values.port),
    seed: values.seed === undefined ? undefined : number('seed', values.seed),
    fixedOtp: values['fixed-otp'],
  });
} catch (error) {
  console.error(`waonboard-sandbox: ${error.message}`);
  process.exit(2);
}
process.once('SIGINT', async () => {
  console.error('stopping the sandbox');
  await sandbox.close();
  process.exit(0);
});
const exports = Object.entries(sandbox.env())
  .map(([name, value]) => `  export ${name}=${value}`)
  .join('\n');
console.log(`waonboard sandbox: Meta, Vonage and 99digital simulated on ${sandbox.url} (loopback only; every credential is fake)

point the clients here (the README examples read these):
${exports}

one-time codes, through the side channel (404 while none is waiting):
  curl '${sandbox.url}/_sim/otp?provider=meta&phone_number_id=<id>'

everything seeded (also at ${sandbox.url}/_sim/seed):
${JSON.stringify(sandbox.seed, null, 2)}

Ctrl-C stops it.`);
