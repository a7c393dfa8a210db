// `waonboard/forms` in browsers and bundlers: `await init()` once (it fetches
// wasm/waonboard_forms_bg.wasm beside this file), then validate, prepare and parse.
export * from './lib/forms.js';
