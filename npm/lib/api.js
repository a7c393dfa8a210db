// The package's API over the wasm exports. Only JSON text crosses into wasm and back, so
// IDs stay exact strings; every rule (validation, retries, tokens, guards, flows) lives in
// the Rust core. This file only names things the JS way and turns errors into
// WaonboardError.
import initWasm, {
  initSync as initWasmSync,
  prepare as wasmPrepare,
  parse as wasmParse,
  onboarding_start,
  onboarding_load,
  preverified_start,
  preverified_load,
  WasmClient,
} from '../wasm/waonboard.js';

let loaded = false;
let loading = null;

/**
 * Loads the WebAssembly module. Node loads it on import; in browsers and bundlers, await
 * this once before anything else. Calling it again is harmless.
 */
export function init(source) {
  if (loaded) return Promise.resolve();
  loading ??= initWasm(source === undefined ? undefined : { module_or_path: source }).then(
    () => {
      loaded = true;
    },
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** Loads the module from its bytes (or a compiled WebAssembly.Module), synchronously. */
export function initSync(module) {
  if (!loaded) {
    initWasmSync({ module });
    loaded = true;
  }
}

function ready() {
  if (!loaded) {
    throw new Error(
      'waonboard: the WebAssembly module is not loaded yet. `await init()` once before using ' +
        'the library (the Node entry point loads it on import).',
    );
  }
}

/**
 * The one error type of waonboard; `kind` says what went wrong. `details.cause`, the
 * underlying error (a transport's), becomes the standard `cause`.
 */
export class WaonboardError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    // An aborted call is named as the platform names one (`AbortError`), so that code
    // written for fetch's aborts recognises it; it is still a WaonboardError.
    this.name = details.kind === 'aborted' ? 'AbortError' : 'WaonboardError';
    this.kind = details.kind ?? 'provider';
    this.field = details.field;
    this.providerCode = details.providerCode;
    this.httpStatus = details.httpStatus;
    this.retryable = details.retryable === true;
    this.retryAfterMs = details.retryAfterMs;
    this.operation = details.operation;
    this.fbtraceId = details.fbtraceId;
    this.errorSubcode = details.errorSubcode;
  }

  toJSON() {
    const { name, kind, message, field, providerCode, httpStatus, retryable, retryAfterMs, operation } = this;
    const { fbtraceId, errorSubcode } = this;
    const cause = this.cause === undefined ? undefined : String(this.cause?.message ?? this.cause);
    return {
      name, kind, message, field, providerCode, httpStatus, retryable, retryAfterMs, operation,
      fbtraceId, errorSubcode, cause,
    };
  }
}

/**
 * The error the wasm side threw (its JSON text), as a WaonboardError; anything else as is.
 * An aborted call's cause is its signal's reason.
 */
function toError(thrown, signal) {
  if (typeof thrown !== 'string') return thrown;
  const e = JSON.parse(thrown);
  const cause = e.kind === 'aborted' && signal ? signal.reason : e.cause === undefined ? undefined : new Error(e.cause);
  return new WaonboardError(e.message, {
    kind: e.kind,
    field: e.field,
    providerCode: e.provider_code,
    httpStatus: e.http_status,
    retryable: e.retryable,
    retryAfterMs: e.retry_after_ms,
    operation: e.operation,
    fbtraceId: e.fbtrace_id,
    errorSubcode: e.error_subcode,
    // The wasm side keeps the transport's `name: message`; the JS error itself stays there.
    cause,
  });
}

/** The rejection of a call whose signal had aborted before it began: nothing was sent. */
function abortedError(signal, operation) {
  return new WaonboardError('the call was aborted before it began; nothing was sent', {
    kind: 'aborted',
    retryable: true,
    operation,
    cause: signal.reason,
  });
}

function validation(field, message) {
  return new WaonboardError(`${field} ${message}`, { kind: 'validation', field });
}

// BigInt IDs become their exact decimal text; anything else JSON cannot hold is refused:
// a NaN or an infinity (JSON would quietly make it null) names where it was, `websites[1]`.
function toJson(value, name) {
  const bad = nonFinite(value, '', new Set());
  if (bad !== null) throw validation(bad || name, 'must be a finite number');
  try {
    return JSON.stringify(value ?? null, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch (e) {
    throw validation(name, `cannot be sent as JSON: ${e.message}`);
  }
}

// The path of the first NaN or infinity in `value`, or null when there is none.
function nonFinite(value, path, seen) {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value !== 'object' || value === null || seen.has(value)) return null;
  seen.add(value);
  const entries = Array.isArray(value) ? value.map((v, i) => [`${path}[${i}]`, v]) : Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v]);
  for (const [at, v] of entries) {
    const found = nonFinite(v, at, seen);
    if (found !== null) return found;
  }
  return null;
}

