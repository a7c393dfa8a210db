// `waonboard/sandbox`'s declarations, checked with `tsc --noEmit` like types.ts; the lines
// marked to expect an error must fail to type-check.
import { MetaClient } from 'waonboard';
import { startSandbox, type Sandbox } from 'waonboard/sandbox';

export async function tryIt(): Promise<string | null> {
  const sandbox: Sandbox = await startSandbox({ port: 0, seed: 7, fixedOtp: '123456' });
  const meta = new MetaClient({ accessToken: sandbox.env()['WAONBOARD_META_TOKEN'] ?? '', baseUrl: sandbox.baseUrl('meta') });
  await meta.requestCode({ phone_number_id: '106540352242922', code_method: 'sms', language: 'en_US' });
  // @ts-expect-error: not a provider
  sandbox.baseUrl('twilio');
  // @ts-expect-error: fixedOtp is a string
  await startSandbox({ fixedOtp: 123456 });
  const code = await sandbox.otp('meta', '106540352242922');
  await sandbox.close();
  return code;
}
