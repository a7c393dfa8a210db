// Browsers and bundlers: `await init()` once (it fetches wasm/waonboard_bg.wasm beside this
// file, a URL bundlers understand), then use the API. Calls before that throw.
export * from './lib/api.js';
