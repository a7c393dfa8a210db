// The forms entry's API: the server's exact validation and prepare/parse in a module of
// their own, with no client, no transport and no flows (their code is not in this wasm).
// A browser's sign-up form checks what the user typed with it and sends it to its server,
// which holds the provider credentials a browser must never see.
import * as glue from '../wasm/waonboard_forms.js';
import { loader, sansIo, WaonboardError } from './base.js';

const { init, initSync, ready } = loader(glue);
const { prepare, parse, validate } = sansIo(glue, ready);

export { init, initSync, prepare, parse, validate, WaonboardError };
