// The JS surface of the built package: names, shapes and errors, without a network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as waonboard from 'waonboard';
import {
  init,
  prepare,
  parse,
  MetaClient,
  VonageClient,
  Digital99Client,
  Onboarding,
  WaonboardError,
} from 'waonboard';

const config = { access_token: 'EAAG-test-token' };

test('the Node entry point loads the module on import; init() is a harmless no-op', async () => {
  await init();
  assert.equal(prepare('meta.deregister', { phone_number_id: '1' }, config).method, 'POST');
});

test('the package exports exactly its API', () => {
  assert.deepEqual(Object.keys(waonboard).sort(), [
    'Digital99Client',
    'MetaClient',
    'Onboarding',
    'PreverifiedVerification',
    'VonageClient',
    'WaonboardError',
    'init',
    'initSync',
    'parse',
    'prepare',
  ]);
});

test('every operation of the contract has its camelCase method on its provider client', () => {
  const ops = {
    meta: [MetaClient, 'request_code verify_code register deregister set_two_step_pin get_phone_number list_phone_numbers add_phone_number add_preverified_number list_preverified_numbers get_preverified_number delete_preverified_number request_preverified_code verify_preverified_code list_preverified_partners share_preverified_number'],
    vonage: [
      VonageClient,
      'create_deployment get_deployment list_deployments delete_deployment resend_otp verify_otp get_profile update_profile get_profile_photo update_profile_photo list_stickerpacks create_stickerpack update_stickerpack delete_stickerpack list_stickers get_sticker create_sticker delete_sticker',
    ],
    digital99: [
      Digital99Client,
      'access_token register_number verify_number list_registered_numbers list_whatsapp_numbers list_accounts delete_account',
    ],
  };
  let count = 0;
  for (const [, [cls, names]] of Object.entries(ops)) {
    for (const name of names.split(' ')) {
      const method = name.replace(/_(.)/g, (_, c) => c.toUpperCase());
      assert.equal(typeof cls.prototype[method], 'function', `${cls.name}.${method}`);
      count++;
    }
  }
  assert.equal(count, 41);
  assert.equal(typeof MetaClient.prototype.listAllPhoneNumbers, 'function');
  assert.equal(typeof VonageClient.prototype.waitForState, 'function');
  assert.equal(MetaClient.prototype.createDeployment, undefined, 'no other provider’s methods');
});

