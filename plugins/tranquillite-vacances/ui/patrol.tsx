// The day's patrol list, made for an agent's phone and for paper: one card per
// home in the route's order, with its suggested time, and the visit logged
// from the card. Printed, it fits 20 homes on an A4 page.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Loading,
  Notice,
  Page,
  RadioGroup,
  TextField,
  graphql,
  useErrorMessage,
  useI18n,
  type TvVisitOutcome,
} from '@vigie/admin-ui/shell';

const PatrolDocument = graphql(`
  query TvPatrol($date: String) {
    tvPatrol(date: $date) {
      date
      stops {
        order
        suggestedTime
        visitedToday
        absence {
          id
          addressLabel
          doorCode
          details {
            dwelling
            floor
            contactName
            contactPhone
            alarmCompany
          }
        }
      }
    }
  }
`);
const LogVisitDocument = graphql(`
  mutation TvLogVisit($absenceId: ID!, $outcome: TvVisitOutcome!, $note: String) {
    logVisit(absenceId: $absenceId, outcome: $outcome, note: $note) {
      id
      visitedAt
      outcome
    }
  }
`);

const OUTCOMES: TvVisitOutcome[] = ['ras', 'open_window', 'forced_entry', 'letterbox', 'other'];
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

export default function PatrolPage() {
  const { t, formatDate } = useI18n();
  // The console's calendar links to a day: /police/tournee?date=YYYY-MM-DD.
  const [params] = useSearchParams();
  const asked = params.get('date');
  const [date, setDate] = useState(asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : today());
  const [{ data }, refetch] = useQuery({
    query: PatrolDocument,
    variables: { date },
    requestPolicy: 'cache-and-network',
  });
  const [, logVisit] = useMutation(LogVisitDocument);
  const errorMessage = useErrorMessage();
  const [outcomes, setOutcomes] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const title = t('tv.patrol.title', { date: formatDate(`${date}T12:00:00`, 'date') });
  return (
    <Page title={title}>
      <div className="tv-patrol-tools no-print">
        <TextField
          name="patrol-date"
          type="date"
          label={t('tv.patrol.date')}
          value={date}
          onChange={(v) => v && setDate(v)}
        />
        <Button variant="secondary" onPress={() => window.print()}>
          {t('tv.patrol.print')}
        </Button>
      </div>
      <div aria-live="polite">
        {message ? (
          <Notice kind={message.kind} role="status">
            <p>{message.text}</p>
          </Notice>
        ) : null}
      </div>
      {!data ? (
        <Loading />
      ) : data.tvPatrol.stops.length === 0 ? (
        <p>{t('tv.patrol.none')}</p>
      ) : (
        <>
          <p>{t('tv.patrol.homes', { count: data.tvPatrol.stops.length })}</p>
          <ol className="tv-patrol">
            {data.tvPatrol.stops.map((s) => {
              const a = s.absence;
              const d = a.details;
              return (
                <li key={a.id} className="tv-stop">
                  <h2>
                    {t('tv.patrol.stop', { order: s.order, time: s.suggestedTime, address: a.addressLabel })}
                  </h2>
                  <p className="meta">
                    {[
                      d.dwelling ? t(`tv.form.dwelling.${d.dwelling}`) : null,
                      d.floor,
                      a.doorCode ? `${t('tv.detail.doorCode')} : ${a.doorCode}` : null,
                      d.alarmCompany,
                      d.contactName && d.contactPhone
                        ? `${d.contactName} (${d.contactPhone})`
                        : d.contactName,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </p>
                  {s.visitedToday ? <p>✓ {t('tv.patrol.visited')}</p> : null}
                  <form
                    className="no-print"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void logVisit({
                        absenceId: a.id,
                        outcome: (outcomes[a.id] ?? 'ras') as TvVisitOutcome,
                        note: notes[a.id] ?? '',
                      }).then((r) => {
                        setMessage(
                          r.error
                            ? { kind: 'error', text: errorMessage(r.error) ?? '' }
                            : { kind: 'success', text: t('tv.patrol.logged') },
                        );
                        refetch({ requestPolicy: 'network-only' });
                      });
                    }}
                  >
                    <RadioGroup
                      name={`outcome-${a.id}`}
                      label={t('tv.patrol.outcome')}
                      value={outcomes[a.id] ?? 'ras'}
                      onChange={(v) => setOutcomes((o) => ({ ...o, [a.id]: v }))}
                      options={OUTCOMES.map((o) => ({ value: o, label: t(`tv.outcome.${o}`) }))}
                    />
                    <TextField
                      name={`note-${a.id}`}
                      label={t('tv.patrol.note')}
                      value={notes[a.id] ?? ''}
                      onChange={(v) => setNotes((n) => ({ ...n, [a.id]: v }))}
                    />
                    <Button type="submit">{t('tv.patrol.log')}</Button>
                  </form>
                </li>
              );
            })}
          </ol>
        </>
      )}
      <style>{PRINT_CSS}</style>
    </Page>
  );
}

// Paper: only the list, 20 homes to an A4 page, each home on one or two lines.
const PRINT_CSS = `
.tv-patrol { padding-left: 0; list-style: none; }
.tv-stop { border-bottom: 1px solid #ccc; padding: 0.5rem 0; }
.tv-stop h2 { font-size: 1.05rem; margin: 0; }
@media print {
  @page { size: A4; margin: 10mm; }
  .no-print, header, nav, footer { display: none !important; }
  .tv-stop { padding: 0; height: 12.5mm; overflow: hidden; break-inside: avoid; font-size: 9pt; }
  .tv-stop h2 { font-size: 10pt; }
  .tv-stop .meta { margin: 0; }
  .tv-stop:nth-child(20n) { break-after: page; }
}
`;
