// The resident's side: their declarations with the police's visits, changing
// the return date, an early return or a cancellation; and the declaration form.
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  AddressField,
  Button,
  Checkbox,
  ErrorSummary,
  Loading,
  Notice,
  Page,
  RadioGroup,
  TextArea,
  TextField,
  graphql,
  useErrorMessage,
  useForm,
  useI18n,
  useSession,
  type TvNoticeChannel,
} from '@vigie/admin-ui/shell';

const MyAbsencesDocument = graphql(`
  query TvMyAbsences {
    myAbsences {
      id
      status
      kind
      addressLabel
      departsAt
      returnsAt
      refusalReason
      earlyReturn
      visits {
        id
        visitedAt
        outcome
      }
    }
  }
`);
const ChangeReturnDocument = graphql(`
  mutation TvChangeReturn($id: ID!, $returnsAt: String!) {
    changeAbsenceDates(id: $id, returnsAt: $returnsAt) {
      id
      returnsAt
    }
  }
`);
const EarlyReturnDocument = graphql(`
  mutation TvEarlyReturn($id: ID!) {
    declareEarlyReturn(id: $id) {
      id
      status
      returnsAt
      earlyReturn
    }
  }
`);
const CancelDocument = graphql(`
  mutation TvCancel($id: ID!) {
    cancelAbsence(id: $id) {
      id
      status
    }
  }
`);

/** `datetime-local` values are the browser's local time; the server wants an instant. */
export const toInstant = (local: string) => (local ? new Date(local).toISOString() : '');

