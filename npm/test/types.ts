// A typed usage example, checked with `tsc --noEmit` against the built package's
// index.d.ts. The @ts-expect-error lines must fail to type-check: they prove the types
// catch mistakes, not just accept everything.
import {
  init,
  prepare,
  parse,
  MetaClient,
  VonageClient,
  Digital99Client,
  Onboarding,
  PreverifiedVerification,
  WaonboardError,
  type ErrorKind,
  type HttpRequest,
  type MetaPhoneNumber,
  type Needs,
  type OnboardingState,
  type GuardState,
  type ResultOf,
  type Deployment,
  type RequestEvent,
  type ResponseEvent,
} from 'waonboard';

await init();

// sans-IO
const request: HttpRequest = prepare(
  'meta.request_code',
  { phone_number_id: '106540352242922', code_method: 'sms', language: 'en_US' },
  { access_token: 'EAAG…' },
);
const sent: Response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
const body = new Uint8Array(await sent.arrayBuffer());
const ok: { success: boolean } = parse('meta.request_code', sent.status, sent.headers, body);
const number: MetaPhoneNumber = parse('meta.get_phone_number', 200, { 'content-type': 'application/json' }, '{"id":"1"}');
const id: string = number.id;
// @ts-expect-error: required params are required
prepare('meta.request_code', { phone_number_id: '1', code_method: 'sms' }, {});
// @ts-expect-error: there is no such operation
prepare('meta.request_codes', {}, {});
// @ts-expect-error: IDs are strings
prepare('meta.deregister', { phone_number_id: 106540352242922 }, {});
// @ts-expect-error: params keep the contract's snake_case
prepare('meta.deregister', { phoneNumberId: '1' }, {});

// clients
const meta = new MetaClient({ accessToken: 'EAAG…', baseUrl: 'http://127.0.0.1:8787/meta', timeoutMs: 10_000 });
const registered: boolean = (await meta.register({ phone_number_id: '1', pin: '123456' })).success;
// Migration from the On-Premises API (Meta's spec): the backup and the tier.
await meta.register({ phone_number_id: '1', pin: '123456', backup: { password: 'pw', data: 'b64' }, tier: 'PROD' });
// @ts-expect-error: a backup has both parts
await meta.register({ phone_number_id: '1', pin: '123456', backup: { password: 'pw' } });
// @ts-expect-error: tier is PROD or SANDBOX
await meta.register({ phone_number_id: '1', pin: '123456', tier: 'LIVE' });
await meta.addPhoneNumber({
  waba_id: '102290129340398',
  phone_number: '+1 631-555-1111',
  verified_name: 'Lucky Shrub',
  migrate_phone_number: true,
  preverified_id: '1234567890',
});
// @ts-expect-error: migrate_phone_number is a boolean
await meta.addPhoneNumber({ waba_id: '1', phone_number: '+1 631-555-1111', verified_name: 'Lucky', migrate_phone_number: 'yes' });
const all: MetaPhoneNumber[] = await meta.listAllPhoneNumbers({ waba_id: '102290129340398', limit: 50 });
const status: string | undefined = all[0]?.code_verification_status;
// @ts-expect-error: a Meta client has no Vonage methods
void meta.createDeployment;
// @ts-expect-error: call() takes this provider's operations only
void meta.call('vonage.list_deployments', {});

const vonage = new VonageClient({ accessToken: 'jwt', poll: { initialIntervalMs: 500 }, retry: { maxAttempts: 3 } });
const deployment = await vonage.createDeployment({
  phone_number: '+44 7700 900000',
  vname_certificate: 'AbCd',
  method: 'voice',
  waba_id: '123456789123',
});
const ready = await vonage.waitForState(deployment.deployment_id, ['READY']);
const named: Deployment = await vonage.waitForState({ deployment_id: deployment.deployment_id, states: 'READY' });
void named;
// @ts-expect-error: the deployment ID is required
await vonage.waitForState({ states: 'READY' });
const title: string | undefined = ready.current_state?.title;
const packs: ResultOf<'vonage.list_stickerpacks'> = await vonage.listStickerpacks({ deployment_id: 'd' });
const firstPack: string | undefined = packs.stickerpacks[0]?.id;
await vonage.getSticker({ deployment_id: 'd', stickerpack_id: 'p', sticker_index: 0 });
// @ts-expect-error: results keep snake_case
void ready.deploymentId;

