// Types of the npm package `waonboard`. Params, config and results use the contract's
// snake_case keys (the providers' own field names, docs/contract.md); names this library
// defines (functions, methods, client options, error properties) are camelCase.
//
// Every operation's params, result shapes, the operation map and the clients' typed methods
// are generated from docs/schema.json into types/operations.d.ts (re-exported here); this file
// holds the rest, written by hand.

import type * as Generated from './types/operations.js';
import type {
  Deployment,
  Digital99Methods,
  ErrorKind,
  MetaListPhoneNumbersParams,
  MetaMethods,
  MetaRequestCodeParams,
  OperationId,
  ParamsOf,
  PhoneNumberInfo,
  ResultOf,
  VonageMethods,
} from './types/operations.js';
export * from './types/operations.js';

// ------------------------------------------------------------------ loading

/**
 * Loads the WebAssembly module. Node loads it on import; in browsers and bundlers await it
 * once before anything else (every other call throws until then). `source` defaults to the
 * `waonboard_bg.wasm` beside the package's JS; pass a URL, a Response or bytes to load it
 * from elsewhere.
 */
export function init(
  source?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;

/** Loads the module synchronously from its bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): void;

// ------------------------------------------------------------------ errors

export interface WaonboardErrorDetails {
  kind?: ErrorKind;
  field?: string;
  providerCode?: string;
  httpStatus?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  operation?: OperationId;
  fbtraceId?: string;
  errorSubcode?: number;
  /** The underlying error; it becomes the standard `cause`. */
  cause?: unknown;
}

/**
 * The one error every call throws (or rejects with). The message says what was wrong and
 * what to do; no error ever contains an access token, client secret, PIN or code.
 */
export class WaonboardError extends Error {
  constructor(message: string, details?: WaonboardErrorDetails);
  readonly name: 'WaonboardError';
  /** What went wrong. */
  readonly kind: ErrorKind;
  /** The offending parameter on validation errors (`code`, `websites[1]`, …). */
  readonly field: string | undefined;
  /** The provider's own code: `"133016"`, `"number-in-use"`, `"3"`. */
  readonly providerCode: string | undefined;
  /** The HTTP status of the provider's answer, when there was one. */
  readonly httpStatus: number | undefined;
  /** Whether sending the same request again later may succeed and is safe. */
  readonly retryable: boolean;
  /** How long the provider asked to wait (`Retry-After`), or a guard's wait. */
  readonly retryAfterMs: number | undefined;
  /** The operation that failed, e.g. `meta.register`. */
  readonly operation: OperationId | undefined;
  /** Meta's `fbtrace_id`: the id Meta's support asks for to trace the failed call. */
  readonly fbtraceId: string | undefined;
  /** Meta's `error_subcode`, which narrows `providerCode` (`2388001`, …). */
  readonly errorSubcode: number | undefined;
  /**
   * On `transport` and `timeout` errors, the underlying error (an `Error` whose message is
   * the transport's `name: message`, e.g. `TypeError: fetch failed`); else undefined.
   */
  readonly cause: unknown;
  toJSON(): {
    name: 'WaonboardError';
    kind: ErrorKind;
    message: string;
    field?: string;
    providerCode?: string;
    httpStatus?: number;
    retryable: boolean;
    retryAfterMs?: number;
    operation?: OperationId;
    fbtraceId?: string;
    errorSubcode?: number;
    cause?: string;
  };
}

// ------------------------------------------------------------------ common

/** `sms` or `voice`: as written here, or in upper case. */
export type DeliveryMethod = MetaRequestCodeParams['code_method'];

/**
 * A phone number as people write it: `+44 7700 900000`, `0044…`, `(415) 555-0100` with
 * `country: "US"`. Without `country`, a bare digit string is read as international.
 */
export type PhoneNumberText = string;

/** An ID of digits, as a string (numbers lose precision above 2^53). */
export type NumericId = string;

// ------------------------------------------------------------------ provider-prefixed names

