// The CCAS console: the plan canicule / grand froid (activate, deactivate,
// today's round with its counts refreshed live, each contact's outcome), and
// the register (last news, where the escalation stands, volunteers). One
// person's entry opens on its own page: consent, health notes (CCAS agents
// only), pairing with volunteers of the same community, withdrawal.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Loading,
  Notice,
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
import { RecordContactDocument } from './resident.js';

const PlanDocument = graphql(`
  query SolCcasPlan {
    solPlan {
      id
      kind
      prefectureLevel
      startedAt
      day
      counts {
        pending
        answered
        notAnswered
        visited
      }
      contacts {
        id
        personId
        firstName
        lastName
        channel
        phone
        addressLabel
        status
      }
    }
    solActivations {
      id
      kind
      startedAt
      endedAt
      closed
      summary {
        answered
        notAnswered
        visited
      }
    }
  }
`);
const RegisterListDocument = graphql(`
  query SolCcasRegister {
    solRegister {
      id
      firstName
      lastName
      addressLabel
      contactMethod
      phone
      intervalDays
      lastSignAt
      escalation
      volunteers {
        id
        displayName
      }
    }
  }
`);
const ActivateDocument = graphql(`
  mutation SolActivate($kind: SolPlanKind!, $level: String) {
    solActivatePlan(kind: $kind, prefectureLevel: $level) {
      id
    }
  }
`);
const DeactivateDocument = graphql(`
  mutation SolDeactivate {
    solDeactivatePlan {
      id
    }
  }
`);
const CcasNewsDocument = graphql(`
  mutation SolCcasNews($personId: ID!) {
    solNewsReceived(personId: $personId) {
      lastSignAt
    }
  }
`);

const LIVE_MS = 3000;
const REGISTER_MS = 10_000;

type Result = { error?: Parameters<ReturnType<typeof useErrorMessage>>[0] };

function useDone(refetch: () => void) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const done = (r: Result) => {
    setMessage(
      r.error
        ? { kind: 'error', text: errorMessage(r.error) ?? '' }
        : { kind: 'success', text: t('sol.ccas.saved') },
    );
    refetch();
  };
  const banner = (
    <div aria-live="polite">
      {message ? (
        <Notice kind={message.kind} role="status">
          <p>{message.text}</p>
        </Notice>
      ) : null}
    </div>
  );
  return { done, banner };
}