// An operation id or other name the wasm side takes as a string: anything else would be a
// TypeError thrown by the glue, or (for an ID) the text "undefined" sent in a path.
function text(value, field, what) {
  if (typeof value !== 'string' || value === '') throw validation(field, `must be ${what}`);
  return value;
}

// The numeric client options: each, when given, must be a finite number ≥ 0 (a NaN would
// otherwise be dropped as absent). Named in snake_case, as the wasm side names options.
const NUMERIC_OPTIONS = [
  ['timeoutMs'],
  ['retry', 'maxAttempts'],
  ['retry', 'baseDelayMs'],
  ['retry', 'maxDelayMs'],
  ['retry', 'maxRetryAfterMs'],
  ['poll', 'initialIntervalMs'],
  ['poll', 'maxIntervalMs'],
  ['poll', 'timeoutMs'],
  ['guardLimits', 'digital99CodeRequests', 'max'],
  ['guardLimits', 'digital99CodeRequests', 'windowMs'],
  ['guardLimits', 'metaRegistrations', 'max'],
  ['guardLimits', 'metaRegistrations', 'windowMs'],
  ['guardLimits', 'metaDeregistrations', 'max'],
  ['guardLimits', 'metaDeregistrations', 'windowMs'],
];

function checkNumericOptions(options) {
  for (const path of NUMERIC_OPTIONS) {
    const value = path.reduce((o, key) => (o == null ? undefined : o[key]), options);
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw validation(path.join('.'), 'must be a finite number, 0 or more');
    }
  }
}

function sync(run) {
  ready();
  try {
    return JSON.parse(run());
  } catch (e) {
    throw toError(e);
  }
}

/** The flow a failed step hands back with its error, if the rejection carries one. */
function failedStep(thrown) {
  if (typeof thrown !== 'string') return null;
  try {
    return JSON.parse(thrown);
  } catch {
    return null;
  }
}

async function settle(promise, signal) {
  try {
    return JSON.parse(await promise);
  } catch (e) {
    throw toError(e, signal);
  }
}

/**
 * The `signal` of a call's options (`{signal}`, or `{checkpoint, signal}` for a flow
 * step), checked; throws the aborted error at once if it has aborted already.
 */
function signalOf(options, known, operation) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw validation('options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const guess = nearest(key, known);
      throw validation(key, `is not an option of this call${guess ? ` (did you mean ${guess}?)` : ''}`);
    }
  }
  const { signal } = options;
  if (signal === undefined || signal === null) return undefined;
  if (typeof AbortSignal === 'undefined' || !(signal instanceof AbortSignal)) {
    throw validation('signal', 'must be an AbortSignal (e.g. AbortSignal.timeout(ms) or a controller.signal)');
  }
  if (signal.aborted) throw abortedError(signal, operation);
  return signal;
}

/** Checks `params` for operation `op` and builds its HTTP request; nothing is sent. */
export function prepare(op, params, config) {
  ready();
  text(op, 'op', 'an operation id such as meta.request_code');
  return sync(() => wasmPrepare(op, toJson(params, 'params'), toJson(config, 'config')));
}

/** Reads a provider's answer to `op` into its result, or throws the WaonboardError it means. */
export function parse(op, status, headers, body) {
  ready();
  text(op, 'op', 'an operation id such as meta.request_code');
  const pairs = headerPairs(headers);
  const bytes =
    typeof body === 'string'
      ? new TextEncoder().encode(body)
      : body instanceof ArrayBuffer
        ? new Uint8Array(body)
        : ArrayBuffer.isView(body)
          ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
          : body == null
            ? new Uint8Array()
            : null;
  if (bytes === null) throw validation('body', 'must be a string, an ArrayBuffer or a Uint8Array');
  if (!Number.isInteger(status)) throw validation('status', 'must be an HTTP status code');
  return sync(() => wasmParse(op, status, toJson(pairs, 'headers'), bytes));
}

