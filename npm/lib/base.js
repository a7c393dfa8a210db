// What both entry points share: loading a wasm module, WaonboardError, the checks done
// before anything crosses into wasm, and the sans-IO prepare/parse. The full package
// (lib/api.js) and the forms entry (lib/forms.js) each bind it to their own module.

/** The loader of one wasm-bindgen module: `init`, `initSync` and the `ready` check. */
export function loader(glue) {
  let loaded = false;
  let loading = null;
  return {
    /**
     * Loads the WebAssembly module. Node loads it on import; in browsers and bundlers,
     * await this once before anything else. Calling it again is harmless.
     */
    init(source) {
      if (loaded) return Promise.resolve();
      loading ??= glue.default(source === undefined ? undefined : { module_or_path: source }).then(
        () => {
          loaded = true;
        },
        (e) => {
          loading = null;
          throw e;
        },
      );
      return loading;
    },

    /** Loads the module from its bytes (or a compiled WebAssembly.Module), synchronously. */
    initSync(module) {
      if (!loaded) {
        glue.initSync({ module });
        loaded = true;
      }
    },

    ready() {
      if (!loaded) {
        throw new Error(
          'waonboard: the WebAssembly module is not loaded yet. `await init()` once before using ' +
            'the library (the Node entry point loads it on import).',
        );
      }
    },
  };
}

/**
 * The one error type of waonboard; `kind` says what went wrong. `details.cause`, the
 * underlying error (a transport's), becomes the standard `cause`.
 */
export class WaonboardError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WaonboardError';
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

/** The error the wasm side threw (its JSON text), as a WaonboardError; anything else as is. */
export function toError(thrown) {
  if (typeof thrown !== 'string') return thrown;
  const e = JSON.parse(thrown);
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
    cause: e.cause === undefined ? undefined : new Error(e.cause),
  });
}

export function validation(field, message) {
  return new WaonboardError(`${field} ${message}`, { kind: 'validation', field });
}

/**
 * `value` as JSON text for the wasm side. BigInt IDs become their exact decimal text;
 * anything else JSON cannot hold is refused: a NaN or an infinity (JSON would quietly make
 * it null) names where it was, `websites[1]`. The plain JSON.stringify runs first: only a
 * `null` in its text or a throw (a BigInt, a cycle) needs the slower look.
 */
export function toJson(value, name) {
  let json;
  try {
    json = JSON.stringify(value ?? null);
  } catch {
    json = null;
  }
  if (json !== null && !json.includes('null')) return json;
  const bad = nonFinite(value, '', new Set());
  if (bad !== null) throw validation(bad || name, 'must be a finite number');
  if (json !== null) return json;
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
export function text(value, field, what) {
  if (typeof value !== 'string' || value === '') throw validation(field, `must be ${what}`);
  return value;
}

/** The JSON the wasm call `run` returns, read; what it throws, as a WaonboardError. */
export function sync(run) {
  try {
    return JSON.parse(run());
  } catch (e) {
    throw toError(e);
  }
}

const encoder = new TextEncoder();

// A Headers object, [name, value] pairs or a plain object, as the wasm side reads them:
// lines, each name then its value (no header holds a line break).
function headerLines(headers) {
  if (headers == null) return '';
  const pairs = typeof headers[Symbol.iterator] === 'function' ? headers : Object.entries(headers);
  let lines = '';
  for (const pair of pairs) {
    const [name, value] = Array.isArray(pair) ? pair : [];
    if (typeof name !== 'string' || typeof value !== 'string' || /\n/.test(name + value)) {
      throw validation('headers', 'must be [name, value] pairs of strings without line breaks');
    }
    lines += lines === '' ? `${name}\n${value}` : `\n${name}\n${value}`;
  }
  return lines;
}

/** The request `prepare` returns as lines: method, URL, body ('' for none), header pairs. */
function requestFrom(text) {
  const lines = text.split('\n');
  const headers = [];
  for (let i = 3; i + 1 < lines.length; i += 2) headers.push([lines[i], lines[i + 1]]);
  return { method: lines[0], url: lines[1], headers, body: lines[2] === '' ? null : lines[2] };
}

/** A token that only lets `validate` build the request it then drops; it is never sent. */
const VALIDATE_ONLY = { access_token: 'validate-only' };

/** The sans-IO calls over the module's `prepare` and `parse` exports, `ready` checked first. */
export function sansIo(glue, ready) {
  /** Checks `params` for operation `op` and builds its HTTP request; nothing is sent. */
  function prepare(op, params, config) {
    ready();
    text(op, 'op', 'an operation id such as meta.request_code');
    try {
      return requestFrom(glue.prepare(op, toJson(params, 'params'), toJson(config, 'config')));
    } catch (e) {
      throw toError(e);
    }
  }

  /** Reads a provider's answer to `op` into its result, or throws the WaonboardError it means. */
  function parse(op, status, headers, body) {
    ready();
    text(op, 'op', 'an operation id such as meta.request_code');
    const lines = headerLines(headers);
    const bytes =
      typeof body === 'string'
        ? encoder.encode(body)
        : body instanceof ArrayBuffer
          ? new Uint8Array(body)
          : ArrayBuffer.isView(body)
            ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
            : body == null
              ? new Uint8Array()
              : null;
    if (bytes === null) throw validation('body', 'must be a string, an ArrayBuffer or a Uint8Array');
    if (!Number.isInteger(status)) throw validation('status', 'must be an HTTP status code');
    return sync(() => glue.parse(op, status, lines, bytes));
  }

  /**
   * Checks `params` for `op` exactly as `prepare` does on the server, without credentials:
   * throws the validation error naming the field, returns nothing when they are valid.
   */
  function validate(op, params) {
    prepare(op, params, VALIDATE_ONLY);
  }

  return { prepare, parse, validate };
}
