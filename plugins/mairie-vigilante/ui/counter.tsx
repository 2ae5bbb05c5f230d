// The counter (issue 12): an agent registers a resident without internet on
// their behalf. The proof of address is seen on paper and only its kind is
// recorded; the mobile the agent checked receives the alerts by SMS, a
// landline gets a call. After the registration the page says what was done,
// to tell the resident before they leave.
import { useRef, useState } from 'react';
import { Form } from 'react-aria-components';
import { useMutation } from 'urql';
import {
  AddressField,
  Button,
  ErrorSummary,
  Notice,
  Page,
  RadioGroup,
  TextField,
  graphql,
  useForm,
  useI18n,
  type FormErrorItem,
} from '@vigie/admin-ui/shell';

const RegisterDocument = graphql(`
  mutation ConsoleRegisterAtCounter($input: CounterRegistrationInput!) {
    registerResidentAtCounter(input: $input) {
      accountId
      displayName
      addressLabel
      sectorName
      smsTo
      voiceTo
      urgentChannels
      invitationSent
    }
  }
`);

// The core's fixed list (residents/proof-kinds.ts), in the order the agent meets them.
const PROOF_KINDS = [
  'energy_bill',
  'water_bill',
  'telecom_bill',
  'rent_receipt',
  'tax_notice',
  'home_insurance',
  'title_deed',
] as const;
type ProofKind = (typeof PROOF_KINDS)[number];

interface Done {
  displayName: string;
  addressLabel: string;
  sectorName: string;
  smsTo?: string | null;
  voiceTo?: string | null;
  invitationSent: boolean;
  email: string;
}

const EMPTY = { displayName: '', mobile: '', landline: '', email: '', locale: 'fr', proofKind: '' };

/** +33612345678 → 06 12 34 56 78, as the resident reads it. */
function french(e164: string): string {
  if (!/^\+33\d{9}$/.test(e164)) return e164;
  return `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
}

export default function CounterPage() {
  const { t } = useI18n();
  const f = useForm(EMPTY);
  const [address, setAddress] = useState<{ id: string; label: string } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [done, setDone] = useState<Done | null>(null);
  const [{ fetching }, register] = useMutation(RegisterDocument);
  const doneHeading = useRef<HTMLHeadingElement>(null);

  const submit = async () => {
    const v = f.values;
    const errors: FormErrorItem[] = [];
    if (v.displayName.trim().length < 2)
      errors.push({ field: 'displayName', message: t('mv.counter.nameMissing') });
    if (!address) errors.push({ field: 'address', message: t('mv.counter.addressMissing') });
    if (!v.mobile.trim() && !v.landline.trim())
      errors.push({ field: 'mobile', message: t('mv.counter.phoneMissing') });
    if (!v.proofKind) errors.push({ field: 'proofKind', message: t('mv.counter.proofMissing') });
    f.setErrors(errors);
    if (errors.length || !address) return;
    const r = await register({
      input: {
        displayName: v.displayName.trim(),
        addressId: address.id,
        mobile: v.mobile.trim() || null,
        landline: v.landline.trim() || null,
        email: v.email.trim() || null,
        locale: v.locale === 'en' ? 'en' : 'fr',
        proofKind: v.proofKind as ProofKind,
      },
    });
    if (
      f.serverError(r.error, {
        'EMAIL_*': 'email',
        PHONE_INVALID: 'mobile',
        COUNTER_PHONE_REQUIRED: 'mobile',
        VOICE_NUMBER_INVALID: 'landline',
        DISPLAY_NAME_INVALID: 'displayName',
        ADDRESS_NOT_FOUND: 'address',
        COUNTER_ADDRESS_NO_SECTOR: 'address',
        COUNTER_ALREADY_REGISTERED: 'address',
        COUNTER_PROOF_KIND_UNKNOWN: 'proofKind',
      })
    )
      return;
    const d = r.data!.registerResidentAtCounter;
    setDone({ ...d, email: v.email.trim() });
    f.setValues(EMPTY);
    setAddress(null);
    // A fresh form (the address field keeps what was typed otherwise).
    setFormKey((k) => k + 1);
    requestAnimationFrame(() => doneHeading.current?.focus());
  };

  return (
    <Page title={t('mv.counter.title')} intro={<p>{t('mv.counter.intro')}</p>}>
      {done ? (
        <Notice kind="success">
          <h2 tabIndex={-1} ref={doneHeading}>
            {t('mv.counter.done.title', { name: done.displayName })}
          </h2>
          <ul>
            <li>{t('mv.counter.done.account', { address: done.addressLabel, sector: done.sectorName })}</li>
            {done.smsTo ? <li>{t('mv.counter.done.sms', { number: french(done.smsTo) })}</li> : null}
            {done.voiceTo ? (
              <li>
                {t(done.smsTo ? 'mv.counter.done.voiceUrgent' : 'mv.counter.done.voice', {
                  number: french(done.voiceTo),
                })}
              </li>
            ) : null}
            <li>
              {done.invitationSent
                ? t('mv.counter.done.invited', { email: done.email })
                : t('mv.counter.done.notInvited')}
            </li>
            <li>{t('mv.counter.done.proof')}</li>
          </ul>
        </Notice>
      ) : null}
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        key={formKey}
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {done ? <h2>{t('mv.counter.another')}</h2> : null}
        <p className="meta">{t('form.requiredHint')}</p>
        <TextField
          name="displayName"
          label={t('mv.counter.displayName')}
          hint={t('mv.counter.displayNameHint')}
          value={f.values.displayName}
          onChange={f.set('displayName')}
          autoComplete="off"
          error={f.fieldError('displayName')}
          required
        />
        <AddressField
          name="address"
          label={t('mv.counter.address')}
          hint={t('mv.counter.addressHint')}
          noMatch={t('mv.counter.noAddress')}
          error={f.fieldError('address')}
          required
          onChange={setAddress}
        />
        <RadioGroup
          name="proofKind"
          label={t('mv.counter.proofKind')}
          hint={t('mv.counter.proofKindHint')}
          value={f.values.proofKind}
          onChange={f.set('proofKind')}
          options={PROOF_KINDS.map((k) => ({ value: k, label: t(`mv.counter.proof.${k}`) }))}
          error={f.fieldError('proofKind')}
          required
        />
        <TextField
          name="mobile"
          type="tel"
          label={t('mv.counter.mobile')}
          hint={t('mv.counter.mobileHint')}
          value={f.values.mobile}
          onChange={f.set('mobile')}
          autoComplete="off"
          error={f.fieldError('mobile')}
        />
        <TextField
          name="landline"
          type="tel"
          label={t('mv.counter.landline')}
          hint={t('mv.counter.landlineHint')}
          value={f.values.landline}
          onChange={f.set('landline')}
          autoComplete="off"
          error={f.fieldError('landline')}
        />
        <TextField
          name="email"
          type="email"
          label={t('mv.counter.email')}
          hint={t('mv.counter.emailHint')}
          value={f.values.email}
          onChange={f.set('email')}
          autoComplete="off"
          error={f.fieldError('email')}
        />
        <RadioGroup
          name="locale"
          label={t('mv.counter.locale')}
          value={f.values.locale}
          onChange={f.set('locale')}
          options={[
            { value: 'fr', label: t('mv.counter.locale.fr') },
            { value: 'en', label: t('mv.counter.locale.en') },
          ]}
          required
        />
        <div className="btn-row">
          <Button type="submit" isDisabled={fetching}>
            {t('mv.counter.submit')}
          </Button>
        </div>
      </Form>
    </Page>
  );
}