// A Headers object, [name, value] pairs or a plain object, as pairs.
function headerPairs(headers) {
  if (headers == null) return [];
  if (typeof headers[Symbol.iterator] === 'function') return Array.from(headers, ([n, v]) => [n, v]);
  return Object.entries(headers);
}

// Client options are camelCase (they configure this library); the wasm side reads the
// contract's snake_case.
// Every option a client takes, as the user writes it; a typo such as `timeout` is refused
// rather than silently ignored.
const OPTION_NAMES = {
  '': ['accessToken', 'baseUrl', 'apiVersion', 'verifyNumberPath', 'clientId', 'clientSecret', 'timeoutMs',
    'retry', 'poll', 'guardLimits', 'guardState', 'fetch', 'onRequest', 'onResponse'],
  retry: ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'],
  poll: ['initialIntervalMs', 'maxIntervalMs', 'timeoutMs'],
  guardLimits: ['digital99CodeRequests', 'metaRegistrations', 'metaDeregistrations'],
};

/** The known name nearest to `name` (by edit distance), if it is near enough to be a typo. */
function nearest(name, known) {
  const distance = (a, b) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  };
  const lower = name.toLowerCase();
  const scored = known.map((k) => [k.toLowerCase().startsWith(lower) ? 1 : distance(lower, k.toLowerCase()), k]);
  scored.sort((a, b) => a[0] - b[0]);
  return scored.length && scored[0][0] <= Math.max(2, Math.floor(name.length / 3)) ? scored[0][1] : null;
}

function checkOptionNames(options) {
  for (const [group, known] of Object.entries(OPTION_NAMES)) {
    const given = group ? options[group] : options;
    if (given === undefined || given === null) continue;
    if (typeof given !== 'object') throw validation(group, 'must be an object');
    for (const key of Object.keys(given)) {
      if (known.includes(key)) continue;
      const field = group ? `${group}.${key}` : key;
      const guess = nearest(key, known);
      throw validation(field, `is not an option of this client${guess ? ` (did you mean ${guess}?)` : ''}`);
    }
  }
}

/** Refuses, when the client is made, a client that could send nothing. */
function checkCredentials(provider, o) {
  const given = (v) => v !== undefined && v !== null && v !== '';
  if (given(o.accessToken)) return;
  if (provider !== 'digital99') {
    throw validation('accessToken', `is required: the ${provider === 'meta' ? 'Meta system-user token' : 'Vonage JWT'}`);
  }
  if (!given(o.clientId) && !given(o.clientSecret)) {
    throw validation('accessToken', 'is required, or clientId and clientSecret to fetch tokens with');
  }
}

/** A snake_case option path from the core (`retry.max_attempts`) as the user writes it. */
function optionField(field) {
  return field.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** The options that are functions: the app's fetch and its hooks. */
const FUNCTION_OPTIONS = {
  fetch: 'must be a function like globalThis.fetch: (request: Request) => Promise<Response>',
  onRequest: 'must be a function of the request event',
  onResponse: 'must be a function of the response event',
};

function checkFunctionOptions(o) {
  for (const [name, what] of Object.entries(FUNCTION_OPTIONS)) {
    if (o[name] !== undefined && o[name] !== null && typeof o[name] !== 'function') throw validation(name, what);
  }
}

function clientOptions(provider, options = {}) {
  const o = options ?? {};
  if (typeof o !== 'object') throw validation('options', 'must be an object');
  checkOptionNames(o);
  checkNumericOptions(o);
  checkFunctionOptions(o);
  checkCredentials(provider, o);
  const limits = o.guardLimits;
  const limit = (l) => l && { max: l.max, window_ms: l.windowMs };
  return {
    provider,
    config: {
      access_token: o.accessToken,
      base_url: o.baseUrl,
      api_version: o.apiVersion,
      verify_number_path: o.verifyNumberPath,
    },
    client_id: o.clientId,
    client_secret: o.clientSecret,
    timeout_ms: o.timeoutMs,
    retry: o.retry && {
      max_attempts: o.retry.maxAttempts,
      base_delay_ms: o.retry.baseDelayMs,
      max_delay_ms: o.retry.maxDelayMs,
      max_retry_after_ms: o.retry.maxRetryAfterMs,
    },
    poll: o.poll && {
      initial_interval_ms: o.poll.initialIntervalMs,
      max_interval_ms: o.poll.maxIntervalMs,
      timeout_ms: o.poll.timeoutMs,
    },
    guard_limits: limits && {
      digital99_code_requests: limit(limits.digital99CodeRequests),
      meta_registrations: limit(limits.metaRegistrations),
      meta_deregistrations: limit(limits.metaDeregistrations),
    },
    guard_state: o.guardState,
  };
}

/**
 * What the wasm client runs on: the app's fetch (else the global one, looked up at each
 * call), a timer that the call's signal cuts short, and the app's hooks. The hooks get
 * only the operation, method, host, path, attempt, status, duration and error kind: the
 * wasm side never puts a query, header or body in an event.
 */
function hostFor(o) {
  const send = o.fetch ?? ((request) => globalThis.fetch(request));
  const hooks = { request: o.onRequest ?? undefined, response: o.onResponse ?? undefined };
  return {
    observing: Boolean(hooks.request || hooks.response),
    async send(request, signal) {
      if (!signal) return send(request);
      // The request carries its time limit; the call's signal aborts it too.
      const [either, release] = eitherSignal(request.signal, signal);
      try {
        return await send(new Request(request, { signal: either }));
      } finally {
        release();
      }
    },
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done);
      });
    },
    observe(text) {
      const e = JSON.parse(text);
      const hook = hooks[e.event];
      if (!hook) return;
      const event = { operation: e.operation, method: e.method, host: e.host, path: e.path, attempt: e.attempt };
      if (e.event === 'response') {
        event.status = e.status;
        event.durationMs = e.duration_ms;
        if (e.error !== undefined) event.error = e.error;
      }
      try {
        hook(event);
      } catch {
        // A hook is for watching: its failure must not change what the call does.
      }
    },
  };
}

