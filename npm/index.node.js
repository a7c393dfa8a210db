// Node: the wasm is read from the package and instantiated on import, so the API is ready
// at once; `await init()` is accepted too (it does nothing), for code shared with browsers.
import { readFileSync } from 'node:fs';
import { initSync } from './lib/api.js';

initSync(readFileSync(new URL('./wasm/waonboard_bg.wasm', import.meta.url)));

export * from './lib/api.js';
