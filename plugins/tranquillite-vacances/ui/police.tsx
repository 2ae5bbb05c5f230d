// The police's console: anomalies first, then the declarations to validate or
// refuse, and the homes under watch (the calendar, as a table). The detail of
// one declaration opens the door code and key holders (the server audits it).
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Loading,
  Notice,
  Page,
  TextField,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
} from '@vigie/admin-ui/shell';

const ConsoleDocument = graphql(`
  query TvConsole {
    tvAnomalies {
      visit {
        id
        visitedAt
        outcome
        note
        contactCall
      }
      absence {
        id
        addressLabel
      }
    }
    tvAbsences {
      id
      status
      addressLabel
      departsAt
      returnsAt
      lastVisitAt
      residentName
      declaredAtCounter
    }
  }
`);
const ValidateDocument = graphql(`
  mutation TvValidate($id: ID!) {
    validateAbsence(id: $id) {
      id
      status
    }
  }
`);
const RefuseDocument = graphql(`
  mutation TvRefuse($id: ID!, $reason: String!) {
    refuseAbsence(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export default function ConsolePage() {
  const { t, formatDate } = useI18n();
  const [{ data }, refetch] = useQuery({ query: ConsoleDocument, requestPolicy: 'cache-and-network' });
  const [, validate] = useMutation(ValidateDocument);
  const [, refuse] = useMutation(RefuseDocument);
  const errorMessage = useErrorMessage();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  // Mairie agents read the declarations; only the police decide and patrol (the server checks again).
  const { can } = useSession();
  const police = can('tranquillite-vacances.absence.validate');
  if (!data) return <Loading />;
  const done = (r: { error?: Parameters<typeof errorMessage>[0] }) => {
    setMessage(
      r.error
        ? { kind: 'error', text: errorMessage(r.error) ?? '' }
        : { kind: 'success', text: t('tv.console.done') },
    );
    refetch({ requestPolicy: 'network-only' });
  };
  const pending = data.tvAbsences.filter((a) => a.status === 'pending');
  const watched = data.tvAbsences.filter((a) => a.status === 'validated');
  return (
    <Page title={t('tv.console.title')}>
      {can('tranquillite-vacances.visit.log') ? (
        <p>
          <Link className="btn" to="/police/tournee">
            {t('tv.console.patrol')}
          </Link>
        </p>
      ) : null}
      <div aria-live="polite">
        {message ? (
          <Notice kind={message.kind} role="status">
            <p>{message.text}</p>
          </Notice>
        ) : null}
      </div>
      <section aria-labelledby="tv-anomalies">
        <h2 id="tv-anomalies">{t('tv.console.anomalies')}</h2>
        {data.tvAnomalies.length === 0 ? (
          <p>{t('tv.console.noAnomaly')}</p>
        ) : (
          <Notice kind="error">
            <ul>
              {data.tvAnomalies.map((a) => (
                <li key={a.visit.id}>
                  <strong>{t(`tv.outcome.${a.visit.outcome}`)}</strong> — {a.absence.addressLabel},{' '}
                  {formatDate(a.visit.visitedAt)}. {a.visit.note}{' '}
                  {a.visit.contactCall ? <>{t(`tv.contactCall.${a.visit.contactCall}`)}. </> : null}
                  <Link to={`/police/tranquillite-vacances/${a.absence.id}`}>{t('tv.console.open')}</Link>
                </li>
              ))}
            </ul>
          </Notice>
        )}
      </section>
      <section aria-labelledby="tv-pending">
        <h2 id="tv-pending">{t('tv.console.pending')}</h2>
        {pending.length === 0 ? <p>{t('tv.console.noPending')}</p> : null}
        <ul className="list">
          {pending.map((a) => (
            <li key={a.id}>
              <h3>{a.addressLabel}</h3>
              <p className="meta">
                {a.residentName} ·{' '}
                {t('tv.mine.period', { from: formatDate(a.departsAt), to: formatDate(a.returnsAt) })}
              </p>
              <p>
                <Link to={`/police/tranquillite-vacances/${a.id}`}>{t('tv.console.open')}</Link>
              </p>
              {police ? (
                <>
                  <div className="actions">
                    <Button onPress={() => void validate({ id: a.id }).then(done)}>
                      {t('tv.console.validate')}
                    </Button>
                  </div>
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void refuse({ id: a.id, reason: reasons[a.id] ?? '' }).then(done);
                    }}
                  >
                    <TextField
                      name={`reason-${a.id}`}
                      label={t('tv.console.reason')}
                      value={reasons[a.id] ?? ''}
                      onChange={(v) => setReasons((s) => ({ ...s, [a.id]: v }))}
                    />
                    <Button type="submit" variant="danger">
                      {t('tv.console.refuse')}
                    </Button>
                  </form>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <WatchCalendar watched={watched} />
      <section aria-labelledby="tv-calendar">
        <h2 id="tv-calendar">{t('tv.console.calendar')}</h2>
        {watched.length === 0 ? (
          <p>{t('tv.console.noWatch')}</p>
        ) : (
          <table>
            <caption className="visually-hidden">{t('tv.console.calendar')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tv.console.period')}</th>
                <th scope="col">{t('tv.console.address')}</th>
                <th scope="col">{t('tv.console.resident')}</th>
                <th scope="col">{t('tv.console.lastVisit')}</th>
              </tr>
            </thead>
            <tbody>
              {watched.map((a) => (
                <tr key={a.id}>
                  <td>
                    {formatDate(a.departsAt, 'date')} → {formatDate(a.returnsAt, 'date')}
                  </td>
                  <td>
                    <Link to={`/police/tranquillite-vacances/${a.id}`}>{a.addressLabel}</Link>
                  </td>
                  <td>{a.residentName}</td>
                  <td>{formatDate(a.lastVisitAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}

const WEEKS = 4;
/** YYYY-MM-DD of a date in Paris. */
const parisDay = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

/**
 * The next four weeks, Monday first: how many homes are under watch each day,
 * each day a link to its patrol list. A table, so that a screen reader reads
 * the weekday of every cell from its column.
 */
function WatchCalendar({ watched }: { watched: Array<{ departsAt: string; returnsAt: string }> }) {
  const { t, locale } = useI18n();
  const start = new Date();
  // Back to the Monday of this week (at noon, clear of daylight-saving shifts).
  start.setHours(12, 0, 0, 0);
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7));
  const days = Array.from({ length: WEEKS * 7 }, (_, k) => {
    const d = new Date(start);
    d.setDate(start.getDate() + k);
    return d;
  });
  const count = (d: Date) => {
    const day = parisDay(d);
    return watched.filter(
      (a) => parisDay(new Date(a.departsAt)) <= day && parisDay(new Date(a.returnsAt)) >= day,
    ).length;
  };
  const tag = locale === 'en' ? 'en-GB' : 'fr-FR';
  const weekday = (d: Date, style: 'long' | 'short') => d.toLocaleDateString(tag, { weekday: style });
  const today = parisDay(new Date());
  return (
    <section aria-labelledby="tv-month">
      <h2 id="tv-month">{t('tv.console.month')}</h2>
      <div className="table-wrap">
        <table className="tv-calendar">
          <caption className="visually-hidden">{t('tv.console.monthCaption')}</caption>
          <thead>
            <tr>
              {days.slice(0, 7).map((d) => (
                <th key={d.getDay()} scope="col" abbr={weekday(d, 'long')}>
                  {weekday(d, 'short')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: WEEKS }, (_, w) => (
              <tr key={w}>
                {days.slice(w * 7, w * 7 + 7).map((d) => {
                  const day = parisDay(d);
                  const n = count(d);
                  const label = d.toLocaleDateString(tag, { day: 'numeric', month: 'short' });
                  return (
                    <td key={day} aria-current={day === today ? 'date' : undefined}>
                      {day < today ? (
                        <span className="meta">{label}</span>
                      ) : (
                        <Link to={`/police/tournee?date=${day}`}>
                          {label}
                          <br />
                          <span className={n > 0 ? '' : 'meta'}>{t('tv.patrol.homes', { count: n })}</span>
                        </Link>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const AbsenceDocument = graphql(`
  query TvAbsence($id: ID!) {
    tvAbsence(id: $id) {
      id
      status
      kind
      addressLabel
      departsAt
      returnsAt
      residentName
      doorCode
      keyHolders
      details {
        awayPhone
        awayAddress
        contactName
        contactPhone
        alarm
        alarmCompany
        presenceSimulation
        dwelling
        floor
        vehicles
        pets
        notes
        businessName
        businessActivity
        businessPhone
      }
      visits {
        id
        visitedAt
        outcome
        note
      }
    }
  }
`);

export function AbsencePage() {
  const { t, formatDate } = useI18n();
  const { id = '' } = useParams();
  const [{ data }] = useQuery({ query: AbsenceDocument, variables: { id } });
  if (!data) return <Loading />;
  const a = data.tvAbsence;
  if (!a) return <Page title={t('tv.detail.title')}>{null}</Page>;
  const rows: Array<[string, string | null | undefined]> = [
    [t('tv.console.resident'), a.residentName],
    [
      t('tv.console.period'),
      t('tv.mine.period', { from: formatDate(a.departsAt), to: formatDate(a.returnsAt) }),
    ],
    [t('tv.detail.doorCode'), a.doorCode],
    [t('tv.detail.keyHolders'), a.keyHolders],
    ...Object.entries(a.details)
      .filter(([k, v]) => k !== '__typename' && v !== null && v !== undefined)
      .map(([k, v]): [string, string] => [
        t(`tv.form.${k}`),
        typeof v === 'boolean'
          ? t(v ? 'tv.detail.yes' : 'tv.detail.no')
          : k === 'dwelling'
            ? t(`tv.form.dwelling.${v}`)
            : String(v),
      ]),
  ];
  return (
    <Page title={`${t('tv.detail.title')} — ${a.addressLabel}`}>
      <p className="meta">{t(`tv.status.${a.status}`)}</p>
      <h2>{t('tv.detail.details')}</h2>
      <dl>
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      <h2>{t('tv.mine.visits')}</h2>
      {a.visits.length === 0 ? <p>{t('tv.mine.noVisit')}</p> : null}
      <ul>
        {a.visits.map((v) => (
          <li key={v.id}>
            {formatDate(v.visitedAt)} — {t(`tv.outcome.${v.outcome}`)}
            {v.note ? ` : ${v.note}` : ''}
          </li>
        ))}
      </ul>
    </Page>
  );
}
