// Every operation through its typed client method, checked with `tsc --noEmit` against the
// packed package's declarations. `everyOperation` is keyed by OperationId, so an operation
// without a call here fails to compile; each call passes the params the contract documents
// and reads a result field at the type the provider's docs give it. The @ts-expect-error
// lines must fail to type-check: wrong params are caught before anything runs.
import {
  MetaClient,
  VonageClient,
  Digital99Client,
  type OperationId,
  type ResultOf,
  type PhoneNumberInfo,
  type DeliveryMethod,
  type VonageDeploymentState,
  type MetaPhoneNumber,
  type VonageDeploymentParams,
} from 'waonboard';

const meta = new MetaClient({ accessToken: 'EAAG…' });
const vonage = new VonageClient({ accessToken: 'jwt' });
const d99 = new Digital99Client({ accessToken: 'token' });

const phone_number_id = '106540352242922';
const preverified_id = '1234567890';
const deployment_id = '8f0c4e6a-6a4f-4d8e-9d55-6c1f4b3f0c11';
const stickerpack_id = 'pack-1';

export const everyOperation: { [Op in OperationId]: () => Promise<ResultOf<Op>> } = {
  'meta.request_code': async () => {
    const r = await meta.requestCode({ phone_number_id, code_method: 'sms', language: 'en_US' });
    r.success satisfies boolean;
    return r;
  },
  'meta.verify_code': async () => {
    const r = await meta.verifyCode({ phone_number_id, code: '123-456' });
    r.success satisfies boolean;
    return r;
  },
  'meta.register': async () => {
    const r = await meta.register({ phone_number_id, pin: '123456', data_localization_region: 'DE', tier: 'sandbox' });
    r.success satisfies boolean;
    return r;
  },
  'meta.deregister': async () => {
    const r = await meta.deregister({ phone_number_id });
    r.success satisfies boolean;
    return r;
  },
  'meta.set_two_step_pin': async () => {
    const r = await meta.setTwoStepPin({ phone_number_id, pin: '654321' });
    r.success satisfies boolean;
    return r;
  },
  'meta.get_phone_number': async () => {
    const r = await meta.getPhoneNumber({ phone_number_id, fields: ['quality_rating', 'throughput'] });
    r.id satisfies string;
    r.throughput?.level satisfies string | undefined;
    return r;
  },
  'meta.list_phone_numbers': async () => {
    const r = await meta.listPhoneNumbers({
      waba_id: '102290129340398',
      filtering: [{ field: 'account_mode', operator: 'EQUAL', value: 'SANDBOX' }],
      sort: 'last_onboarded_time.desc',
      limit: '50',
      after: 'QVFIU…',
    });
    r.data[0]?.display_phone_number satisfies string | undefined;
    r.paging?.cursors?.after satisfies string | undefined;
    return r;
  },
  'meta.add_phone_number': async () => {
    const r = await meta.addPhoneNumber({
      waba_id: '102290129340398',
      phone_number: '(631) 555-1111',
      country: 'US',
      verified_name: 'Lucky Shrub',
    });
    r.id satisfies string;
    return r;
  },
  'meta.add_preverified_number': async () => {
    const r = await meta.addPreverifiedNumber({ business_id: '506914307656634', phone_number: '+1 650 555 0100' });
    r.id satisfies string;
    return r;
  },
  'meta.list_preverified_numbers': async () => {
    const r = await meta.listPreverifiedNumbers({
      business_id: '506914307656634',
      limit: 25,
      verification_status: 'verified',
      availability_status: 'AVAILABLE',
      country_code: 'US',
    });
    r.data[0]?.country_prefix satisfies number | undefined;
    r.data[0]?.supported_features satisfies string[] | undefined;
    return r;
  },
  'meta.get_preverified_number': async () => {
    const r = await meta.getPreverifiedNumber({ preverified_id, fields: ['is_input_id_valid'] });
    r.is_input_id_valid satisfies boolean | undefined;
    return r;
  },
  'meta.delete_preverified_number': async () => {
    const r = await meta.deletePreverifiedNumber({ preverified_id });
    r.success satisfies boolean | undefined;
    return r;
  },
  'meta.request_preverified_code': async () => {
    const r = await meta.requestPreverifiedCode({ preverified_id, code_method: 'VOICE', language: 'en-us' });
    r.success satisfies boolean;
    return r;
  },
  'meta.verify_preverified_code': async () => {
    const r = await meta.verifyPreverifiedCode({ preverified_id, code: '123456' });
    r.success satisfies boolean;
    return r;
  },
  'meta.list_preverified_partners': async () => {
    const r = await meta.listPreverifiedPartners({ preverified_id, fields: ['name'], before: 'QVFI…' });
    r.data[0]?.timezone_id satisfies number | undefined;
    return r;
  },
  'meta.share_preverified_number': async () => {
    const r = await meta.sharePreverifiedNumber({
      business_id: '506914307656634',
      preverified_id,
      partner_business_id: '1029384756',
    });
    r.success satisfies boolean;
    return r;
  },
  'vonage.create_deployment': async () => {
    const r = await vonage.createDeployment({
      phone_number: '+44 7700 900000',
      vname_certificate: 'CmQKIAjG…',
      method: 'sms',
      waba_id: '123456789123',
      pin: '123456',
    });
    r.deployment_id satisfies string;
    return r;
  },
  'vonage.get_deployment': async () => {
    const r = await vonage.getDeployment({ deployment_id });
    r.current_state?.detail satisfies string | undefined;
    return r;
  },
  'vonage.list_deployments': async () => {
    const r = await vonage.listDeployments();
    r.deployments[0]?.waba_id satisfies string | undefined;
    return r;
  },
  'vonage.delete_deployment': async () => {
    const r = await vonage.deleteDeployment({ deployment_id });
    r satisfies Record<string, never>;
    return r;
  },
  'vonage.resend_otp': async () => {
    const r = await vonage.resendOtp({ deployment_id, method: 'voice' });
    r.message satisfies string | undefined;
    return r;
  },
  'vonage.verify_otp': async () => {
    const r = await vonage.verifyOtp({ deployment_id, code: '123 456' });
    r.status satisfies string | undefined;
    return r;
  },
  'vonage.get_profile': async () => {
    const r = await vonage.getProfile({ deployment_id });
    r.websites satisfies string[] | undefined;
    return r;
  },
  'vonage.update_profile': async () => {
    const r = await vonage.updateProfile({
      deployment_id,
      about: 'Fresh plants, delivered',
      email: 'hello@example.com',
      vertical: 'food and grocery',
      websites: ['https://example.com'],
    });
    r.vertical satisfies string | undefined;
    return r;
  },
  'vonage.get_profile_photo': async () => {
    const r = await vonage.getProfilePhoto({ deployment_id });
    r.image_url satisfies string | undefined;
    return r;
  },
  'vonage.update_profile_photo': async () => {
    const r = await vonage.updateProfilePhoto({ deployment_id, image_url: 'https://example.com/logo.png' });
    r.image_url satisfies string | undefined;
    return r;
  },
  'vonage.list_stickerpacks': async () => {
    const r = await vonage.listStickerpacks({ deployment_id, namespace: 'whatsapp' });
    r.stickerpacks[0]?.publisher satisfies string | undefined;
    r.meta satisfies unknown;
    return r;
  },
  'vonage.create_stickerpack': async () => {
    const r = await vonage.createStickerpack({
      deployment_id,
      publisher: 'Lucky Shrub',
      name: 'Plants',
      ios_app_store_link: 'https://itunes.apple.com/app/id123456789',
      android_app_store_link: 'https://play.google.com/store/apps/details?id=com.example.plants',
    });
    r.stickerpacks[0]?.id satisfies string | undefined;
    return r;
  },
  'vonage.update_stickerpack': async () => {
    const r = await vonage.updateStickerpack({ deployment_id, stickerpack_id, name: 'More plants' });
    r satisfies Record<string, never>;
    return r;
  },
  'vonage.delete_stickerpack': async () => {
    const r = await vonage.deleteStickerpack({ deployment_id, stickerpack_id });
    r satisfies Record<string, never>;
    return r;
  },
  'vonage.list_stickers': async () => {
    const r = await vonage.listStickers({ deployment_id, stickerpack_id });
    r.stickers[0]?.emojis satisfies string[] | undefined;
    return r;
  },
  'vonage.get_sticker': async () => {
    const r = await vonage.getSticker({ deployment_id, stickerpack_id, sticker_index: 0 });
    // Vonage writes the index as a string.
    r.stickers[0]?.index satisfies string | undefined;
    return r;
  },
  'vonage.create_sticker': async () => {
    const r = await vonage.createSticker({ deployment_id, stickerpack_id, image_data_id: 'img-1', emojis: ['🌱'] });
    r.stickers[0]?.id satisfies string | undefined;
    return r;
  },
  'vonage.delete_sticker': async () => {
    const r = await vonage.deleteSticker({ deployment_id, stickerpack_id, sticker_index: '3' });
    r satisfies Record<string, never>;
    return r;
  },
  'digital99.access_token': async () => {
    const r = await d99.accessToken({ client_id: 'partner', client_secret: 's3cret' });
    r.access_token satisfies string;
    r.expiration_time satisfies number | undefined;
    return r;
  },
  'digital99.register_number': async () => {
    const r = await d99.registerNumber({
      phone_number: '050-123-4567',
      country: 'IL',
      method: 'SMS',
      language: '1',
      comment: 'Branch 12 Haifa',
    });
    r.whatsapp satisfies string | undefined;
    return r;
  },
  'digital99.verify_number': async () => {
    const r = await d99.verifyNumber({ phone_number: '+972 50 123 4567', code: '123456' });
    r.expiration satisfies number | undefined;
    return r;
  },
  'digital99.list_registered_numbers': async () => {
    const r = await d99.listRegisteredNumbers();
    r.list[0]?.onboarding_link satisfies string | undefined;
    return r;
  },
  'digital99.list_whatsapp_numbers': async () => {
    const r = await d99.listWhatsappNumbers({});
    r.list[0]?.online_inbox satisfies number | undefined;
    r.total_whatsapp satisfies number | undefined;
    return r;
  },
  'digital99.list_accounts': async () => {
    const r = await d99.listAccounts();
    r.list[0]?.coexistence satisfies boolean | undefined;
    return r;
  },
  'digital99.delete_account': async () => {
    const r = await d99.deleteAccount({ phone_number: '+972 50 123 4567' });
    r.reason satisfies number | undefined;
    return r;
  },
};