test('every method the packed declarations give a client exists on it at run time', () => {
  const declarations = readFileSync(new URL('./node_modules/waonboard/types/operations.d.ts', import.meta.url), 'utf8');
  const clients = { MetaMethods: MetaClient, VonageMethods: VonageClient, Digital99Methods: Digital99Client };
  let count = 0;
  for (const [, name, body] of declarations.matchAll(/^export interface (\w+Methods) \{\n([\s\S]*?)^\}/gm)) {
    for (const [, method] of body.matchAll(/^ {2}(\w+)\(params/gm)) {
      assert.equal(typeof clients[name].prototype[method], 'function', `${clients[name].name}.${method}`);
      count++;
    }
  }
  assert.equal(count, 41);
});

test('prepare builds a request fetch can send as is, keeping IDs exact', () => {
  const big = 9007199254740993n; // a BigInt becomes its exact decimal text
  const req = prepare('meta.register', { phone_number_id: big, pin: '012345' }, config);
  assert.deepEqual(req, {
    method: 'POST',
    url: 'https://graph.facebook.com/v23.0/9007199254740993/register',
    headers: [
      ['accept', 'application/json'],
      ['authorization', 'Bearer EAAG-test-token'],
      ['content-type', 'application/json'],
    ],
    body: '{"messaging_product":"whatsapp","pin":"012345"}',
  });
  assert.equal(prepare('vonage.list_deployments', undefined, config).body, null);
  const init = new Request(req.url, req); // the shape fetch takes
  assert.equal(init.headers.get('authorization'), 'Bearer EAAG-test-token');
});

test('parse takes headers and bodies in every usual form', () => {
  const body = '{"error":{"code":4,"message":"Too many calls"}}';
  const forms = [
    [{ 'Retry-After': '7' }, body],
    [[['retry-after', '7']], new TextEncoder().encode(body)],
    [new Headers({ 'retry-after': '7' }), new TextEncoder().encode(body).buffer],
  ];
  for (const [headers, b] of forms) {
    assert.throws(
      () => parse('meta.get_phone_number', 400, headers, b),
      (err) => {
        assert.ok(err instanceof WaonboardError);
        assert.deepEqual([err.kind, err.retryable, err.retryAfterMs, err.providerCode], ['rate_limited', true, 7000, '4']);
        return true;
      },
    );
  }
  const number = parse('meta.get_phone_number', 200, null, '{"id":"18014398509481985","surprise":1}');
  assert.deepEqual(number, { id: '18014398509481985' }, 'unknown fields are dropped, the id stays exact');
  assert.throws(() => parse('meta.get_phone_number', 200, {}, 42), { kind: 'validation', field: 'body' });
  assert.throws(() => parse('meta.get_phone_number', 70000, {}, '{}'), { kind: 'validation', field: 'status' });
});

test('errors are WaonboardErrors with the contract’s fields, camelCased', () => {
  let caught;
  try {
    prepare('vonage.verify_otp', { deployment_id: 'dep-1', code: '98 76 5' }, config);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof WaonboardError && caught instanceof Error);
  assert.equal(caught.name, 'WaonboardError');
  assert.equal(caught.kind, 'validation');
  assert.equal(caught.field, 'code');
  assert.equal(caught.retryable, false);
  assert.equal(caught.providerCode, undefined);
  assert.equal(caught.operation, 'vonage.verify_otp');
  assert.match(caught.stack, /WaonboardError/);
  assert.deepEqual(JSON.parse(JSON.stringify(caught)), {
    name: 'WaonboardError',
    kind: 'validation',
    message: caught.message,
    field: 'code',
    retryable: false,
    operation: 'vonage.verify_otp',
  });
  const own = new WaonboardError('made by hand', { kind: 'auth', httpStatus: 401 });
  assert.deepEqual([own.message, own.kind, own.httpStatus, own.retryable], ['made by hand', 'auth', 401, false]);
  assert.equal('cause' in own, false, 'no cause given, none set');
  const underlying = new TypeError('fetch failed');
  assert.equal(new WaonboardError('lost', { kind: 'transport', cause: underlying }).cause, underlying);
  assert.throws(() => prepare('meta.nope', {}, config), { kind: 'validation', field: 'op' });
  assert.throws(() => prepare('meta.deregister', { phone_number_id: '1' }, {}), { kind: 'validation', field: 'access_token' });
  const circular = {};
  circular.self = circular;
  assert.throws(() => prepare('meta.deregister', circular, config), { kind: 'validation', field: 'params' });
});

test('Meta errors carry fbtrace_id and error_subcode as fields', () => {
  // Meta's OpenAPI example registerWhatsAppBusinessPhoneNumber 401 (code 190, subcode 463).
  const body = {
    error: {
      message: 'Invalid OAuth access token', type: 'OAuthException', code: 190, error_subcode: 463,
      fbtrace_id: 'AXsgnV2Cm3ZMGF3dF_cfYIn',
    },
  };
  let caught;
  try {
    parse('meta.register', 401, {}, JSON.stringify(body));
  } catch (e) {
    caught = e;
  }
  assert.deepEqual(
    [caught.kind, caught.providerCode, caught.errorSubcode, caught.fbtraceId],
    ['auth', '190', 463, 'AXsgnV2Cm3ZMGF3dF_cfYIn'],
  );
  assert.equal(caught.cause, undefined);
  const json = JSON.parse(JSON.stringify(caught));
  assert.deepEqual([json.fbtraceId, json.errorSubcode], ['AXsgnV2Cm3ZMGF3dF_cfYIn', 463]);
});

test('client options are checked when the client is made, named as written', () => {
  const base = { accessToken: 't' };
  assert.throws(() => new MetaClient({ ...base, timeoutMs: 0 }), { kind: 'validation', field: 'timeoutMs' });
  assert.throws(() => new MetaClient({ ...base, retry: { maxAttempts: 'many' } }), {
    kind: 'validation',
    field: 'retry.maxAttempts',
  });
  assert.throws(() => new MetaClient({ ...base, clientId: 'x', clientSecret: 'y' }), { field: 'clientId' });
  assert.throws(() => new Digital99Client({ clientId: 'only-the-id' }), { field: 'clientId' });
  assert.throws(() => new MetaClient({ ...base, guardState: { sent: 5 } }), { field: 'guardState' });
  assert.throws(() => new MetaClient({ ...base, guardLimits: { metaRegistrations: { max: -1 } } }), {
    field: 'guardLimits.metaRegistrations.max',
  });
  assert.deepEqual(new MetaClient(base).guardState(), { sent: {} });
  assert.throws(() => new MetaClient({ ...base, timeoutMs: NaN }), { kind: 'validation', field: 'timeoutMs' });
  assert.throws(() => new MetaClient({ ...base, poll: { timeoutMs: Infinity } }), { field: 'poll.timeoutMs' });
  assert.throws(() => new MetaClient({ ...base, retry: { baseDelayMs: -5 } }), { field: 'retry.baseDelayMs' });
});

test('an unknown option is refused with the one meant, and a client without credentials at once', () => {
  const thrown = (make) => {
    try {
      make();
    } catch (e) {
      return e;
    }
    assert.fail('no error');
  };
  const typo = thrown(() => new MetaClient({ accessToken: 't', timeout: 5000 }));
  assert.deepEqual([typo.kind, typo.field], ['validation', 'timeout']);
  assert.match(typo.message, /did you mean timeoutMs\?/);
  const nested = thrown(() => new VonageClient({ accessToken: 't', retry: { maxAttempt: 2 } }));
  assert.deepEqual([nested.field, /did you mean maxAttempts\?/.test(nested.message)], ['retry.maxAttempt', true]);
  assert.equal(thrown(() => new MetaClient({ accessToken: 't', colour: 'red' })).message.includes('did you mean'), false);
  for (const make of [() => new MetaClient({}), () => new VonageClient({ accessToken: '' }), () => new MetaClient()]) {
    const e = thrown(make);
    assert.deepEqual([e.kind, e.field], ['validation', 'accessToken']);
  }
  assert.equal(thrown(() => new Digital99Client({ baseUrl: 'http://127.0.0.1:1' })).field, 'accessToken');
  assert.ok(new Digital99Client({ accessToken: 'ready-token' }));
});

test('a missing operation id or a NaN parameter is a WaonboardError naming it', () => {
  for (const op of [undefined, null, 42, '']) {
    assert.throws(() => prepare(op, {}, config), (e) => e instanceof WaonboardError && e.field === 'op');
    assert.throws(() => parse(op, 200, {}, '{}'), (e) => e instanceof WaonboardError && e.field === 'op');
  }
  const params = { waba_id: '102290129340398', limit: NaN };
  assert.throws(() => prepare('meta.list_phone_numbers', params, config), { kind: 'validation', field: 'limit' });
  const nested = { deployment_id: 'd1', about: 'x', websites: ['https://a.example', Infinity] };
  assert.throws(() => prepare('vonage.update_profile', nested, config), { kind: 'validation', field: 'websites[1]' });
});

test('onboardings are plain data that round-trip through JSON', async () => {
  const flow = Onboarding.vonage({
    phone_number: '+44 7700 900000',
    vname_certificate: 'AbCd',
    method: 'Voice',
    waba_id: '123456789123',
  });
  assert.equal(flow.needs, 'advance');
  const state = flow.toJSON();
  assert.deepEqual(state, {
    provider: 'vonage',
    phone_number: '+44 7700 900000',
    vname_certificate: 'AbCd',
    method: 'voice',
    waba_id: '123456789123',
    step: 'create_deployment',
  });
  const back = Onboarding.fromJSON(JSON.stringify(flow));
  assert.deepEqual(back.toJSON(), state);
  assert.deepEqual(Onboarding.fromJSON({ ...state, step: 'verify_code', deployment_id: 'd-1' }).needs, 'code');
  assert.throws(() => Onboarding.fromJSON('{"provider":"nope"}'), { kind: 'validation', field: 'state' });
  assert.throws(() => Onboarding.meta({ phone_number_id: '1', code_method: 'fax', language: 'en_US' }), {
    field: 'code_method',
  });
  assert.throws(() => Onboarding.digital99({ phone_number: '+972501234567', method: 'sms', language: '1', colour: 'x' }), {
    field: 'colour',
  });
  assert.throws(() => Onboarding.digital99({ method: 'sms', language: '1' }), { field: 'phone_number' });
  await assert.rejects(flow.advance(new MetaClient({ accessToken: 't' })), { kind: 'validation', field: 'client' });
  await assert.rejects(flow.advance({}), { kind: 'validation', field: 'client' });
  const waiting = Onboarding.fromJSON({ ...state, step: 'verify_code', deployment_id: 'd-1' });
  await assert.rejects(waiting.advance(new VonageClient({ accessToken: 't' }), { code: 123456 }), { field: 'code' });
  await assert.rejects(waiting.advance(new VonageClient({ accessToken: 't' })), { kind: 'validation', field: 'code' });
  assert.equal(waiting.needs, 'code', 'a failed step leaves the flow where it was');
  const metaFlow = Onboarding.meta({ phone_number_id: '1', code_method: 'sms', language: 'en_US' });
  await assert.rejects(metaFlow.restart(new MetaClient({ accessToken: 't' })), { kind: 'validation', field: 'state' });
});