function PlanSection() {
  const { t, formatDate } = useI18n();
  const [{ data }, refetch] = useQuery({ query: PlanDocument, requestPolicy: 'cache-and-network' });
  const [, activatePlan] = useMutation(ActivateDocument);
  const [, deactivatePlan] = useMutation(DeactivateDocument);
  const [, record] = useMutation(RecordContactDocument);
  const [kind, setKind] = useState('canicule');
  const [level, setLevel] = useState('');
  const again = () => refetch({ requestPolicy: 'network-only' });
  const { done, banner } = useDone(again);
  // Live: while a plan is on (or its last day is being counted), the round is read again every few seconds.
  const active = Boolean(data?.solPlan) || Boolean(data?.solActivations.some((a) => a.endedAt && !a.closed));
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), LIVE_MS);
    return () => window.clearInterval(timer);
  }, [active, refetch]);
  if (!data) return <Loading />;
  const plan = data.solPlan;
  const past = data.solActivations.filter((a) => a.endedAt && a.closed);
  return (
    <section aria-labelledby="sol-plan">
      <h2 id="sol-plan">{t('sol.ccas.plan')}</h2>
      {banner}
      {!plan ? (
        <>
          <p>{t('sol.ccas.noPlan')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void activatePlan({ kind: kind as 'canicule' | 'grand_froid', level: level || null }).then(
                done,
              );
            }}
          >
            <RadioGroup
              name="planKind"
              label={t('sol.ccas.kind')}
              value={kind}
              onChange={setKind}
              options={['canicule', 'grand_froid'].map((k) => ({ value: k, label: t(`sol.kind.${k}`) }))}
              required
            />
            <TextField name="level" label={t('sol.ccas.level')} value={level} onChange={setLevel} />
            <div className="actions">
              <Button type="submit">{t('sol.ccas.activate')}</Button>
            </div>
          </form>
        </>
      ) : (
        <>
          <p>
            <strong>
              {t('sol.ccas.active', {
                kind: t(`sol.kind.${plan.kind}`),
                date: formatDate(plan.startedAt, 'datetime'),
                day: plan.day,
              })}
            </strong>
            {plan.prefectureLevel ? ` — ${t('sol.ccas.levelShown', { level: plan.prefectureLevel })}` : null}
          </p>
          <h3>{t('sol.ccas.counts')}</h3>
          <p className="meta">{t('sol.ccas.live')}</p>
          <dl className="grid" data-testid="sol-counts">
            {(['pending', 'answered', 'notAnswered', 'visited'] as const).map((k) => (
              <div key={k} className="card">
                <dt>{t(`sol.ccas.count.${k}`)}</dt>
                <dd data-count={k}>
                  <strong>{plan.counts[k]}</strong>
                </dd>
              </div>
            ))}
          </dl>
          <Button
            variant="danger"
            onPress={() => {
              if (window.confirm(t('sol.ccas.deactivateConfirm'))) void deactivatePlan({}).then(done);
            }}
          >
            {t('sol.ccas.deactivate')}
          </Button>
          <h3>{t('sol.ccas.contacts')}</h3>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('sol.ccas.contacts')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sol.ccas.person')}</th>
                  <th scope="col">{t('sol.ccas.channel')}</th>
                  <th scope="col">{t('sol.ccas.status')}</th>
                  <th scope="col">{t('sol.ccas.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.contacts.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      {c.firstName} {c.lastName}
                      <br />
                      <span className="meta">{c.addressLabel}</span>
                    </th>
                    <td>
                      {t(`sol.method.${c.channel}`)}
                      {c.phone ? (
                        <>
                          <br />
                          <a href={`tel:${c.phone.replace(/\s/g, '')}`}>{c.phone}</a>
                        </>
                      ) : null}
                    </td>
                    <td>{t(`sol.status.${c.status}`)}</td>
                    <td>
                      {c.status === 'pending' ? (
                        <div className="actions">
                          {(c.channel === 'visit'
                            ? (['visited', 'not_answered'] as const)
                            : (['answered', 'not_answered'] as const)
                          ).map((o) => (
                            <Button
                              key={o}
                              variant="secondary"
                              aria-label={`${t(`sol.status.${o}`)} : ${c.firstName} ${c.lastName}`}
                              onPress={() => void record({ contactId: c.id, outcome: o }).then(done)}
                            >
                              {t(`sol.status.${o}`)}
                            </Button>
                          ))}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {past.length > 0 ? (
        <>
          <h3>{t('sol.ccas.history')}</h3>
          <ul>
            {past.map((a) => (
              <li key={a.id}>
                {t('sol.ccas.summary', {
                  kind: t(`sol.kind.${a.kind}`),
                  from: formatDate(a.startedAt, 'date'),
                  to: formatDate(a.endedAt, 'date'),
                  answered: a.summary.answered,
                  visited: a.summary.visited,
                  notAnswered: a.summary.notAnswered,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function RegisterSection() {
  const { t, formatDate } = useI18n();
  const [{ data }, refetch] = useQuery({ query: RegisterListDocument, requestPolicy: 'cache-and-network' });
  const [, news] = useMutation(CcasNewsDocument);
  const { done, banner } = useDone(() => refetch({ requestPolicy: 'network-only' }));
  // Where each escalation stands changes on its own (the check-in workflows): read again every 10 s.
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), REGISTER_MS);
    return () => window.clearInterval(timer);
  }, [refetch]);
  if (!data) return <Loading />;
  return (
    <section aria-labelledby="sol-register">
      <h2 id="sol-register">{t('sol.ccas.register')}</h2>
      {banner}
      <p>
        <Link className="btn" to="/solidarite/inscrire">
          {t('sol.ccas.enrol')}
        </Link>
      </p>
      {data.solRegister.length === 0 ? (
        <p>{t('sol.ccas.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('sol.ccas.register')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sol.ccas.person')}</th>
                <th scope="col">{t('sol.ccas.contact')}</th>
                <th scope="col">{t('sol.ccas.lastNews')}</th>
                <th scope="col">{t('sol.ccas.volunteers')}</th>
                <th scope="col">{t('sol.ccas.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.solRegister.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link
                      to={`/ccas/registre/${p.id}`}
                      aria-label={t('sol.ccas.open', { name: `${p.firstName} ${p.lastName}` })}
                    >
                      {p.lastName} {p.firstName}
                    </Link>
                    <br />
                    <span className="meta">{p.addressLabel}</span>
                  </th>
                  <td>
                    {t(`sol.method.${p.contactMethod}`)}
                    {p.phone ? (
                      <>
                        <br />
                        {p.phone}
                      </>
                    ) : null}
                  </td>
                  <td>
                    {formatDate(p.lastSignAt, 'datetime')} ({t('sol.interval', { count: p.intervalDays })})
                    <br />
                    <span className={p.escalation === 'none' ? 'meta' : 'field-error'}>
                      {t(`sol.escalation.${p.escalation}`)}
                    </span>
                  </td>
                  <td>
                    {p.volunteers.length
                      ? p.volunteers.map((v) => v.displayName).join(', ')
                      : t('sol.ccas.noVolunteer')}
                  </td>
                  <td>
                    <Button
                      variant="secondary"
                      aria-label={`${t('sol.ccas.news')} : ${p.firstName} ${p.lastName}`}
                      onPress={() => void news({ personId: p.id }).then(done)}
                    >
                      {t('sol.ccas.news')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function CcasPage() {
  const { t } = useI18n();
  const { can } = useSession();
  return (
    <Page title={t('sol.ccas.title')}>
      {can('solidarite.plan.manage') ? <PlanSection /> : null}
      {can('solidarite.register.manage') ? <RegisterSection /> : null}
    </Page>
  );
}

const PersonDocument = graphql(`
  query SolCcasPerson($id: ID!) {
    solPerson(id: $id) {
      id
      firstName
      lastName
      addressLabel
      communityId
      contactMethod
      phone
      intervalDays
      escalatePolice
      visibility
      consentBy
      consentName
      consentAt
      lastSignAt
      nextSignDueAt
      escalation
      healthNotes
      hasHealthNotes
      volunteers {
        id
        displayName
      }
    }
  }
`);
const VolunteersDocument = graphql(`
  query SolCcasVolunteers {
    solVolunteers {
      id
      displayName
      availability
      communityId
      communityName
      pairedCount
    }
  }
`);
const PairDocument = graphql(`
  mutation SolPair($personId: ID!, $volunteerId: ID!) {
    solPair(personId: $personId, volunteerId: $volunteerId) {
      id
    }
  }
`);
const UnpairDocument = graphql(`
  mutation SolUnpair($personId: ID!, $volunteerId: ID!) {
    solUnpair(personId: $personId, volunteerId: $volunteerId) {
      id
    }
  }
`);
const UpdateDocument = graphql(`
  mutation SolUpdate($id: ID!, $input: SolPersonUpdate!) {
    solUpdatePerson(id: $id, input: $input) {
      id
    }
  }
`);
const WithdrawPersonDocument = graphql(`
  mutation SolCcasWithdraw($id: ID!) {
    solWithdrawConsent(id: $id)
  }
`);

export function PersonPage() {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [{ data }, refetch] = useQuery({
    query: PersonDocument,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const pairing = can('solidarite.pairing.manage');
  const [{ data: vols }] = useQuery({ query: VolunteersDocument, pause: !pairing });
  const [, pair] = useMutation(PairDocument);
  const [, unpair] = useMutation(UnpairDocument);
  const [, updatePerson] = useMutation(UpdateDocument);
  const [, withdraw] = useMutation(WithdrawPersonDocument);
  const { done, banner } = useDone(() => refetch({ requestPolicy: 'network-only' }));
  const [volunteer, setVolunteer] = useState('');
  const [notes, setNotes] = useState<string | null>(null);
  if (!data) return <Loading />;
  const p = data.solPerson;
  if (!p)
    return (
      <Page title={t('sol.person.title')}>
        <p>{t('sol.person.notFound')}</p>
      </Page>
    );
  // Volunteers of the person's own community only (the server checks it again).
  const candidates = (vols?.solVolunteers ?? []).filter(
    (v) => v.communityId === p.communityId && !p.volunteers.some((x) => x.id === v.id),
  );
  return (
    <Page title={`${p.firstName} ${p.lastName}`}>
      <p>
        <Link to="/ccas">{t('sol.person.back')}</Link>
      </p>
      {banner}
      <dl>
        <dt>{t('sol.form.address')}</dt>
        <dd>{p.addressLabel}</dd>
        <dt>{t('sol.form.method')}</dt>
        <dd>
          {t(`sol.method.${p.contactMethod}`)}
          {p.phone ? ` — ${p.phone}` : ''}
        </dd>
        <dt>{t('sol.form.interval')}</dt>
        <dd>{t('sol.interval', { count: p.intervalDays })}</dd>
        <dt>{t('sol.ccas.lastNews')}</dt>
        <dd>
          {formatDate(p.lastSignAt, 'datetime')} — {t(`sol.escalation.${p.escalation}`)} (
          {t('sol.vol.due', { date: formatDate(p.nextSignDueAt, 'datetime') })})
        </dd>
        <dt>{t('sol.form.visibility')}</dt>
        <dd>{t(`sol.visibility.${p.visibility}`)}</dd>
        <dt>{t('sol.form.escalate')}</dt>
        <dd>{p.escalatePolice ? '✓' : '—'}</dd>
      </dl>
      <p>
        {t('sol.person.consent', {
          by: t(`sol.person.consentBy.${p.consentBy}`),
          date: formatDate(p.consentAt, 'datetime'),
        })}
        {p.consentName ? ` (${p.consentName})` : ''}
      </p>
      {can('solidarite.health.read') ? (
        <section aria-labelledby="sol-health">
          <h2 id="sol-health">{t('sol.person.health')}</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const text = notes ?? p.healthNotes ?? '';
              void updatePerson({
                id: p.id,
                input: text ? { healthNotes: text } : { clearHealthNotes: true },
              }).then(done);
            }}
          >
            <TextArea
              name="healthNotes"
              label={t('sol.form.health')}
              value={notes ?? p.healthNotes ?? ''}
              onChange={setNotes}
            />
            <div className="actions">
              <Button type="submit" variant="secondary">
                {t('sol.person.saveHealth')}
              </Button>
            </div>
          </form>
        </section>
      ) : p.hasHealthNotes ? (
        <p className="meta">{t('sol.person.healthHidden')}</p>
      ) : null}
      <section aria-labelledby="sol-volunteers">
        <h2 id="sol-volunteers">{t('sol.ccas.volunteers')}</h2>
        {p.volunteers.length === 0 ? <p>{t('sol.ccas.noVolunteer')}</p> : null}
        <ul>
          {p.volunteers.map((v) => (
            <li key={v.id}>
              {v.displayName}{' '}
              {pairing ? (
                <Button
                  variant="quiet"
                  onPress={() => void unpair({ personId: p.id, volunteerId: v.id }).then(done)}
                >
                  {t('sol.person.unpair', { name: v.displayName })}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        {pairing && p.visibility === 'ccas_and_volunteers' && p.volunteers.length < 2 ? (
          candidates.length === 0 ? (
            <p>{t('sol.person.noCandidate')}</p>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (volunteer) void pair({ personId: p.id, volunteerId: volunteer }).then(done);
              }}
            >
              <h3>{t('sol.person.pair')}</h3>
              <div className="field">
                <label htmlFor={fieldId('volunteer')}>{t('sol.person.volunteer')}</label>
                <select
                  id={fieldId('volunteer')}
                  value={volunteer}
                  onChange={(e) => setVolunteer(e.target.value)}
                >
                  <option value="">—</option>
                  {candidates.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.displayName} ({v.communityName}
                      {v.availability ? `, ${v.availability}` : ''})
                    </option>
                  ))}
                </select>
              </div>
              <div className="actions">
                <Button type="submit" variant="secondary">
                  {t('sol.person.pairButton')}
                </Button>
              </div>
            </form>
          )
        ) : null}
      </section>
      <p>
        <Button
          variant="danger"
          onPress={() => {
            if (window.confirm(t('sol.mine.withdrawConfirm')))
              void withdraw({ id: p.id }).then((r) => {
                if (!r.error) void navigate('/ccas');
                else done(r);
              });
          }}
        >
          {t('sol.person.withdraw')}
        </Button>
      </p>
    </Page>
  );
}
