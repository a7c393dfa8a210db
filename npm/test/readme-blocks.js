// The code blocks of the project's READMEs, for the tests that run them as written:
// readme.test.js runs the plain js blocks in Node, browser.test.js the ones marked
// `<!-- in a page: … -->` in headless Chromium. `<!-- not run: why -->` leaves a block out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FENCE = /^(?:<!-- (not run|in a page): [^\n]+ -->\n)?```(\w*)[^\n]*\n([\s\S]*?)^```$/gm;

/** The `lang` blocks of `readme` with the marker `marker` (undefined: none), each with the line it starts on. */
export function examples(readme, lang, marker = undefined) {
  const text = readFileSync(join(root, readme), 'utf8');
  const found = [];
  for (const m of text.matchAll(FENCE)) {
    if (m[2] === lang && m[1] === marker) {
      const line = text.slice(0, m.index + m[0].indexOf('\n') + 1).split('\n').length;
      found.push({ line, code: m[3] });
    }
  }
  return found;
}