const saved: GuardState | undefined = undefined;
const d99 = new Digital99Client({
  clientId: 'id',
  clientSecret: 'secret',
  guardLimits: { digital99CodeRequests: { max: 2 } },
  ...(saved ? { guardState: saved } : {}),
});
const accounts = await d99.listAccounts();
const online: boolean | undefined = (await d99.listWhatsappNumbers()).list[0]?.is_online;
// The seed's getWhatsApp example: an account number, an inbox number, a server subdomain.
const whatsapp = (await d99.listWhatsappNumbers()).list[0];
const inbox: number | undefined = whatsapp?.online_inbox;
const account: number | undefined = whatsapp?.online_account;
const server: string | undefined = whatsapp?.online_server;
// @ts-expect-error: online_inbox is a number, not a flag
const inboxFlag: boolean | undefined = whatsapp?.online_inbox;
const created: number | undefined = accounts.list[0]?.create_time;
const state: GuardState = d99.guardState();

// onboarding
const flow = Onboarding.digital99({ phone_number: '+972 50 123 4567', method: 'sms', language: '1' });
let needs: Needs = flow.needs;
while (needs !== 'done') {
  needs = await flow.advance(d99, needs === 'code' ? { code: '123456' } : {});
  const snapshot: OnboardingState = flow.toJSON();
  localStorage.setItem('onboarding', JSON.stringify(snapshot));
}
const resumed = Onboarding.fromJSON(localStorage.getItem('onboarding') ?? '');
await resumed.resend(d99);
// @ts-expect-error: codes are strings (leading zeros)
await flow.advance(d99, { code: 123456 });

// pre-verified numbers
const pool = await meta.listPreverifiedNumbers({ business_id: '506914307656634', verification_status: 'VERIFIED' });
const prefix: number | undefined = pool.data[0]?.country_prefix;
const { id: preverifiedId } = await meta.addPreverifiedNumber({ business_id: '506914307656634', phone_number: '+1 650 555 0100' });
const verification = PreverifiedVerification.start({ preverified_id: preverifiedId, code_method: 'sms', language: 'en_US' });
await verification.advance(meta);
await verification.advance(meta, { code: '123456' });
// @ts-expect-error: a pre-verified number is verified with a MetaClient
await verification.advance(d99);

// hooks, an injected fetch, a call's signal
const events: string[] = [];
const watched = new MetaClient({
  accessToken: 'EAAG…',
  fetch: (url, init) => fetch(url, init),
  onRequest: (e: RequestEvent) => events.push(`${e.operation} ${e.method} ${e.host}${e.path} #${e.attempt}`),
  onResponse: (e: ResponseEvent) => {
    const ended: [number | undefined, ErrorKind | undefined, number] = [e.status, e.error, e.durationMs];
    events.push(String(ended));
  },
});
const signal = AbortSignal.timeout(10_000);
await watched.getPhoneNumber({ phone_number_id: '106540352242922' }, { signal });
await watched.call('meta.get_phone_number', { phone_number_id: '106540352242922' }, { signal });
await watched.listAllPhoneNumbers({ waba_id: '102290129340398' }, { signal });
await vonage.waitForState('d1', 'READY', { signal });
await vonage.waitForState({ deployment_id: 'd1' }, { signal });
await flow.advance(d99, {}, { signal, checkpoint: (saved: OnboardingState) => localStorage.setItem('flow', JSON.stringify(saved)) });
await Onboarding.fromJSON('{}').restart(vonage, { signal });
await verification.resend(meta, { signal });
// @ts-expect-error: a signal is an AbortSignal
await watched.getPhoneNumber({ phone_number_id: '1' }, { signal: true });
// @ts-expect-error: the hooks are functions of an event
new MetaClient({ accessToken: 'x', onResponse: 'log' });

// errors
try {
  await meta.verifyCode({ phone_number_id: '1', code: '12345' });
} catch (e) {
  if (e instanceof WaonboardError) {
    const kind: ErrorKind = e.kind;
    const detail: [string | undefined, string | undefined, number | undefined, boolean, number | undefined] = [
      e.field,
      e.providerCode,
      e.httpStatus,
      e.retryable,
      e.retryAfterMs,
    ];
    // @ts-expect-error: kinds are a closed list
    const wrong: ErrorKind = 'oops';
    console.log(kind, detail, wrong);
  }
}

console.log(ok, id, registered, status, title, firstPack, online, created, state, prefix, inbox, account, server, inboxFlag);

// A token read from the environment (`process.env.META_TOKEN`, string | undefined) is taken
// as it is; a missing one is refused when the client is made.
declare const tokenFromEnvironment: string | undefined;
export const fromEnvironment = new MetaClient({ accessToken: tokenFromEnvironment });
// @ts-expect-error an option the client does not know
export const typo = new MetaClient({ accessToken: 't', timeout: 5000 });
