// Every README's JavaScript examples, run as written against the packed package's own
// sandbox (`waonboard/sandbox`). Each ```js block is a module of its own, run by `node`
// from this folder (so `import 'waonboard'` is the packed package) with the WAONBOARD_*
// variables that `npx waonboard-sandbox` prints set, and every one-time code 123456; each
// starts from the sandbox's seed (`/_sim/reset`), as each is written for a fresh account.
// Blocks marked `<!-- in a page: … -->` run in Chromium instead (browser.test.js), and one
// preceded by `<!-- not run: why -->` is left out, saying why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox } from 'waonboard/sandbox';
import { examples } from './readme-blocks.js';

const here = fileURLToPath(new URL('.', import.meta.url));

let sandbox;
let scratch;
before(async () => {
  sandbox = await startSandbox({ fixedOtp: '123456' });
  scratch = mkdtempSync(join(here, '.readme-'));
});
after(async () => {
  await sandbox?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

for (const readme of ['README.md', 'npm/README.md']) {
  test(`${readme}: every js example runs against the sandbox`, async () => {
    const blocks = examples(readme, 'js');
    assert.ok(blocks.length > 0, `${readme} has no js examples`);
    const env = { ...process.env, ...sandbox.env() };
    let sent = 0;
    for (const { line, code } of blocks) {
      await fetch(`${sandbox.url}/_sim/reset`, { method: 'POST' });
      const file = join(scratch, `${readme.replace(/\W/g, '_')}-${line}.mjs`);
      writeFileSync(file, code);
      try {
        await promisify(execFile)(process.execPath, [file], { env, cwd: scratch, timeout: 60_000 });
      } catch (e) {
        assert.fail(`${readme}:${line} failed (exit ${e.code}):\n${e.stderr || e.message}`);
      }
      sent += (await (await fetch(`${sandbox.url}/_sim/requests`)).json()).length;
    }
    // They reached the sandbox (a default base URL would have failed: no network here).
    assert.ok(sent > 0, 'the examples sent nothing to the sandbox');
  });
}