/** One signal that aborts when either does, and a function that lets go of both. */
function eitherSignal(a, b) {
  if (typeof AbortSignal.any === 'function') return [AbortSignal.any([a, b]), () => {}];
  const controller = new AbortController();
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  if (a.aborted) onA();
  else if (b.aborted) onB();
  a.addEventListener('abort', onA);
  b.addEventListener('abort', onB);
  return [controller.signal, () => (a.removeEventListener('abort', onA), b.removeEventListener('abort', onB))];
}

// The wasm client behind each JS client, out of users' reach.
const raw = new WeakMap();

function rawClient(client) {
  const inner = raw.get(client);
  if (!inner) throw validation('client', 'must be a MetaClient, VonageClient or Digital99Client');
  return inner;
}

class Client {
  constructor(provider, options) {
    ready();
    const json = toJson(clientOptions(provider, options), 'options');
    try {
      raw.set(this, new WasmClient(json, hostFor(options ?? {})));
    } catch (e) {
      const error = toError(e);
      // The core names options as its JSON spells them; the user wrote camelCase.
      if (error instanceof WaonboardError && error.field) {
        const field = optionField(error.field.replace(/^config\./, ''));
        throw new WaonboardError(error.message.replace(error.field, field), { kind: error.kind, field });
      }
      throw error;
    }
  }

  /**
   * Sends any operation of this client's provider by its id, e.g. `meta.request_code`.
   * `options.signal` aborts it: before its next request or wait, or in flight.
   */
  async call(op, params = {}, options = undefined) {
    text(op, 'op', 'an operation id such as meta.request_code');
    const signal = signalOf(options, ['signal'], op);
    return settle(rawClient(this).call(op, toJson(params, 'params'), signal), signal);
  }

  /** The guard state to save and pass back as `guardState`, so limits hold across runs. */
  guardState() {
    return JSON.parse(rawClient(this).guard_state());
  }
}

// One camelCase method per operation: `meta.set_two_step_pin` → `setTwoStepPin(params)`.
function addOperations(cls, provider, names) {
  for (const name of names) {
    const op = `${provider}.${name}`;
    const method = name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
    Object.defineProperty(cls.prototype, method, {
      value: function (params, options) {
        return this.call(op, params, options);
      },
      writable: true,
      configurable: true,
    });
  }
}

export class MetaClient extends Client {
  constructor(options) {
    super('meta', options);
  }

  /** Every number of a WhatsApp Business Account, following the pages to the end. */
  async listAllPhoneNumbers(params, options = undefined) {
    const signal = signalOf(options, ['signal'], 'meta.list_phone_numbers');
    return settle(rawClient(this).all_phone_numbers(toJson(params, 'params'), signal), signal);
  }
}

