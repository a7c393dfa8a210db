// Types of the npm package `waonboard`. Params, config and results use the contract's
// snake_case keys (the providers' own field names, docs/contract.md); names this library
// defines (functions, methods, client options, error properties) are camelCase.

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

/** What went wrong, one word shared by every language of waonboard. */
export type ErrorKind =
  | 'validation'
  | 'auth'
  | 'rate_limited'
  | 'verification_failed'
  | 'conflict'
  | 'not_found'
  | 'invalid_request'
  | 'provider'
  | 'transport'
  | 'timeout'
  | 'decode'
  | 'guard'
  | 'aborted';

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
  /** `AbortError` when `kind` is `aborted` (as fetch names its aborts), else `WaonboardError`. */
  readonly name: 'WaonboardError' | 'AbortError';
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
   * the transport's `name: message`, e.g. `TypeError: fetch failed`); on `aborted` errors,
   * the signal's `reason`; else undefined.
   */
  readonly cause: unknown;
  toJSON(): {
    name: 'WaonboardError' | 'AbortError';
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

/** `sms` or `voice`, in any letter case. */
export type DeliveryMethod = 'sms' | 'voice' | 'SMS' | 'VOICE' | (string & {});

/**
 * A phone number as people write it: `+44 7700 900000`, `0044…`, `(415) 555-0100` with
 * `country: "US"`. Without `country`, a bare digit string is read as international.
 */
export type PhoneNumberText = string;

/** An ID of digits, as a string (numbers lose precision above 2^53). */
export type NumericId = string;

/** An open enum: the known values, or any string a provider adds later. */
type Open<T extends string> = T | (string & {});

// ------------------------------------------------------------------ Meta params

export interface MetaRequestCodeParams {
  phone_number_id: NumericId;
  code_method: DeliveryMethod;
  /** e.g. `en_US` (`en-us` is accepted). */
  language: string;
}
export interface MetaVerifyCodeParams {
  phone_number_id: NumericId;
  /** 6 digits; spaces and hyphens are ignored. */
  code: string;
}
export interface MetaRegisterParams {
  phone_number_id: NumericId;
  /** The two-step PIN: exactly 6 digits, as a string. */
  pin: string;
  data_localization_region?: Open<
    'AE' | 'AU' | 'BH' | 'BR' | 'CA' | 'CH' | 'DE' | 'GB' | 'ID' | 'IN' | 'JP' | 'KR' | 'SG' | 'ZA'
  >;
  /** The On-Premises API's backup, for a number migrating to the Cloud API; both parts are secrets. */
  backup?: { password: string; data: string };
  tier?: 'PROD' | 'SANDBOX';
}
export interface MetaDeregisterParams {
  phone_number_id: NumericId;
}
export interface MetaSetTwoStepPinParams {
  phone_number_id: NumericId;
  pin: string;
}
export interface MetaGetPhoneNumberParams {
  phone_number_id: NumericId;
  fields?: string[];
}
export interface MetaPhoneNumberFilter {
  field: string;
  operator: string;
  value: string;
}
export interface MetaListPhoneNumbersParams {
  waba_id: NumericId;
  fields?: string[];
  filtering?: MetaPhoneNumberFilter[];
  sort?: Open<'last_onboarded_time.asc' | 'last_onboarded_time.desc'>;
  /** 1–100. */
  limit?: number | string;
  after?: string;
  before?: string;
}
export interface MetaAddPhoneNumberParams {
  waba_id: NumericId;
  phone_number: PhoneNumberText;
  country?: string;
  /** 2–75 characters. */
  verified_name: string;
  /** `true` when the number moves here from the On-Premises API. */
  migrate_phone_number?: boolean;
  /** The pre-verified number this is, for a partner offering pre-verified numbers. */
  preverified_id?: string;
}
export interface MetaAddPreverifiedNumberParams {
  business_id: NumericId;
  /** Sent in E.164 with `+`. */
  phone_number: PhoneNumberText;
  country?: string;
}
export interface MetaListPreverifiedNumbersParams {
  business_id: NumericId;
  fields?: string[];
  /** 1–100. */
  limit?: number | string;
  after?: string;
  before?: string;
  verification_status?: MetaPreverifiedStatus;
  availability_status?: MetaAvailabilityStatus;
  /** An ISO 3166 region, e.g. `US`. */
  country_code?: string;
}
export interface MetaPreverifiedNumberParams {
  preverified_id: NumericId;
}
export interface MetaGetPreverifiedNumberParams {
  preverified_id: NumericId;
  fields?: string[];
}
export interface MetaRequestPreverifiedCodeParams {
  preverified_id: NumericId;
  code_method: DeliveryMethod;
  /** e.g. `en_US` (`en-us` is accepted). */
  language: string;
}
export interface MetaVerifyPreverifiedCodeParams {
  preverified_id: NumericId;
  /** 6 digits; spaces and hyphens are ignored. */
  code: string;
}
export interface MetaListPreverifiedPartnersParams {
  preverified_id: NumericId;
  fields?: string[];
  /** 1–100. */
  limit?: number | string;
  after?: string;
  before?: string;
}
export interface MetaSharePreverifiedNumberParams {
  business_id: NumericId;
  preverified_id: NumericId;
  partner_business_id: NumericId;
}

// ------------------------------------------------------------------ Meta results

export interface MetaSuccess {
  success: boolean;
}
export interface MetaPhoneNumber {
  id: NumericId;
  display_phone_number?: string;
  verified_name?: string;
  code_verification_status?: Open<'VERIFIED' | 'NOT_VERIFIED' | 'EXPIRED' | 'UNVERIFIED'>;
  quality_rating?: Open<'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN'>;
  platform_type?: Open<'CLOUD_API' | 'ON_PREMISE' | 'NOT_APPLICABLE'>;
  throughput?: { level?: Open<'STANDARD' | 'HIGH' | 'NOT_APPLICABLE'> };
  webhook_configuration?: { application?: string };
  name_status?: MetaNameStatus;
  new_name_status?: MetaNameStatus;
  certificate?: string;
  new_certificate?: string;
  last_onboarded_time?: string;
  account_mode?: Open<'LIVE' | 'SANDBOX'>;
}
export type MetaNameStatus = Open<
  'APPROVED' | 'AVAILABLE_WITHOUT_REVIEW' | 'DECLINED' | 'EXPIRED' | 'PENDING_REVIEW' | 'NONE'
>;
export interface MetaPhoneNumberList {
  data: MetaPhoneNumber[];
  paging?: {
    cursors?: { before?: string; after?: string };
    next?: string;
    previous?: string;
  };
}
export interface MetaAddedPhoneNumber {
  id: NumericId;
}
export type MetaPreverifiedStatus = Open<'VERIFIED' | 'PENDING' | 'FAILED' | 'EXPIRED'>;
export type MetaAvailabilityStatus = Open<'AVAILABLE' | 'IN_USE' | 'RESERVED' | 'UNAVAILABLE'>;
export interface MetaPaging {
  cursors?: { before?: string; after?: string };
  next?: string;
  previous?: string;
}
export interface MetaPreverifiedNumber {
  id: NumericId;
  display_phone_number?: string;
  country_prefix?: number;
  verification_status?: MetaPreverifiedStatus;
  availability_status?: MetaAvailabilityStatus;
  created_time?: string;
  last_updated?: string;
  supported_features?: Open<
    'MESSAGING' | 'BUSINESS_PROFILE' | 'WEBHOOKS' | 'TEMPLATES' | 'ANALYTICS' | 'COMMERCE' | 'FLOWS'
  >[];
  country_code?: string;
  region?: string;
}
export interface MetaPreverifiedNumberList {
  data: MetaPreverifiedNumber[];
  paging?: MetaPaging;
}
export interface MetaPreverifiedNumberCheck {
  id?: NumericId;
  country_prefix?: number;
  display_phone_number?: string;
  error_msg?: string;
  is_input_id_valid?: boolean;
}
/** A delete's answer: Meta's spec does not promise `success`. */
export interface MetaDeleted {
  success?: boolean;
}
export interface MetaPartner {
  id: NumericId;
  name?: string;
  created_time?: string;
  updated_time?: string;
  verification_status?: Open<'not_verified' | 'pending' | 'verified'>;
  primary_page?: NumericId;
  timezone_id?: number;
  two_factor_type?: Open<'none' | 'admin_required'>;
}
export interface MetaPartnerList {
  data: MetaPartner[];
  paging?: MetaPaging;
}

// ------------------------------------------------------------------ Vonage params

export interface VonageCreateDeploymentParams {
  phone_number: PhoneNumberText;
  country?: string;
  /** The base64 display-name certificate from WhatsApp Manager. */
  vname_certificate: string;
  method: DeliveryMethod;
  waba_id: NumericId;
  /** Required when the number had a two-step PIN before. */
  pin?: string;
}
export interface VonageDeploymentParams {
  deployment_id: string;
}
export interface VonageResendOtpParams {
  deployment_id: string;
  method: DeliveryMethod;
}
export interface VonageVerifyOtpParams {
  deployment_id: string;
  code: string;
}
export type VonageVertical = string;
export interface VonageUpdateProfileParams {
  deployment_id: string;
  /** 1–139 characters. */
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  /** One of Vonage's verticals, any letter case (`food and grocery`). */
  vertical?: VonageVertical;
  /** 1–2 http(s) URLs. */
  websites?: string[];
}
export interface VonageUpdateProfilePhotoParams {
  deployment_id: string;
  /** An http(s) URL ending in .png, .jpg or .jpeg. */
  image_url: string;
}
export interface VonageListStickerpacksParams {
  deployment_id: string;
  namespace?: string;
}
export interface VonageCreateStickerpackParams {
  deployment_id: string;
  publisher: string;
  name: string;
  ios_app_store_link?: string;
  android_app_store_link?: string;
}
export interface VonageUpdateStickerpackParams {
  deployment_id: string;
  stickerpack_id: string;
  publisher?: string;
  name?: string;
  ios_app_store_link?: string;
  android_app_store_link?: string;
}
export interface VonageStickerpackParams {
  deployment_id: string;
  stickerpack_id: string;
}
export interface VonageStickerParams {
  deployment_id: string;
  stickerpack_id: string;
  /** 0–999999, a number or a digit string. */
  sticker_index: number | string;
}
export interface VonageCreateStickerParams {
  deployment_id: string;
  stickerpack_id: string;
  image_data_id: string;
  emojis?: string[];
}

// ------------------------------------------------------------------ Vonage results

export type VonageDeploymentState = Open<
  | 'INITIALIZING'
  | 'CREATING_CLUSTER'
  | 'CLUSTER_CREATED'
  | 'CODE_SENT'
  | 'WRONG_CODE'
  | 'CODE_VERIFIED'
  | 'FINALIZING'
  | 'READY'
  | 'ERROR'
  | 'DELETING'
  | 'DELETED'
>;
export interface VonageDeployment {
  deployment_id: string;
  waba_id?: NumericId;
  country_code?: string;
  number?: string;
  api_key?: string;
  current_state?: { title?: VonageDeploymentState; detail?: string };
}
export interface VonageDeploymentList {
  deployments: VonageDeployment[];
}
/** The answer to a delete (and to update_stickerpack): nothing. */
export type Empty = Record<string, never>;
export interface VonageOtpResent {
  message?: string;
  vname?: string;
  method?: string;
}
export interface VonageOtpVerified {
  deployment_id?: string;
  status?: string;
}
export interface VonageProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
  websites?: string[];
}
export interface VonageProfilePhoto {
  image_url?: string;
}
export interface VonageStickerpack {
  id?: string;
  publisher?: string;
  name?: string;
  ios_app_store_link?: string;
  android_app_store_link?: string;
}
export interface VonageStickerpacks {
  stickerpacks: VonageStickerpack[];
  meta?: unknown;
}
export interface VonageSticker {
  /** The index as Vonage writes it, a string. */
  index?: string;
  id?: string;
  emojis?: string[];
}
export interface VonageStickers {
  stickers: VonageSticker[];
  meta?: unknown;
}

