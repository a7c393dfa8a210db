// A typed usage example of `waonboard/forms`, checked with `tsc --noEmit` against its
// forms.d.ts. The @ts-expect-error lines must fail to type-check.
import { init, validate, prepare, parse, WaonboardError, type HttpRequest, type ResultOf } from 'waonboard/forms';

await init();

function fieldError(e: unknown): string | undefined {
  return e instanceof WaonboardError && e.kind === 'validation' ? e.field : undefined;
}

try {
  validate('digital99.register_number', { phone_number: '+972 50 123 4567', method: 'sms', language: '1' });
} catch (e) {
  console.log(fieldError(e));
}
const request: HttpRequest = prepare('meta.deregister', { phone_number_id: '1' }, { access_token: 't' });
const deployment: ResultOf<'vonage.create_deployment'> = parse('vonage.create_deployment', 202, null, '{}');
console.log(request.url, deployment.deployment_id);

// @ts-expect-error: a Vonage deployment needs its certificate
validate('vonage.create_deployment', { phone_number: '+44 7700 900000', method: 'sms', waba_id: '1' });
// @ts-expect-error: no client in the forms entry
import { MetaClient } from 'waonboard/forms';
console.log(MetaClient);
