// The package's API over the wasm exports. Only JSON text crosses into wasm and back, so
// IDs stay exact strings; every rule (validation, retries, tokens, guards, flows) lives in
// the Rust core. This file only names things the JS way and turns errors into
// WaonboardError (lib/base.js, shared with the forms entry).
import * as glue from '../wasm/waonboard.js';
import { loader, sansIo, WaonboardError, toError, validation, toJson, text, sync as syncJson } from './base.js';
import { OPERATIONS } from './operations.js';

const { WasmClient, onboarding_start, onboarding_load, preverified_start, preverified_load } = glue;
const { init, initSync, ready } = loader(glue);
const { prepare, parse } = sansIo(glue, ready);

export { init, initSync, prepare, parse, WaonboardError };

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

/** A synchronous wasm call's JSON result, once the module is loaded. */
function sync(run) {
  ready();
  return syncJson(run);
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

/** The wasm promise's JSON result; its rejection as a WaonboardError (an abort's cause: the signal's reason). */
async function settle(promise, signal) {
  try {
    return JSON.parse(await promise);
  } catch (e) {
    throw aborted(toError(e), signal);
  }
}

/** An `aborted` error of a call whose signal fired, with the signal's reason as its cause. */
function aborted(error, signal) {
  if (error instanceof WaonboardError && error.kind === 'aborted' && error.cause === undefined && signal?.aborted) {
    error.cause = signal.reason;
  }
  return error;
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

/** Refuses a key of `given` not in `known`, naming it as `prefix` + key, with a guess. */
function checkNames(given, known, prefix, what) {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const guess = nearest(key, known);
    throw validation(`${prefix}${key}`, `is not an option of ${what}${guess ? ` (did you mean ${guess}?)` : ''}`);
  }
}

function checkOptionNames(options) {
  for (const [group, known] of Object.entries(OPTION_NAMES)) {
    const given = group ? options[group] : options;
    if (given === undefined || given === null) continue;
    if (typeof given !== 'object') throw validation(group, 'must be an object');
    checkNames(given, known, group ? `${group}.` : '', 'this client');
  }
}

// The options that are functions of the app's: its own fetch, and the hooks that see each attempt.
const FUNCTION_OPTIONS = ['fetch', 'onRequest', 'onResponse'];

function checkFunctionOptions(options) {
  for (const name of FUNCTION_OPTIONS) {
    const value = options[name];
    if (value !== undefined && value !== null && typeof value !== 'function') throw validation(name, 'must be a function');
  }
}

/**
 * The `signal` of a call's options (`{ signal }`), checked: an AbortSignal, or undefined.
 * `known` lists the options the method takes besides.
 */
function signalOf(options, known = ['signal']) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw validation('options', 'must be an object such as { signal }');
  checkNames(options, known, '', 'this call');
  const { signal } = options;
  if (signal === undefined || signal === null) return undefined;
  if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw validation('signal', 'must be an AbortSignal, e.g. AbortSignal.timeout(60_000)');
  }
  return signal;
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
    const { fetch, onRequest, onResponse } = options ?? {};
    try {
      raw.set(this, new WasmClient(json, fetch ?? undefined, onRequest ?? undefined, onResponse ?? undefined));
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
   * `options.signal` aborts the call (retries and waits included).
   */
  async call(op, params = {}, options = undefined) {
    text(op, 'op', 'an operation id such as meta.request_code');
    const signal = signalOf(options);
    return settle(rawClient(this).call(op, toJson(params, 'params'), signal), signal);
  }

  /** The guard state to save and pass back as `guardState`, so limits hold across runs. */
  guardState() {
    return JSON.parse(rawClient(this).guard_state());
  }
}

// One camelCase method per operation of the generated table (lib/operations.js, from
// docs/schema.json, as the types are): `meta.set_two_step_pin` → `setTwoStepPin(params)`.
function addOperations(cls, provider) {
  for (const name of OPERATIONS[provider]) {
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
    const signal = signalOf(options);
    return settle(rawClient(this).all_phone_numbers(toJson(params, 'params'), signal), signal);
  }
}

export class VonageClient extends Client {
  constructor(options) {
    super('vonage', options);
  }

  /** Polls a deployment until its state is one of `targets` (default `READY`). */
  async waitForState(...args) {
    let [deploymentId, targets = ['READY'], options] = args;
    // Also `({ deployment_id, states }, options)`, the names Python, Kotlin and Swift use.
    if (deploymentId !== null && typeof deploymentId === 'object') {
      options = args[1];
      ({ deployment_id: deploymentId, states: targets = ['READY'] } = deploymentId);
    }
    text(deploymentId, 'deployment_id', 'the deployment ID (a string)');
    const signal = signalOf(options);
    const list = typeof targets === 'string' ? [targets] : targets;
    return settle(rawClient(this).wait_for_state(deploymentId, toJson(list, 'targets'), signal), signal);
  }
}

export class Digital99Client extends Client {
  constructor(options) {
    super('digital99', options);
  }
}

addOperations(MetaClient, 'meta');
addOperations(VonageClient, 'vonage');
addOperations(Digital99Client, 'digital99');

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
   * what the step learnt (e.g. a write still `pending`). `options.signal` aborts the step.
   */
  async advance(client, input = {}, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, STEP_OPTIONS);
    const checkpoint = checkpointOf(options);
    return this.#step(() => raw.advance(JSON.stringify(this.#state), toJson(input, 'input'), checkpoint, signal), signal);
  }

  /** Sends the code again, while one is awaited; `options` as in `advance`. */
  async resend(client, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options, STEP_OPTIONS);
    const checkpoint = checkpointOf(options);
    return this.#step(() => raw.resend(JSON.stringify(this.#state), checkpoint, signal), signal);
  }

  /**
   * Vonage only: starts over after the deployment ended in ERROR — deletes it, waits until
   * it is gone and goes back to creating one. Fix what failed first (e.g. resume from
   * `{...flow.toJSON(), vname_certificate}`). `options.signal` aborts it.
   */
  async restart(client, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options);
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
        throw aborted(toError(thrown), signal);
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
   * run one at a time, as in Onboarding. `options.signal` aborts the step.
   */
  async advance(client, input = {}, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options);
    return this.#step(() => raw.preverified_advance(JSON.stringify(this.#state), toJson(input, 'input'), signal), signal);
  }

  /** Sends the code again, while one is awaited; `options.signal` aborts it. */
  async resend(client, options = {}) {
    const raw = rawClient(client);
    const signal = signalOf(options);
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

/** What an onboarding step's options may hold. */
const STEP_OPTIONS = ['checkpoint', 'signal'];

/** The wasm side's checkpoint: the caller's function of the state object, or none. */
function checkpointOf(options) {
  const checkpoint = options?.checkpoint;
  if (checkpoint === undefined) return undefined;
  if (typeof checkpoint !== 'function') throw validation('checkpoint', 'must be a function of the state');
  return (text) => checkpoint(JSON.parse(text));
}
