// `waonboard/forms` in Node: the forms module is instantiated on import, as the main entry's is.
import { readFileSync } from 'node:fs';
import { initSync } from './lib/forms.js';

initSync(readFileSync(new URL('./wasm/waonboard_forms_bg.wasm', import.meta.url)));

export * from './lib/forms.js';