// ------------------------------------------------------------------ 99digital params

export interface Digital99AccessTokenParams {
  client_id: string;
  client_secret: string;
}
export interface Digital99RegisterNumberParams {
  phone_number: PhoneNumberText;
  country?: string;
  method: DeliveryMethod;
  /** One letter or digit. */
  language: string;
  /** Up to 100 letters and digits. */
  comment?: string;
}
export interface Digital99VerifyNumberParams {
  phone_number: PhoneNumberText;
  country?: string;
  code: string;
}
export interface Digital99DeleteAccountParams {
  phone_number: PhoneNumberText;
  country?: string;
}

// ------------------------------------------------------------------ 99digital results

interface Digital99Outcome {
  /** `OK` (a `FAIL` is thrown as a WaonboardError). */
  status?: string;
  reason?: number;
}
export interface Digital99AccessToken extends Digital99Outcome {
  access_token: string;
  /** Unix seconds. */
  expiration_time?: number;
  token_type?: string;
}
export interface Digital99NumberOutcome extends Digital99Outcome {
  whatsapp?: string;
}
export interface Digital99VerifiedNumber extends Digital99Outcome {
  whatsapp?: string;
  /** Unix seconds. */
  expiration?: number;
}
export interface Digital99RegisteredNumber {
  whatsapp?: string;
  expiration?: number;
  onboarding_link?: string;
  comment?: string;
}
export interface Digital99RegisteredNumbers extends Digital99Outcome {
  list: Digital99RegisteredNumber[];
}
export interface Digital99WhatsappNumber {
  create_time?: number;
  whatsapp?: string;
  api_key?: string;
  display_name?: string;
  business_name?: string;
  is_online?: boolean;
  /** When online: the platform account it is connected to (a number, not a flag). */
  online_account?: number;
  /** When online: the platform inbox it is connected to (a number, not a flag). */
  online_inbox?: number;
  /** When online: the subdomain of the server that holds its inbox. */
  online_server?: string;
  coexistence?: boolean;
  conversations_this_month?: number;
  marketing_this_month?: number;
  service_this_month?: number;
  incoming_this_month?: number;
}
export interface Digital99WhatsappNumbers extends Digital99Outcome {
  total_whatsapp?: number;
  total_conversations_this_month?: number;
  total_marketing_this_month?: number;
  total_service_this_month?: number;
  total_incoming_this_month?: number;
  list: Digital99WhatsappNumber[];
}
export interface Digital99Account {
  create_time?: number;
  whatsapp?: string;
  coexistence?: boolean;
  business_name?: string;
  business_email?: string;
  business_id?: string;
  business_address?: string;
  landing_page?: string;
  onboarding_link?: string;
  display_name?: string;
  reference?: string;
  status?: string;
}
export interface Digital99Accounts extends Digital99Outcome {
  list: Digital99Account[];
}

