// Events of the community, with an answer to each (yes, maybe, no).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Loading,
  Notice,
  Page,
  RadioGroup,
  graphql,
  useErrorMessage,
  useI18n,
  type RsvpAnswer,
} from '@vigie/admin-ui/shell';

const EventsDocument = graphql(`
  query CommunityEvents {
    communityEvents(limit: 20) {
      id
      title
      description
      place
      startsAt
      endsAt
      kindLabel
      cancelled
      cancelReason
      myRsvp
      organiser {
        displayName
      }
      rsvpCounts {
        yes
        maybe
        no
      }
    }
  }
`);
const RsvpDocument = graphql(`
  mutation RsvpEvent($eventId: ID!, $answer: RsvpAnswer!) {
    rsvpEvent(eventId: $eventId, answer: $answer) {
      id
      myRsvp
      rsvpCounts {
        yes
        maybe
        no
      }
    }
  }
`);

export default function EventsPage() {
  const { t, formatDate } = useI18n();
  const [{ data }] = useQuery({ query: EventsDocument, requestPolicy: 'cache-and-network' });
  const [, rsvp] = useMutation(RsvpDocument);
  const errorMessage = useErrorMessage();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  if (!data) return <Loading />;
  return (
    <Page title={t('vv.events.title')}>
      {message ? (
        <Notice kind={message.kind} role="status">
          <p>{message.text}</p>
        </Notice>
      ) : null}
      {data.communityEvents.length === 0 ? <p>{t('vv.events.none')}</p> : null}
      <ul className="list">
        {data.communityEvents.map((ev) => (
          <li key={ev.id}>
            <h2>{ev.title}</h2>
            <p className="meta">
              {ev.kindLabel} · {formatDate(ev.startsAt)} · {ev.place} ·{' '}
              {t('vv.events.by', { name: ev.organiser.displayName })}
            </p>
            {ev.cancelled ? (
              <Notice kind="warning">
                <p>{t('vv.events.cancelled', { reason: ev.cancelReason ?? '' })}</p>
              </Notice>
            ) : null}
            <p style={{ whiteSpace: 'pre-wrap' }}>{ev.description}</p>
            <p>{t('vv.events.counts', { yes: ev.rsvpCounts.yes, maybe: ev.rsvpCounts.maybe })}</p>
            {!ev.cancelled ? (
              <RadioGroup
                name={`rsvp-${ev.id}`}
                label={t('vv.events.rsvp', { title: ev.title })}
                value={ev.myRsvp ?? ''}
                onChange={(answer) => {
                  void rsvp({ eventId: ev.id, answer: answer as RsvpAnswer }).then((r) =>
                    setMessage(
                      r.error
                        ? { kind: 'error', text: errorMessage(r.error) ?? '' }
                        : { kind: 'success', text: t('vv.events.saved') },
                    ),
                  );
                }}
                options={(['yes', 'maybe', 'no'] as const).map((a) => ({
                  value: a,
                  label: t(`vv.rsvp.${a}`),
                }))}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}