// Optional params may be given as undefined (a form field left empty): the core sees them absent.
declare const countryFromForm: string | undefined;
await d99.deleteAccount({ phone_number: '+972 50 123 4567', country: countryFromForm });

// Open enums: a value a provider adds later still type-checks, and the known ones are listed.
const info: PhoneNumberInfo = { id: '1', quality_rating: 'PURPLE', platform_type: 'CLOUD_API' };
const state: VonageDeploymentState = 'SOMETHING_NEW';
const method: DeliveryMethod = 'voice';
// Names of earlier releases still work.
const old: MetaPhoneNumber = info;
const oldParams: VonageDeploymentParams = { deployment_id };
console.log(state, method, old, oldParams);

// @ts-expect-error: a required param is missing (language)
await meta.requestCode({ phone_number_id, code_method: 'sms' });
// @ts-expect-error: a closed enum: there is no fax delivery
await meta.requestCode({ phone_number_id, code_method: 'fax', language: 'en_US' });
// @ts-expect-error: a closed enum: not a vertical
await vonage.updateProfile({ deployment_id, vertical: 'Gardening' });
// @ts-expect-error: an unknown key (a typo of code_method)
await meta.requestCode({ phone_number_id, code_methd: 'sms', code_method: 'sms', language: 'en_US' });
// @ts-expect-error: an operation without params takes none
await vonage.listDeployments({ page: 2 });
// @ts-expect-error: limit is a number or a digit string, not a flag
await meta.listPreverifiedNumbers({ business_id: '506914307656634', limit: true });
// @ts-expect-error: a list param is an array
await vonage.createSticker({ deployment_id, stickerpack_id, image_data_id: 'img-1', emojis: '🌱' });
// @ts-expect-error: a filter has all three parts
await meta.listPhoneNumbers({ waba_id: '1', filtering: [{ field: 'account_mode', value: 'LIVE' }] });
// @ts-expect-error: a result field has its documented type (the index is a string)
export const index: number | undefined = (await vonage.listStickers({ deployment_id, stickerpack_id })).stickers[0]?.index;
// @ts-expect-error: no result field the docs do not list
void (await meta.deregister({ phone_number_id })).succeeded;