// ------------------------------------------------------------------ operations

/** Every operation: its params and its result. */
export interface Operations {
  'meta.request_code': [MetaRequestCodeParams, MetaSuccess];
  'meta.verify_code': [MetaVerifyCodeParams, MetaSuccess];
  'meta.register': [MetaRegisterParams, MetaSuccess];
  'meta.deregister': [MetaDeregisterParams, MetaSuccess];
  'meta.set_two_step_pin': [MetaSetTwoStepPinParams, MetaSuccess];
  'meta.get_phone_number': [MetaGetPhoneNumberParams, MetaPhoneNumber];
  'meta.list_phone_numbers': [MetaListPhoneNumbersParams, MetaPhoneNumberList];
  'meta.add_phone_number': [MetaAddPhoneNumberParams, MetaAddedPhoneNumber];
  'meta.add_preverified_number': [MetaAddPreverifiedNumberParams, MetaAddedPhoneNumber];
  'meta.list_preverified_numbers': [MetaListPreverifiedNumbersParams, MetaPreverifiedNumberList];
  'meta.get_preverified_number': [MetaGetPreverifiedNumberParams, MetaPreverifiedNumberCheck];
  'meta.delete_preverified_number': [MetaPreverifiedNumberParams, MetaDeleted];
  'meta.request_preverified_code': [MetaRequestPreverifiedCodeParams, MetaSuccess];
  'meta.verify_preverified_code': [MetaVerifyPreverifiedCodeParams, MetaSuccess];
  'meta.list_preverified_partners': [MetaListPreverifiedPartnersParams, MetaPartnerList];
  'meta.share_preverified_number': [MetaSharePreverifiedNumberParams, MetaSuccess];
  'vonage.create_deployment': [VonageCreateDeploymentParams, VonageDeployment];
  'vonage.get_deployment': [VonageDeploymentParams, VonageDeployment];
  'vonage.list_deployments': [Record<string, never>, VonageDeploymentList];
  'vonage.delete_deployment': [VonageDeploymentParams, Empty];
  'vonage.resend_otp': [VonageResendOtpParams, VonageOtpResent];
  'vonage.verify_otp': [VonageVerifyOtpParams, VonageOtpVerified];
  'vonage.get_profile': [VonageDeploymentParams, VonageProfile];
  'vonage.update_profile': [VonageUpdateProfileParams, VonageProfile];
  'vonage.get_profile_photo': [VonageDeploymentParams, VonageProfilePhoto];
  'vonage.update_profile_photo': [VonageUpdateProfilePhotoParams, VonageProfilePhoto];
  'vonage.list_stickerpacks': [VonageListStickerpacksParams, VonageStickerpacks];
  'vonage.create_stickerpack': [VonageCreateStickerpackParams, VonageStickerpacks];
  'vonage.update_stickerpack': [VonageUpdateStickerpackParams, Empty];
  'vonage.delete_stickerpack': [VonageStickerpackParams, Empty];
  'vonage.list_stickers': [VonageStickerpackParams, VonageStickers];
  'vonage.get_sticker': [VonageStickerParams, VonageStickers];
  'vonage.create_sticker': [VonageCreateStickerParams, VonageStickers];
  'vonage.delete_sticker': [VonageStickerParams, Empty];
  'digital99.access_token': [Digital99AccessTokenParams, Digital99AccessToken];
  'digital99.register_number': [Digital99RegisterNumberParams, Digital99NumberOutcome];
  'digital99.verify_number': [Digital99VerifyNumberParams, Digital99VerifiedNumber];
  'digital99.list_registered_numbers': [Record<string, never>, Digital99RegisteredNumbers];
  'digital99.list_whatsapp_numbers': [Record<string, never>, Digital99WhatsappNumbers];
  'digital99.list_accounts': [Record<string, never>, Digital99Accounts];
  'digital99.delete_account': [Digital99DeleteAccountParams, Digital99NumberOutcome];
}
export type OperationId = keyof Operations;
export type ParamsOf<Op extends OperationId> = Operations[Op][0];
export type ResultOf<Op extends OperationId> = Operations[Op][1];
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
  /** Sends each request instead of `globalThis.fetch` (a proxy, a test double); it gets a `Request`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Called before each attempt leaves. A hook that throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Called when each attempt ends. A hook that throws is ignored. */
  onResponse?: (event: ResponseEvent) => void;
}