// The generated types take the schema's names, shared by every language; these are the names
// the package gave the same types before they were generated, so code using them compiles.
export type MetaPreverifiedNumberParams = Generated.MetaDeletePreverifiedNumberParams;
export type MetaPhoneNumberFilter = Generated.Filter;
export type MetaSuccess = Generated.Success;
export type MetaPhoneNumber = Generated.PhoneNumberInfo;
export type MetaPhoneNumberList = Generated.PhoneNumberList;
export type MetaAddedPhoneNumber = Generated.AddedPhoneNumber;
export type MetaPaging = Generated.Paging;
export type MetaNameStatus = NonNullable<Generated.PhoneNumberInfo['name_status']>;
export type MetaPreverifiedStatus = NonNullable<Generated.PreverifiedNumber['verification_status']>;
export type MetaAvailabilityStatus = NonNullable<Generated.PreverifiedNumber['availability_status']>;
export type MetaPreverifiedNumber = Generated.PreverifiedNumber;
export type MetaPreverifiedNumberList = Generated.PreverifiedNumberList;
export type MetaPreverifiedNumberCheck = Generated.PreverifiedNumberCheck;
export type MetaDeleted = Generated.Deleted;
export type MetaPartner = Generated.Partner;
export type MetaPartnerList = Generated.PartnerList;
export type VonageDeploymentParams = Generated.VonageGetDeploymentParams;
export type VonageStickerpackParams = Generated.VonageDeleteStickerpackParams;
export type VonageStickerParams = Generated.VonageGetStickerParams;
export type VonageVertical = NonNullable<Generated.VonageUpdateProfileParams['vertical']>;
/** A deployment's state (`current_state.title`): the known ones, or any a provider adds later. */
export type VonageDeploymentState = NonNullable<Generated.DeploymentState['title']>;
export type VonageDeployment = Generated.Deployment;
export type VonageDeploymentList = Generated.DeploymentList;
export type VonageOtpResent = Generated.OtpResent;
export type VonageOtpVerified = Generated.OtpVerified;
export type VonageProfile = Generated.Profile;
export type VonageProfilePhoto = Generated.ProfilePhoto;
export type VonageStickerpack = Generated.Stickerpack;
export type VonageStickerpacks = Generated.Stickerpacks;
export type VonageSticker = Generated.Sticker;
export type VonageStickers = Generated.Stickers;
export type Digital99AccessToken = Generated.AccessToken;
export type Digital99NumberOutcome = Generated.NumberOutcome;
export type Digital99VerifiedNumber = Generated.VerifiedNumber;
export type Digital99RegisteredNumber = Generated.RegisteredNumber;
export type Digital99RegisteredNumbers = Generated.RegisteredNumbers;
export type Digital99WhatsappNumber = Generated.WhatsappNumber;
export type Digital99WhatsappNumbers = Generated.WhatsappNumbers;
export type Digital99Account = Generated.Account;
export type Digital99Accounts = Generated.Accounts;

type OpsOf<P extends string> = Extract<OperationId, `${P}.${string}`>;

// ------------------------------------------------------------------ sans-IO

/** The contract's config: what `prepare` builds a request with. */
export interface Config {
  /** The bearer token; every operation but `digital99.access_token` needs one. */
  access_token?: string;
  /** https://…, or http:// for a loopback host (a simulator). */
  base_url?: string;
  /** Meta's Graph API version, default `v23.0`. */
  api_version?: string;
  /** 99digital's verify path, default `/api/whatsapp/verifyNumber`. */
  verify_number_path?: string;
}

/** A request ready to send with any HTTP client: `fetch(r.url, r)` works as is. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Absolute, every path segment and query value percent-encoded. */
  url: string;
  /** Lower-case names and values, in order. */
  headers: [string, string][];
  /** UTF-8 JSON text, or null when there is none. */
  body: string | null;
}

/** Checks `params` and builds the HTTP request for `op`; throws a validation error, sends nothing. */
export function prepare<Op extends OperationId>(op: Op, params: ParamsOf<Op>, config: Config): HttpRequest;