export class VonageClient extends Client {
  constructor(options) {
    super('vonage', options);
  }

  /**
   * Polls a deployment until its state is one of `targets` (default `READY`);
   * `options.signal` stops the wait.
   */
  async waitForState(deploymentId, targets = ['READY'], options = undefined) {
    text(deploymentId, 'deployment_id', 'the deployment ID (a string)');
    const signal = signalOf(options, ['signal'], 'vonage.get_deployment');
    const list = typeof targets === 'string' ? [targets] : targets;
    return settle(rawClient(this).wait_for_state(deploymentId, toJson(list, 'targets'), signal), signal);
  }
}

export class Digital99Client extends Client {
  constructor(options) {
    super('digital99', options);
  }
}

addOperations(MetaClient, 'meta', [
  'request_code',
  'verify_code',
  'register',
  'deregister',
  'set_two_step_pin',
  'get_phone_number',
  'list_phone_numbers',
  'add_phone_number',
  'add_preverified_number',
  'list_preverified_numbers',
  'get_preverified_number',
  'delete_preverified_number',
  'request_preverified_code',
  'verify_preverified_code',
  'list_preverified_partners',
  'share_preverified_number',
]);
addOperations(VonageClient, 'vonage', [
  'create_deployment',
  'get_deployment',
  'list_deployments',
  'delete_deployment',
  'resend_otp',
  'verify_otp',
  'get_profile',
  'update_profile',
  'get_profile_photo',
  'update_profile_photo',
  'list_stickerpacks',
  'create_stickerpack',
  'update_stickerpack',
  'delete_stickerpack',
  'list_stickers',
  'get_sticker',
  'create_sticker',
  'delete_sticker',
]);
addOperations(Digital99Client, 'digital99', [
  'access_token',
  'register_number',
  'verify_number',
  'list_registered_numbers',
  'list_whatsapp_numbers',
  'list_accounts',
  'delete_account',
]);

/**
 * A resumable onboarding: plain data between steps. Save `JSON.stringify(flow)` while the
 * user waits for the code and resume with `Onboarding.fromJSON(saved)`, even in another
 * process. Codes and PINs are passed to the step that needs them, never stored.
 */
export class Onboarding {
  #state;
  #needs;
  // Steps run one at a time, each from the state the one before left: a second `advance`
  // while one is under way (a double click) waits for it instead of sending again.
  #queue = Promise.resolve();

  /** Use Onboarding.meta / .vonage / .digital99 / .fromJSON. */
  constructor(snapshot) {
    const { state, needs } = snapshot ?? {};
    if (typeof state !== 'object' || state === null || typeof needs !== 'string') {
      throw validation('state', 'is not an onboarding; use Onboarding.meta(), .vonage(), .digital99() or .fromJSON()');
    }
    this.#state = state;
    this.#needs = needs;
  }

  static meta(params) {
    return new Onboarding(sync(() => onboarding_start('meta', toJson(params, 'params'))));
  }

  static vonage(params) {
    return new Onboarding(sync(() => onboarding_start('vonage', toJson(params, 'params'))));
  }

  static digital99(params) {
    return new Onboarding(sync(() => onboarding_start('digital99', toJson(params, 'params'))));
  }

  /** A saved onboarding, from `JSON.stringify(flow)` or the object `flow.toJSON()` gave. */
  static fromJSON(saved) {
    const text = typeof saved === 'string' ? saved : toJson(saved, 'state');
    return new Onboarding(sync(() => onboarding_load(text)));
  }

  /** `meta`, `vonage` or `digital99`. */
  get provider() {
    return this.#state.provider;
  }

  /** What the next step needs: `advance`, `code`, `pin` or `done`. */
  get needs() {
    return this.#needs;
  }

