// The enrolment form: a resident enters themselves (at their verified
// address) or a relative; a CCAS or mairie agent enters a person at the
// counter or on the phone. Consent is an explicit box, and who gave it is
// recorded. Health notes are optional and sealed on the server.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import { useMutation } from 'urql';
import {
  AddressField,
  Button,
  Checkbox,
  ErrorSummary,
  Page,
  RadioGroup,
  TextArea,
  TextField,
  fieldId,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
} from '@vigie/admin-ui/shell';

const RegisterDocument = graphql(`
  mutation SolRegister($input: SolPersonInput!) {
    solRegisterPerson(input: $input) {
      id
    }
  }
`);

const INTERVALS = [1, 2, 3, 5, 7, 10, 15];

export default function EnrolPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const staff = can('solidarite.register.manage');
  const [who, setWho] = useState<'self' | 'relative' | 'agent'>(staff ? 'agent' : 'self');
  const [v, setV] = useState({
    firstName: '',
    lastName: '',
    contactMethod: 'landline',
    phone: '',
    intervalDays: '2',
    escalatePolice: false,
    locale: 'fr',
    visibility: 'ccas_and_volunteers',
    consentName: '',
    healthNotes: '',
    consent: false,
  });
  const set =
    <K extends keyof typeof v>(k: K) =>
    (x: (typeof v)[K]) =>
      setV((s) => ({ ...s, [k]: x }));
  const [addressId, setAddressId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Array<{ field?: string; message: string }>>([]);
  const [{ fetching }, register] = useMutation(RegisterDocument);
  const errorMessage = useErrorMessage();
  const needsAddress = who !== 'self';
  const err = (f: string) => errors.find((e) => e.field === f)?.message;

  const submit = async () => {
    const errs: Array<{ field?: string; message: string }> = [];
    if (needsAddress && !addressId) errs.push({ field: 'address', message: t('sol.form.addressMissing') });
    if (!v.consent) errs.push({ field: 'consent', message: t('sol.form.consentMissing') });
    setErrors(errs);
    if (errs.length) return;
    const r = await register({
      input: {
        firstName: v.firstName,
        lastName: v.lastName,
        ...(needsAddress && addressId ? { addressId } : {}),
        contactMethod: v.contactMethod as 'landline' | 'mobile' | 'visit',
        ...(v.phone ? { phone: v.phone } : {}),
        intervalDays: Number(v.intervalDays),
        escalatePolice: v.escalatePolice,
        visibility: v.visibility as 'ccas' | 'ccas_and_volunteers',
        consent: v.consent,
        consentBy: who,
        ...(who !== 'self' && v.consentName ? { consentName: v.consentName } : {}),
        ...(v.healthNotes ? { healthNotes: v.healthNotes } : {}),
        // Someone entering themselves has an account: its own language applies.
        ...(who !== 'self' ? { locale: v.locale as 'fr' | 'en' } : {}),
      },
    });
    if (r.error) {
      const code = r.error.graphQLErrors[0]?.extensions?.code as string | undefined;
      const field = code?.startsWith('SOL_PHONE')
        ? 'phone'
        : code === 'SOL_ADDRESS_UNKNOWN'
          ? 'address'
          : code === 'SOL_CONSENT_REQUIRED'
            ? 'consent'
            : undefined;
      setErrors([{ field, message: errorMessage(r.error) ?? '' }]);
      return;
    }
    void navigate(staff ? `/ccas/registre/${r.data!.solRegisterPerson.id}` : '/solidarite');
  };

  const whoOptions = (staff ? (['agent', 'relative'] as const) : (['self', 'relative'] as const)).map(
    (w) => ({
      value: w,
      label: t(`sol.form.who.${w}`),
    }),
  );

  return (
    <Page title={t('sol.form.title')} intro={<p>{t('sol.form.intro')}</p>}>
      <ErrorSummary title={t('form.errorsTitle')} errors={errors} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <RadioGroup
          name="who"
          label={t('sol.form.who')}
          value={who}
          onChange={(x) => setWho(x as typeof who)}
          options={whoOptions}
          required
        />
        <TextField
          name="firstName"
          label={t('sol.form.firstName')}
          value={v.firstName}
          onChange={set('firstName')}
          autoComplete={who === 'self' ? 'given-name' : 'off'}
          required
        />
        <TextField
          name="lastName"
          label={t('sol.form.lastName')}
          value={v.lastName}
          onChange={set('lastName')}
          autoComplete={who === 'self' ? 'family-name' : 'off'}
          required
        />
        {needsAddress ? (
          <AddressField
            name="address"
            label={t('sol.form.address')}
            hint={t('sol.form.addressHint')}
            noMatch={t('sol.form.noAddress')}
            error={err('address')}
            required
            onChange={(a) => setAddressId(a?.id ?? null)}
          />
        ) : null}
        <RadioGroup
          name="contactMethod"
          label={t('sol.form.method')}
          value={v.contactMethod}
          onChange={set('contactMethod')}
          options={['landline', 'mobile', 'visit'].map((m) => ({ value: m, label: t(`sol.method.${m}`) }))}
          required
        />
        <TextField
          name="phone"
          type="tel"
          label={t('sol.form.phone')}
          hint={t('sol.form.phoneHint')}
          value={v.phone}
          onChange={set('phone')}
          error={err('phone')}
          autoComplete={who === 'self' ? 'tel' : 'off'}
          required={v.contactMethod !== 'visit'}
        />
        {who !== 'self' && v.contactMethod !== 'visit' ? (
          <RadioGroup
            name="locale"
            label={t('sol.form.locale')}
            hint={t('sol.form.localeHint')}
            value={v.locale}
            onChange={set('locale')}
            options={['fr', 'en'].map((l) => ({ value: l, label: t(`sol.locale.${l}`) }))}
          />
        ) : null}
        <div className="field">
          <label htmlFor={fieldId('intervalDays')}>{t('sol.form.interval')}</label>
          <select
            id={fieldId('intervalDays')}
            value={v.intervalDays}
            onChange={(e) => set('intervalDays')(e.target.value)}
          >
            {INTERVALS.map((n) => (
              <option key={n} value={String(n)}>
                {t('sol.interval', { count: n })}
              </option>
            ))}
          </select>
        </div>
        <RadioGroup
          name="visibility"
          label={t('sol.form.visibility')}
          value={v.visibility}
          onChange={set('visibility')}
          options={['ccas_and_volunteers', 'ccas'].map((m) => ({
            value: m,
            label: t(`sol.visibility.${m}`),
          }))}
          required
        />
        <Checkbox name="escalatePolice" isSelected={v.escalatePolice} onChange={set('escalatePolice')}>
          {t('sol.form.escalate')}
        </Checkbox>
        {who !== 'self' ? (
          <TextField
            name="consentName"
            label={t('sol.form.consentName')}
            hint={t('sol.form.consentNameHint')}
            value={v.consentName}
            onChange={set('consentName')}
            required
          />
        ) : null}
        <TextArea
          name="healthNotes"
          label={t('sol.form.health')}
          value={v.healthNotes}
          onChange={set('healthNotes')}
        />
        <div className="field" id={fieldId('consent')}>
          <Checkbox name="consent" isSelected={v.consent} onChange={set('consent')}>
            {t('sol.form.consent')}
          </Checkbox>
          {err('consent') ? <p className="field-error">{err('consent')}</p> : null}
        </div>
        <div className="actions">
          <Button type="submit" isDisabled={fetching}>
            {t('sol.form.submit')}
          </Button>
        </div>
      </form>
    </Page>
  );
}