/** Reads the provider's answer to `op` into its result, or throws the WaonboardError it means. */
export function parse<Op extends OperationId>(
  op: Op,
  status: number,
  headers: Iterable<[string, string]> | Record<string, string> | null | undefined,
  body: string | ArrayBuffer | ArrayBufferView | null | undefined,
): ResultOf<Op>;

// ------------------------------------------------------------------ clients

/** When and how often reads are tried again (writes never are). */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** The first backoff; each further one doubles (default 250). */
  baseDelayMs?: number;
  /** The longest backoff (default 8000). */
  maxDelayMs?: number;
  /** The longest Retry-After honoured (default 60000). */
  maxRetryAfterMs?: number;
}

/** How `waitForState` (and Vonage onboarding) polls. */
export interface PollOptions {
  /** Default 1000. */
  initialIntervalMs?: number;
  /** Default 10000. */
  maxIntervalMs?: number;
  /** Give up with a `timeout` error after this long (default 30 minutes). */
  timeoutMs?: number;
}

export interface GuardLimit {
  max?: number;
  windowMs?: number;
}

/** Client-side limits that refuse a call before a provider would block the number. */
export interface GuardLimitOptions {
  /** Default 3 per hour per number. */
  digital99CodeRequests?: GuardLimit;
  /** Default 10 per week per number (seed 002). */
  metaRegistrations?: GuardLimit;
  /** Default 10 per week per number (seed 002). */
  metaDeregistrations?: GuardLimit;
}

/** What the guards remember: save it (`client.guardState()`) and pass it back next run. */
export interface GuardState {
  sent: Record<string, Record<string, number[]>>;
}

/**
 * One attempt at a request, about to leave: where it goes, never a secret (no query,
 * header or body).
 */
export interface RequestEvent {
  operation: OperationId;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The host, with its port when the URL names one. */
  host: string;
  /** The path, without the query. */
  path: string;
  /** 1 for the first attempt, counting retries of reads. */
  attempt: number;
}

/** How an attempt ended: its status, or the kind of error when no answer came. */
export interface ResponseEvent extends RequestEvent {
  /** The HTTP status, when an answer came. */
  status: number | undefined;
  /** From just before sending to the answer or the failure. */
  durationMs: number;
  /** The kind of error the attempt ended in (a 4xx or 5xx answer, or none at all). */
  error: ErrorKind | undefined;
}

