// The resident's page: their entries in the register (themselves, a relative)
// with « Je vais bien » and the withdrawal of consent, and volunteering: the
// offer, the people the CCAS paired them with (first name and contact only),
// « Nouvelles reçues », and today's contact when a plan is on.
import { useState } from 'react';
import { Link } from 'react-router';
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

const MineDocument = graphql(`
  query SolMine {
    solMyEntries {
      id
      firstName
      lastName
      forSelf
      intervalDays
      lastSignAt
      roundContactId
    }
    solMyVolunteering {
      volunteer
      availability
      people {
        id
        firstName
        contactMethod
        contact
        lastSignAt
        nextSignDueAt
        escalation
        roundContactId
      }
    }
  }
`);
const FineDocument = graphql(`
  mutation SolImFine {
    solImFine {
      lastSignAt
    }
  }
`);
const WithdrawDocument = graphql(`
  mutation SolWithdraw($id: ID!) {
    solWithdrawConsent(id: $id)
  }
`);
const OfferDocument = graphql(`
  mutation SolOffer($availability: String) {
    solOfferToVolunteer(availability: $availability) {
      volunteer
    }
  }
`);
const StepBackDocument = graphql(`
  mutation SolStepBack {
    solStepBack
  }
`);
const NewsDocument = graphql(`
  mutation SolNews($personId: ID!) {
    solNewsReceived(personId: $personId) {
      lastSignAt
    }
  }
`);
export const RecordContactDocument = graphql(`
  mutation SolRecordContact($contactId: ID!, $outcome: SolOutcome!) {
    solRecordContact(contactId: $contactId, outcome: $outcome) {
      id
      status
    }
  }
`);

export default function ResidentPage() {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const [{ data }, refetch] = useQuery({ query: MineDocument, requestPolicy: 'cache-and-network' });
  const [, fine] = useMutation(FineDocument);
  const [, withdraw] = useMutation(WithdrawDocument);
  const [, offer] = useMutation(OfferDocument);
  const [, stepBack] = useMutation(StepBackDocument);
  const [, news] = useMutation(NewsDocument);
  const [, record] = useMutation(RecordContactDocument);
  const errorMessage = useErrorMessage();
  const [availability, setAvailability] = useState('');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  if (!data) return <Loading />;
  const done = (text: string) => (r: { error?: Parameters<typeof errorMessage>[0] }) => {
    setMessage(r.error ? { kind: 'error', text: errorMessage(r.error) ?? '' } : { kind: 'success', text });
    refetch({ requestPolicy: 'network-only' });
  };
  const vol = data.solMyVolunteering;
  return (
    <Page title={t('sol.mine.title')} intro={<p>{t('sol.mine.intro')}</p>}>
      <div aria-live="polite">
        {message ? (
          <Notice kind={message.kind} role="status">
            <p>{message.text}</p>
          </Notice>
        ) : null}
      </div>
      {can('solidarite.register.join') ? (
        <section aria-labelledby="sol-entries">
          <h2 id="sol-entries">{t('sol.mine.entries')}</h2>
          {data.solMyEntries.length === 0 ? <p>{t('sol.mine.none')}</p> : null}
          <ul className="list">
            {data.solMyEntries.map((e) => (
              <li key={e.id} className="card">
                <h3>
                  {e.forSelf
                    ? t('sol.mine.self')
                    : t('sol.mine.relative', { name: `${e.firstName} ${e.lastName}` })}
                </h3>
                <p>
                  {t('sol.interval', { count: e.intervalDays })} ·{' '}
                  {t('sol.mine.lastNews', { date: formatDate(e.lastSignAt, 'datetime') })}
                </p>
                {e.roundContactId ? (
                  <Notice kind="warning">
                    <p>{t('sol.mine.roundOpen')}</p>
                  </Notice>
                ) : null}
                <div className="actions">
                  {e.forSelf ? (
                    <Button onPress={() => void fine({}).then(done(t('sol.mine.fineSaved')))}>
                      {t('sol.mine.imFine')}
                    </Button>
                  ) : null}
                  <Button
                    variant="danger"
                    onPress={() => {
                      if (window.confirm(t('sol.mine.withdrawConfirm')))
                        void withdraw({ id: e.id }).then(done(t('sol.mine.withdrawn')));
                    }}
                  >
                    {t('sol.mine.withdraw')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          <p>
            <Link className="btn secondary" to="/solidarite/inscrire">
              {t('sol.mine.join')}
            </Link>
          </p>
        </section>
      ) : null}
      {can('solidarite.volunteer.offer') ? (
        <section aria-labelledby="sol-vol">
          <h2 id="sol-vol">{t('sol.vol.title')}</h2>
          <p>{t('sol.vol.intro')}</p>
          {!vol.volunteer ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void offer({ availability: availability || null }).then(done(t('sol.vol.offered')));
              }}
            >
              <TextField
                name="availability"
                label={t('sol.vol.availability')}
                value={availability}
                onChange={setAvailability}
              />
              <div className="actions">
                <Button type="submit">{t('sol.vol.offer')}</Button>
              </div>
            </form>
          ) : (
            <>
              <h3>{t('sol.vol.people')}</h3>
              {vol.people.length === 0 ? <p>{t('sol.vol.nobody')}</p> : null}
              <ul className="list">
                {vol.people.map((p) => (
                  <li key={p.id} className="card">
                    <h4>{p.firstName}</h4>
                    <p>
                      {t(`sol.method.${p.contactMethod}`)} · {t('sol.vol.contact', { contact: p.contact })}
                    </p>
                    <p className={p.escalation === 'none' ? 'meta' : 'field-error'}>
                      {t(`sol.escalation.${p.escalation}`)} ·{' '}
                      {t('sol.vol.due', { date: formatDate(p.nextSignDueAt, 'datetime') })}
                    </p>
                    <div className="actions">
                      <Button
                        onPress={() =>
                          void news({ personId: p.id }).then(
                            done(t('sol.vol.newsSaved', { name: p.firstName })),
                          )
                        }
                      >
                        {t('sol.vol.news')}
                      </Button>
                      {p.roundContactId ? (
                        <>
                          <Button
                            variant="secondary"
                            onPress={() =>
                              void record({
                                contactId: p.roundContactId!,
                                outcome: p.contactMethod === 'visit' ? 'visited' : 'answered',
                              }).then(done(t('sol.vol.newsSaved', { name: p.firstName })))
                            }
                          >
                            {p.contactMethod === 'visit' ? t('sol.vol.visited') : t('sol.vol.reached')}
                          </Button>
                          <Button
                            variant="secondary"
                            onPress={() =>
                              void record({ contactId: p.roundContactId!, outcome: 'not_answered' }).then(
                                done(t('sol.ccas.saved')),
                              )
                            }
                          >
                            {t('sol.vol.notReached')}
                          </Button>
                        </>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
              <Button
                variant="quiet"
                onPress={() => {
                  if (window.confirm(t('sol.vol.stepBackConfirm')))
                    void stepBack({}).then(done(t('sol.ccas.saved')));
                }}
              >
                {t('sol.vol.stepBack')}
              </Button>
            </>
          )}
        </section>
      ) : null}
    </Page>
  );
}
