// Types of `waonboard/forms`: validation and prepare/parse without a client, for a
// browser's sign-up form. The params, results and errors are the main entry's.
import type { Config, HttpRequest, OperationId, ParamsOf, ResultOf } from './index.js';

export { WaonboardError } from './index.js';
export type {
  Config,
  ErrorKind,
  HttpRequest,
  OperationId,
  Operations,
  ParamsOf,
  ResultOf,
  WaonboardErrorDetails,
} from './index.js';

/**
 * Loads the forms module. Node loads it on import; in browsers and bundlers await it once
 * before anything else. `source` defaults to the `waonboard_forms_bg.wasm` beside the
 * package's JS (also exported as `waonboard/waonboard_forms_bg.wasm`).
 */
export function init(
  source?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;

/** Loads the forms module synchronously from its bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): void;

/**
 * Checks `params` for `op` exactly as the server's `prepare` does, without credentials:
 * throws a `validation` WaonboardError naming the field, returns nothing when they are valid.
 */
export function validate<Op extends OperationId>(op: Op, params: ParamsOf<Op>): void;

/** Checks `params` and builds the HTTP request for `op`; throws a validation error, sends nothing. */
export function prepare<Op extends OperationId>(op: Op, params: ParamsOf<Op>, config: Config): HttpRequest;

/** Reads the provider's answer to `op` into its result, or throws the WaonboardError it means. */
export function parse<Op extends OperationId>(
  op: Op,
  status: number,
  headers: Iterable<[string, string]> | Record<string, string> | null | undefined,
  body: string | ArrayBuffer | ArrayBufferView | null | undefined,
): ResultOf<Op>;