/** A `fetch` of the app's own: the library calls it with a URL and an init, as the global one. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** What each call of a client takes besides its params. */
export interface CallOptions {
  /**
   * Aborts the call, retries and waits included (`AbortSignal.timeout(60_000)`, or an
   * `AbortController`'s): it rejects with an `aborted` WaonboardError whose `cause` is the
   * signal's reason. `retryable` is true unless a write may have reached the provider.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Checked when the client is made: an option the client does not know (a typo such as
 * `timeout`) or a client that could send nothing (no `accessToken`) is a `validation`
 * error naming the option as written here.
 */
export interface ClientOptions {
  /**
   * The bearer token: Meta system-user token, Vonage JWT, 99digital access token. Typed to
   * take `process.env.X` as it is; a missing or empty one is refused at construction.
   */
  accessToken?: string | undefined;
  /** Replaces the provider's base URL (https://…, or http:// for a loopback host). */
  baseUrl?: string;
  /** The limit per request, body included (default 30000). */
  timeoutMs?: number;
  retry?: RetryOptions;
  poll?: PollOptions;
  guardLimits?: GuardLimitOptions;
  guardState?: GuardState;
  /** Sends every request instead of the global `fetch` (a proxy's, a test double). */
  fetch?: FetchFunction;
  /**
   * Called before each attempt leaves. What it throws is logged with `console.error` and
   * otherwise ignored: watching a call never changes it.
   */
  onRequest?: (event: RequestEvent) => void;
  /** Called when each attempt ends; what it throws is handled as in `onRequest`. */
  onResponse?: (event: ResponseEvent) => void;
}

export interface MetaClientOptions extends ClientOptions {
  accessToken: string | undefined;
  /** Graph API version, default `v23.0`. */
  apiVersion?: string;
}

export interface VonageClientOptions extends ClientOptions {
  accessToken: string | undefined;
}

/** Either a ready access token, or the partner's ID and secret (tokens then come and renew by themselves). */
export interface Digital99ClientOptions extends ClientOptions {
  clientId?: string;
  clientSecret?: string;
  /** 99digital's verify path, should it differ from `/api/whatsapp/verifyNumber`. */
  verifyNumberPath?: string;
}

declare class Client<P extends string> {
  /** Sends any operation of this provider by id. */
  call<Op extends OpsOf<P>>(op: Op, params: ParamsOf<Op>, options?: CallOptions): Promise<ResultOf<Op>>;
  /** The guards' memory, to save and pass back as `guardState`. */
  guardState(): GuardState;
}

// Each client's typed per-operation methods (generated: MetaMethods, VonageMethods,
// Digital99Methods) merge into its class, beside the hand-written ones.

export interface MetaClient extends MetaMethods {}
/** Meta's WhatsApp Cloud API (Graph API phone-number endpoints). */
export class MetaClient extends Client<'meta'> {
  constructor(options: MetaClientOptions);
  /** Every number of the account, following the pages to the end. */
  listAllPhoneNumbers(params: MetaListPhoneNumbersParams, options?: CallOptions): Promise<PhoneNumberInfo[]>;
}

export interface VonageClient extends VonageMethods {}
/** Vonage's WhatsApp Provisioning API. */
export class VonageClient extends Client<'vonage'> {
  constructor(options: VonageClientOptions);
  /**
   * Polls a deployment until its state is one of `targets` (default `READY`). `ERROR`
   * ends the wait with a `provider` error, the poll deadline with a `timeout` error.
   */
  waitForState(
    deploymentId: string,
    targets?: VonageDeploymentState | VonageDeploymentState[],
    options?: CallOptions,
  ): Promise<Deployment>;
  /** The same, with the names every other language uses: `{ deployment_id, states }`. */
  waitForState(
    params: {
      deployment_id: string;
      states?: VonageDeploymentState | VonageDeploymentState[];
    },
    options?: CallOptions,
  ): Promise<Deployment>;
}

export interface Digital99Client extends Digital99Methods {}
/** The 99digital Partners API. */
export class Digital99Client extends Client<'digital99'> {
  constructor(options: Digital99ClientOptions);
}

// ------------------------------------------------------------------ onboarding

/** What the next step needs: `advance` (call it with no input), a `code`, a `pin`, or `done`. */
export type Needs = 'advance' | 'code' | 'pin' | 'done';

export interface MetaOnboardingParams {
  phone_number_id: NumericId;
  code_method: DeliveryMethod;
  language: string;
  data_localization_region?: string;
}
export interface VonageOnboardingParams {
  phone_number: PhoneNumberText;
  country?: string;
  vname_certificate: string;
  method: DeliveryMethod;
  waba_id: NumericId;
}
export interface Digital99OnboardingParams {
  phone_number: PhoneNumberText;
  country?: string;
  method: DeliveryMethod;
  language: string;
  comment?: string;
}

/** What every saved onboarding may hold besides its provider's fields. */
export interface OnboardingIntent {
  /** A write that left (or may have left) and whose outcome is unknown: the next step asks the provider. */
  pending?: OperationId;
  /** A code request's outcome is unknown: enter the code if one came, else `resend`. */
  code_unconfirmed?: true;
}

/** A saved onboarding: plain JSON data, without codes or PINs. */
export type OnboardingState = OnboardingIntent &
  (
    | ({
        provider: 'meta';
        step: 'request_code' | 'verify_code' | 'register' | 'done';
        /** Verified before the flow began (Embedded Signup): register within 14 days of the signup. */
        already_verified?: true;
      } & MetaOnboardingParams)
    | ({
        provider: 'vonage';
        step: 'create_deployment' | 'wait_for_code' | 'verify_code' | 'wait_for_ready' | 'done';
        deployment_id?: string;
      } & VonageOnboardingParams)
    | ({ provider: 'digital99'; step: 'register_number' | 'verify_number' | 'done'; expiration?: number } &
        Digital99OnboardingParams)
  );

export interface StepOptions extends CallOptions {
  /**
   * Called with the state before a write leaves: persist it here (synchronously). If it
   * throws, nothing is sent.
   */
  checkpoint?: (state: OnboardingState) => void;
}

export interface StepInput {
  /** The one-time code, when `needs` is `code`. */
  code?: string;
  /** The two-step PIN, when `needs` is `pin` (Meta), or on creating a Vonage deployment for a number that had one. */
  pin?: string;
}

/**
 * A resumable onboarding. Each step either moves the flow on or leaves it where it was and
 * throws: a failed step is simply tried again.
 *
 * - Meta: request_code → verify_code → (checks readiness) register.
 * - Vonage: create_deployment → wait for CODE_SENT → verify_otp → wait for READY.
 * - 99digital: register_number (sends the code) → verify_number.
 */
export class Onboarding {
  private constructor();
  static meta(params: MetaOnboardingParams): Onboarding;
  static vonage(params: VonageOnboardingParams): Onboarding;
  static digital99(params: Digital99OnboardingParams): Onboarding;
  /** A flow saved with `JSON.stringify(flow)` (or `flow.toJSON()`). */
  static fromJSON(saved: string | OnboardingState): Onboarding;
  readonly provider: 'meta' | 'vonage' | 'digital99';
  readonly needs: Needs;
  /** The state to save. */
  toJSON(): OnboardingState;
  /**
   * Runs the next step with this provider's client; a pending write is settled with the
   * provider first. Steps run one at a time: a second call while one is under way (a
   * double click) waits for it and starts from its state.
   */
  advance(client: MetaClient | VonageClient | Digital99Client, input?: StepInput, options?: StepOptions): Promise<Needs>;
  /** Sends the code again while one is awaited. */
  resend(client: MetaClient | VonageClient | Digital99Client, options?: StepOptions): Promise<Needs>;
  /**
   * Vonage only: starts over after the deployment ended in ERROR — deletes it, waits until
   * it is gone and goes back to creating one. Fix what failed first, e.g. resume from
   * `Onboarding.fromJSON({ ...flow.toJSON(), vname_certificate })`.
   */
  restart(client: VonageClient, options?: CallOptions): Promise<Needs>;
}

// ------------------------------------------------------------------ pre-verified numbers

export interface PreverifiedVerificationParams {
  preverified_id: NumericId;
  code_method: DeliveryMethod;
  /** e.g. `en_US` (`en-us` is accepted). */
  language: string;
}

/** A saved verification: plain JSON data, without the code. */
export type PreverifiedVerificationState = PreverifiedVerificationParams & {
  step: 'request_code' | 'verify_code' | 'done';
};

/**
 * Verifies one of Meta's pre-verified numbers: checks its ID (an ID Meta calls invalid is
 * a `conflict` error before any code is requested) → request_code → verify_code. Like an
 * Onboarding, each step moves the flow on or leaves it where it was and throws.
 */
export class PreverifiedVerification {
  private constructor();
  static start(params: PreverifiedVerificationParams): PreverifiedVerification;
  /** A verification saved with `JSON.stringify(flow)` (or `flow.toJSON()`). */
  static fromJSON(saved: string | PreverifiedVerificationState): PreverifiedVerification;
  readonly needs: Exclude<Needs, 'pin'>;
  /** The state to save. */
  toJSON(): PreverifiedVerificationState;
  /** Runs the next step; `input.code` when `needs` is `code`. */
  advance(client: MetaClient, input?: { code?: string }, options?: CallOptions): Promise<Exclude<Needs, 'pin'>>;
  /** Sends the code again while one is awaited. */
  resend(client: MetaClient, options?: CallOptions): Promise<Exclude<Needs, 'pin'>>;
}