// ------------------------------------------------------------------ observing and aborting

/** One attempt at a request, before it leaves. Never a secret: no query, header or body. */
export interface RequestEvent {
  operation: OperationId;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The host, with its port when the URL names one. */
  host: string;
  /** The path, without the query. */
  path: string;
  /** 1 for the first attempt; reads are retried. */
  attempt: number;
}

/** How an attempt ended. */
export interface ResponseEvent extends RequestEvent {
  /** The HTTP status; undefined when no answer came. */
  status?: number;
  durationMs: number;
  /** The error kind the attempt ended in (`rate_limited`, `transport`, `aborted`, …), if any. */
  error?: ErrorKind;
}

/**
 * Options of any one call. `signal` aborts it: the call stops before its next request or
 * wait, a request in flight is abandoned, and the promise rejects with a WaonboardError of
 * kind `aborted` (named `AbortError`). An aborted write that may have reached the provider
 * is not `retryable`; a flow step keeps it `pending`.
 */
export interface CallOptions {
  signal?: AbortSignal;
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

/** Meta's WhatsApp Cloud API (Graph API phone-number endpoints). */
export class MetaClient extends Client<'meta'> {
  constructor(options: MetaClientOptions);
  requestCode(params: MetaRequestCodeParams, options?: CallOptions): Promise<MetaSuccess>;
  verifyCode(params: MetaVerifyCodeParams, options?: CallOptions): Promise<MetaSuccess>;
  /** Guarded: Meta blocks a number after 10 registrations in a week. */
  register(params: MetaRegisterParams, options?: CallOptions): Promise<MetaSuccess>;
  deregister(params: MetaDeregisterParams, options?: CallOptions): Promise<MetaSuccess>;
  setTwoStepPin(params: MetaSetTwoStepPinParams, options?: CallOptions): Promise<MetaSuccess>;
  getPhoneNumber(params: MetaGetPhoneNumberParams, options?: CallOptions): Promise<MetaPhoneNumber>;
  listPhoneNumbers(params: MetaListPhoneNumbersParams, options?: CallOptions): Promise<MetaPhoneNumberList>;
  addPhoneNumber(params: MetaAddPhoneNumberParams, options?: CallOptions): Promise<MetaAddedPhoneNumber>;
  /** Adds a number to the business's pool of pre-verified numbers. */
  addPreverifiedNumber(params: MetaAddPreverifiedNumberParams, options?: CallOptions): Promise<MetaAddedPhoneNumber>;
  listPreverifiedNumbers(params: MetaListPreverifiedNumbersParams, options?: CallOptions): Promise<MetaPreverifiedNumberList>;
  getPreverifiedNumber(params: MetaGetPreverifiedNumberParams, options?: CallOptions): Promise<MetaPreverifiedNumberCheck>;
  deletePreverifiedNumber(params: MetaPreverifiedNumberParams, options?: CallOptions): Promise<MetaDeleted>;
  requestPreverifiedCode(params: MetaRequestPreverifiedCodeParams, options?: CallOptions): Promise<MetaSuccess>;
  verifyPreverifiedCode(params: MetaVerifyPreverifiedCodeParams, options?: CallOptions): Promise<MetaSuccess>;
  listPreverifiedPartners(params: MetaListPreverifiedPartnersParams, options?: CallOptions): Promise<MetaPartnerList>;
  sharePreverifiedNumber(params: MetaSharePreverifiedNumberParams, options?: CallOptions): Promise<MetaSuccess>;
  /** Every number of the account, following the pages to the end. */
  listAllPhoneNumbers(params: MetaListPhoneNumbersParams, options?: CallOptions): Promise<MetaPhoneNumber[]>;
}

/** Vonage's WhatsApp Provisioning API. */
export class VonageClient extends Client<'vonage'> {
  constructor(options: VonageClientOptions);
  createDeployment(params: VonageCreateDeploymentParams, options?: CallOptions): Promise<VonageDeployment>;
  getDeployment(params: VonageDeploymentParams, options?: CallOptions): Promise<VonageDeployment>;
  listDeployments(params?: Record<string, never>, options?: CallOptions): Promise<VonageDeploymentList>;
  deleteDeployment(params: VonageDeploymentParams, options?: CallOptions): Promise<Empty>;
  resendOtp(params: VonageResendOtpParams, options?: CallOptions): Promise<VonageOtpResent>;
  verifyOtp(params: VonageVerifyOtpParams, options?: CallOptions): Promise<VonageOtpVerified>;
  getProfile(params: VonageDeploymentParams, options?: CallOptions): Promise<VonageProfile>;
  updateProfile(params: VonageUpdateProfileParams, options?: CallOptions): Promise<VonageProfile>;
  getProfilePhoto(params: VonageDeploymentParams, options?: CallOptions): Promise<VonageProfilePhoto>;
  updateProfilePhoto(params: VonageUpdateProfilePhotoParams, options?: CallOptions): Promise<VonageProfilePhoto>;
  listStickerpacks(params: VonageListStickerpacksParams, options?: CallOptions): Promise<VonageStickerpacks>;
  createStickerpack(params: VonageCreateStickerpackParams, options?: CallOptions): Promise<VonageStickerpacks>;
  updateStickerpack(params: VonageUpdateStickerpackParams, options?: CallOptions): Promise<Empty>;
  deleteStickerpack(params: VonageStickerpackParams, options?: CallOptions): Promise<Empty>;
  listStickers(params: VonageStickerpackParams, options?: CallOptions): Promise<VonageStickers>;
  getSticker(params: VonageStickerParams, options?: CallOptions): Promise<VonageStickers>;
  createSticker(params: VonageCreateStickerParams, options?: CallOptions): Promise<VonageStickers>;
  deleteSticker(params: VonageStickerParams, options?: CallOptions): Promise<Empty>;
  /**
   * Polls a deployment until its state is one of `targets` (default `READY`). `ERROR`
   * ends the wait with a `provider` error, the poll deadline with a `timeout` error.
   */
  waitForState(
    deploymentId: string,
    targets?: VonageDeploymentState | VonageDeploymentState[],
    options?: CallOptions,
  ): Promise<VonageDeployment>;
}

/** The 99digital Partners API. */
export class Digital99Client extends Client<'digital99'> {
  constructor(options: Digital99ClientOptions);
  accessToken(params: Digital99AccessTokenParams, options?: CallOptions): Promise<Digital99AccessToken>;
  /** Sends the code; guarded: 99digital blocks a number after 3 code requests in an hour. */
  registerNumber(params: Digital99RegisterNumberParams, options?: CallOptions): Promise<Digital99NumberOutcome>;
  verifyNumber(params: Digital99VerifyNumberParams, options?: CallOptions): Promise<Digital99VerifiedNumber>;
  listRegisteredNumbers(params?: Record<string, never>, options?: CallOptions): Promise<Digital99RegisteredNumbers>;
  listWhatsappNumbers(params?: Record<string, never>, options?: CallOptions): Promise<Digital99WhatsappNumbers>;
  listAccounts(params?: Record<string, never>, options?: CallOptions): Promise<Digital99Accounts>;
  deleteAccount(params: Digital99DeleteAccountParams, options?: CallOptions): Promise<Digital99NumberOutcome>;
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