  /** The saved state (a copy). */
  toJSON() {
    return JSON.parse(JSON.stringify(this.#state));
  }

  /**
   * Runs the next step with the provider's client. Steps run one at a time: a second call
   * while one is under way (a double click) waits for it and starts from its state.
   * `options.checkpoint(state)`, if given, is called with the saved state before a write
   * leaves: persist it there (synchronously), so that a process that dies meanwhile
   * resumes with the write marked `pending` and asks the provider what became of it
   * instead of sending it again; if it throws, nothing is sent. On failure the flow keeps
   * what the step learnt (e.g. a write still `pending`). `options.signal` aborts the
   * step: a write abandoned in flight stays `pending`, one that never left does not.
   */
  async advance(client, input = {}, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, ['checkpoint', 'signal']);
    const checkpoint = checkpointOf(options);
    const state = () => JSON.stringify(this.#state);
    return this.#step(() => raw.advance(state(), toJson(input, 'input'), checkpoint, signal), signal);
  }

  /** Sends the code again, while one is awaited; `options` as in `advance`. */
  async resend(client, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, ['checkpoint', 'signal']);
    const checkpoint = checkpointOf(options);
    return this.#step(() => raw.resend(JSON.stringify(this.#state), checkpoint, signal), signal);
  }

  /**
   * Vonage only: starts over after the deployment ended in ERROR — deletes it, waits until
   * it is gone and goes back to creating one. Fix what failed first (e.g. resume from
   * `{...flow.toJSON(), vname_certificate}`).
   */
  async restart(client, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, ['signal']);
    return this.#step(() => raw.restart(JSON.stringify(this.#state), signal), signal);
  }

  #step(start, signal) {
    const run = this.#queue.then(async () => {
      let next;
      try {
        next = JSON.parse(await start());
      } catch (thrown) {
        // A failed step hands back the flow as it left it: a write whose answer was lost
        // stays pending there, to be settled with the provider rather than sent again.
        const failed = failedStep(thrown);
        if (failed?.state) {
          this.#state = failed.state;
          this.#needs = failed.needs;
        }
        throw toError(thrown, signal);
      }
      this.#state = next.state;
      this.#needs = next.needs;
      return this.#needs;
    });
    this.#queue = run.catch(() => {});
    return run;
  }
}

/**
 * Verifies one of Meta's pre-verified numbers: checks its ID, requests the code, verifies
 * it. Plain data between steps, like an Onboarding: save `JSON.stringify(flow)` and resume
 * with `PreverifiedVerification.fromJSON(saved)`. The code is never stored.
 */
export class PreverifiedVerification {
  #state;
  #needs;
  #queue = Promise.resolve();

  /** Use PreverifiedVerification.start / .fromJSON. */
  constructor(snapshot) {
    const { state, needs } = snapshot ?? {};
    if (typeof state !== 'object' || state === null || typeof needs !== 'string') {
      throw validation('state', 'is not a verification; use PreverifiedVerification.start() or .fromJSON()');
    }
    this.#state = state;
    this.#needs = needs;
  }

  /** A verification at its start: `{preverified_id, code_method, language}`. */
  static start(params) {
    return new PreverifiedVerification(sync(() => preverified_start(toJson(params, 'params'))));
  }

  /** A saved verification, from `JSON.stringify(flow)` or the object `flow.toJSON()` gave. */
  static fromJSON(saved) {
    const text = typeof saved === 'string' ? saved : toJson(saved, 'state');
    return new PreverifiedVerification(sync(() => preverified_load(text)));
  }

  /** What the next step needs: `advance`, `code` or `done`. */
  get needs() {
    return this.#needs;
  }

  /** The saved state (a copy). */
  toJSON() {
    return JSON.parse(JSON.stringify(this.#state));
  }

  /**
   * Runs the next step with a MetaClient; on failure the flow stays where it was. Steps
   * run one at a time, as in Onboarding.
   */
  async advance(client, input = {}, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, ['signal']);
    const state = () => JSON.stringify(this.#state);
    return this.#step(() => raw.preverified_advance(state(), toJson(input, 'input'), signal), signal);
  }

  /** Sends the code again, while one is awaited; `options.signal` aborts it. */
  async resend(client, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, ['signal']);
    return this.#step(() => raw.preverified_resend(JSON.stringify(this.#state), signal), signal);
  }

  #step(start, signal) {
    const run = this.#queue.then(async () => {
      const next = await settle(start(), signal);
      this.#state = next.state;
      this.#needs = next.needs;
      return this.#needs;
    });
    this.#queue = run.catch(() => {});
    return run;
  }
}

/** The wasm side's checkpoint: the caller's function of the state object, or none. */
function checkpointOf(options) {
  const checkpoint = options?.checkpoint;
  if (checkpoint === undefined) return undefined;
  if (typeof checkpoint !== 'function') throw validation('checkpoint', 'must be a function of the state');
  return (text) => checkpoint(JSON.parse(text));
}