export default function MyAbsencesPage() {
  const { t, formatDate } = useI18n();
  const [{ data }, refetch] = useQuery({ query: MyAbsencesDocument, requestPolicy: 'cache-and-network' });
  const [, changeReturn] = useMutation(ChangeReturnDocument);
  const [, earlyReturn] = useMutation(EarlyReturnDocument);
  const [, cancel] = useMutation(CancelDocument);
  const errorMessage = useErrorMessage();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [returns, setReturns] = useState<Record<string, string>>({});
  const sent = (useLocation().state as { notice?: string } | null)?.notice;
  if (!data) return <Loading />;
  const done = (r: { error?: Parameters<typeof errorMessage>[0] }) => {
    setMessage(
      r.error
        ? { kind: 'error', text: errorMessage(r.error) ?? '' }
        : { kind: 'success', text: t('tv.mine.saved') },
    );
    refetch({ requestPolicy: 'network-only' });
  };
  const now = Date.now();
  return (
    <Page title={t('tv.mine.title')} intro={<p>{t('tv.mine.intro')}</p>}>
      <p>
        <Link className="btn" to="/tranquillite-vacances/declarer">
          {t('tv.mine.declare')}
        </Link>
      </p>
      <div aria-live="polite">
        {message || sent ? (
          <Notice kind={message?.kind ?? 'success'} role="status">
            <p>{message?.text ?? sent}</p>
          </Notice>
        ) : null}
      </div>
      {data.myAbsences.length === 0 ? <p>{t('tv.mine.none')}</p> : null}
      <ul className="list">
        {data.myAbsences.map((a) => {
          const live = (a.status === 'pending' || a.status === 'validated') && Date.parse(a.returnsAt) > now;
          const started = Date.parse(a.departsAt) <= now;
          return (
            <li key={a.id}>
              <h2>{a.addressLabel}</h2>
              <p className="meta">
                {t(`tv.status.${a.status}`)} ·{' '}
                {t('tv.mine.period', { from: formatDate(a.departsAt), to: formatDate(a.returnsAt) })}
              </p>
              {a.refusalReason ? <p>{t('tv.mine.refused', { reason: a.refusalReason })}</p> : null}
              <h3>{t('tv.mine.visits')}</h3>
              {a.visits.length === 0 ? (
                <p>{t('tv.mine.noVisit')}</p>
              ) : (
                <ul>
                  {a.visits.map((v) => (
                    <li key={v.id}>
                      {formatDate(v.visitedAt)} — {t(`tv.outcome.${v.outcome}`)}
                    </li>
                  ))}
                </ul>
              )}
              {live ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void changeReturn({ id: a.id, returnsAt: toInstant(returns[a.id] ?? '') }).then(done);
                  }}
                >
                  <TextField
                    name={`return-${a.id}`}
                    type="datetime-local"
                    label={t('tv.mine.newReturn')}
                    value={returns[a.id] ?? ''}
                    onChange={(v) => setReturns((s) => ({ ...s, [a.id]: v }))}
                    required
                  />
                  <div className="actions">
                    <Button type="submit" variant="secondary">
                      {t('tv.mine.changeReturn')}
                    </Button>
                    {started ? (
                      <Button variant="secondary" onPress={() => void earlyReturn({ id: a.id }).then(done)}>
                        {t('tv.mine.earlyReturn')}
                      </Button>
                    ) : null}
                    <Button
                      variant="danger"
                      onPress={() => {
                        if (window.confirm(t('tv.mine.cancelConfirm'))) void cancel({ id: a.id }).then(done);
                      }}
                    >
                      {t('tv.mine.cancel')}
                    </Button>
                  </div>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Page>
  );
}

const RulesDocument = graphql(`
  query TvRules {
    tvRules {
      minNoticeDays
      earliestDays
      maxAbsenceDays
      secondaryHomes
    }
  }
`);
const FindResidentDocument = graphql(`
  query TvFindResident($email: String!) {
    tvResident(email: $email) {
      accountId
      displayName
      addressLabel
    }
  }
`);
const DeclareDocument = graphql(`
  mutation TvDeclare($input: TvAbsenceInput!, $for: ID) {
    declareAbsence(input: $input, forAccountId: $for) {
      id
      status
    }
  }
`);

const TEXT_FIELDS = [
  ['awayPhone', 'tel'],
  ['awayAddress', 'text'],
  ['contactName', 'text'],
  ['contactPhone', 'tel'],
  ['floor', 'text'],
  ['doorCode', 'text'],
  ['alarmCompany', 'text'],
  ['vehicles', 'text'],
  ['pets', 'text'],
] as const;
const SHOP_FIELDS = ['businessName', 'businessActivity', 'businessPhone'] as const;
const CHANNELS: TvNoticeChannel[] = ['in_app', 'email', 'sms', 'push'];

export function DeclarePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [{ data }] = useQuery({ query: RulesDocument });
  const [, declare] = useMutation(DeclareDocument);
  const f = useForm({
    kind: 'home',
    residence: 'main',
    addressId: '',
    departsAt: '',
    returnsAt: '',
    dwelling: 'house',
    keyHolders: '',
    notes: '',
    alarm: false,
    presenceSimulation: false,
    contactLocale: 'fr',
    ...Object.fromEntries([...TEXT_FIELDS.map(([k]) => k), ...SHOP_FIELDS].map((k) => [k, ''])),
  } as Record<string, string | boolean>);
  const [channels, setChannels] = useState<TvNoticeChannel[]>(['in_app']);
  // A mairie agent at the counter declares for a resident found by their email.
  const { can } = useSession();
  const counter = can('tranquillite-vacances.absence.declare_for');
  const [email, setEmail] = useState('');
  const [lookup, setLookup] = useState('');
  const [{ data: found, fetching: looking }] = useQuery({
    query: FindResidentDocument,
    variables: { email: lookup },
    pause: !counter || !lookup,
  });
  const resident = lookup ? found?.tvResident : undefined;
  if (!data) return <Loading />;
  const v = f.values;
  const str = (k: string) => String(v[k] ?? '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input: Record<string, unknown> = {
      kind: v.kind,
      residence: v.residence,
      departsAt: toInstant(str('departsAt')),
      returnsAt: toInstant(str('returnsAt')),
      dwelling: v.dwelling,
      alarm: v.alarm,
      presenceSimulation: v.presenceSimulation,
      noticeChannels: channels,
    };
    for (const k of ['addressId', 'keyHolders', 'notes', ...TEXT_FIELDS.map(([k]) => k), ...SHOP_FIELDS])
      if (str(k).trim()) input[k] = str(k).trim();
    // The language of the automatic call after an anomaly: asked only with a number to call.
    if (str('contactPhone').trim()) input.contactLocale = v.contactLocale;
    const r = await declare({ input: input as never, for: resident?.accountId ?? null });
    if (
      f.serverError(r.error, {
        TV_NOTICE_TOO_SHORT: 'departsAt',
        TV_TOO_EARLY: 'departsAt',
        TV_DATES_INVALID: 'returnsAt',
        TV_ABSENCE_TOO_LONG: 'returnsAt',
        TV_ABSENCE_OVERLAP: 'departsAt',
        TV_ADDRESS_UNKNOWN: 'addressId',
        TV_ADDRESS_NOT_YOURS: 'addressId',
        TV_SECONDARY_NOT_ALLOWED: 'residence',
      })
    )
      return;
    void navigate(resident ? '/police/tranquillite-vacances' : '/tranquillite-vacances', {
      state: { notice: t('tv.form.sent') },
    });
  };
  const rules = data.tvRules;
  return (
    <Page
      title={t('tv.form.title')}
      intro={
        <p>
          {t('tv.form.intro', {
            notice: rules.minNoticeDays,
            earliest: rules.earliestDays,
            max: rules.maxAbsenceDays,
          })}
        </p>
      }
    >
      {counter ? (
        <form
          className="tv-counter"
          onSubmit={(e) => {
            e.preventDefault();
            setLookup(email.trim());
          }}
        >
          <h2>{t('tv.counter.title')}</h2>
          <TextField
            name="resident-email"
            type="email"
            label={t('tv.counter.email')}
            value={email}
            onChange={setEmail}
          />
          <Button type="submit" variant="secondary">
            {t('tv.counter.find')}
          </Button>
          <div aria-live="polite">
            {lookup && !looking ? (
              <Notice kind={resident ? 'success' : 'warning'} role="status">
                <p>
                  {resident
                    ? t('tv.counter.found', {
                        name: resident.displayName,
                        address: resident.addressLabel ?? t('tv.counter.noAddress'),
                      })
                    : t('tv.counter.notFound')}
                </p>
              </Notice>
            ) : null}
          </div>
        </form>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        {f.errors.length > 0 ? <ErrorSummary title={t('tv.form.errors')} errors={f.errors} /> : null}
        <RadioGroup
          name="kind"
          label={t('tv.form.kind')}
          value={str('kind')}
          onChange={f.set('kind')}
          options={['home', 'shop'].map((k) => ({ value: k, label: t(`tv.form.kind.${k}`) }))}
          required
        />
        {rules.secondaryHomes ? (
          <RadioGroup
            name="residence"
            label={t('tv.form.residence')}
            value={str('residence')}
            onChange={f.set('residence')}
            error={f.fieldError('residence')}
            options={['main', 'secondary'].map((k) => ({ value: k, label: t(`tv.form.residence.${k}`) }))}
          />
        ) : null}
        {v.residence === 'secondary' ? (
          <AddressField
            name="addressId"
            label={t('tv.form.addressId')}
            hint={t('tv.form.addressHint')}
            noMatch={t('tv.form.noAddress')}
            error={f.fieldError('addressId')}
            required
            onChange={(a) => f.set('addressId')(a?.id ?? '')}
          />
        ) : null}
        <TextField
          name="departsAt"
          type="datetime-local"
          label={t('tv.form.departsAt')}
          value={str('departsAt')}
          onChange={f.set('departsAt')}
          error={f.fieldError('departsAt')}
          required
        />
        <TextField
          name="returnsAt"
          type="datetime-local"
          label={t('tv.form.returnsAt')}
          value={str('returnsAt')}
          onChange={f.set('returnsAt')}
          error={f.fieldError('returnsAt')}
          required
        />
        {v.kind === 'shop'
          ? SHOP_FIELDS.map((k) => (
              <TextField key={k} name={k} label={t(`tv.form.${k}`)} value={str(k)} onChange={f.set(k)} />
            ))
          : null}
        <RadioGroup
          name="dwelling"
          label={t('tv.form.dwelling')}
          value={str('dwelling')}
          onChange={f.set('dwelling')}
          options={['house', 'flat'].map((k) => ({ value: k, label: t(`tv.form.dwelling.${k}`) }))}
        />
        {TEXT_FIELDS.map(([k, type]) => (
          <TextField
            key={k}
            name={k}
            type={type}
            label={t(`tv.form.${k}`)}
            value={str(k)}
            onChange={f.set(k)}
            {...(k === 'doorCode' ? { hint: t('tv.form.keyHolders.hint') } : {})}
          />
        ))}
        {str('contactPhone').trim() ? (
          <RadioGroup
            name="contactLocale"
            label={t('tv.form.contactLocale')}
            value={str('contactLocale')}
            onChange={f.set('contactLocale')}
            options={['fr', 'en'].map((l) => ({ value: l, label: t(`tv.form.contactLocale.${l}`) }))}
          />
        ) : null}
        <TextArea
          name="keyHolders"
          label={t('tv.form.keyHolders')}
          hint={t('tv.form.keyHolders.hint')}
          value={str('keyHolders')}
          onChange={f.set('keyHolders')}
        />
        <Checkbox name="alarm" isSelected={v.alarm === true} onChange={f.set('alarm')}>
          {t('tv.form.alarm')}
        </Checkbox>
        <Checkbox
          name="presenceSimulation"
          isSelected={v.presenceSimulation === true}
          onChange={f.set('presenceSimulation')}
        >
          {t('tv.form.presenceSimulation')}
        </Checkbox>
        <TextArea name="notes" label={t('tv.form.notes')} value={str('notes')} onChange={f.set('notes')} />
        <fieldset>
          <legend>{t('tv.form.channels')}</legend>
          {CHANNELS.map((c) => (
            <Checkbox
              key={c}
              name={`channel-${c}`}
              isSelected={channels.includes(c)}
              onChange={(on) => setChannels((s) => (on ? [...s, c] : s.filter((x) => x !== c)))}
            >
              {t(`tv.form.channel.${c}`)}
            </Checkbox>
          ))}
        </fieldset>
        <Button type="submit">{t('tv.form.submit')}</Button>
      </form>
    </Page>
  );
}
