// The community: who and how many, the referents, the charter to accept, the
// live feed of alerts, the latest posts and the coming events.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Button, Loading, Notice, Page, graphql, useErrorMessage, useI18n } from '@vigie/admin-ui/shell';
import { LiveFeed, type FeedItem } from './alerts.js';

const CommunityDocument = graphql(`
  query MyCommunityPage {
    myMembership {
      status
      request {
        id
        status
        createdAt
      }
      exclusion {
        id
        reason
      }
    }
    myCommunity {
      id
      name
      memberCount
      coverage {
        addresses
        households
        ratio
      }
      referents {
        id
        displayName
      }
      latestAlerts(limit: 10) {
        id
        ref
        text
        severity
        status
        createdAt
        seenToo
        canHelp
        category {
          label
        }
      }
      latestThreads(limit: 5) {
        id
        title
        categoryLabel
        commentCount
        lastActivityAt
      }
      upcomingEvents(limit: 3) {
        id
        title
        startsAt
        place
      }
    }
    communityCharter {
      version
      text
      accepted
      acceptedAt
    }
  }
`);
const AcceptCharterDocument = graphql(`
  mutation AcceptCharter($version: String!) {
    acceptCharter(version: $version) {
      accepted
      acceptedAt
    }
  }
`);

export default function CommunityPage() {
  const { t, locale, formatDate } = useI18n();
  const [{ data, error }, reload] = useQuery({
    query: CommunityDocument,
    requestPolicy: 'cache-and-network',
  });
  const [, accept] = useMutation(AcceptCharterDocument);
  const errorMessage = useErrorMessage();
  const [charterError, setCharterError] = useState<string | null>(null);
  if (!data && !error) return <Loading />;
  const c = data?.myCommunity;
  if (!c) {
    return (
      <Page title={t('vv.community.title')}>
        <Notice>
          <p>{t(`vv.community.status.${data?.myMembership.status ?? 'none'}`)}</p>
          <p>
            <Link to="/mon-adresse">{t('vv.community.toAddress')}</Link>
          </p>
        </Notice>
      </Page>
    );
  }
  const charter = data?.communityCharter;
  const feed: FeedItem[] = c.latestAlerts.map((a) => ({ ...a }));
  return (
    <Page title={c.name}>
      <p>
        {t('vv.community.members', { count: c.memberCount })}
        {c.coverage.ratio !== null && c.coverage.ratio !== undefined
          ? ` · ${t('vv.community.coverage', { percent: new Intl.NumberFormat(locale, { maximumFractionDigits: c.coverage.ratio < 0.1 ? 1 : 0 }).format(c.coverage.ratio * 100), households: c.coverage.households, addresses: c.coverage.addresses })}`
          : ''}
      </p>
      <p>
        {c.referents.length
          ? t('vv.community.referents', { names: c.referents.map((r) => r.displayName).join(', ') })
          : t('vv.community.noReferent')}
      </p>
      <div className="btn-row">
        <Link to="/alerter" className="btn">
          {t('vv.menu.raise')}
        </Link>
        <Link to="/communaute/discussions" className="btn secondary">
          {t('vv.menu.discussions')}
        </Link>
        <Link to="/communaute/evenements" className="btn secondary">
          {t('vv.menu.events')}
        </Link>
        <Link to="/messages" className="btn secondary">
          {t('vv.menu.messages')}
        </Link>
      </div>
      {charter && !charter.accepted ? (
        <section className="card" aria-labelledby="charter-title">
          <h2 id="charter-title">{t('vv.charter.title', { version: charter.version })}</h2>
          <div style={{ whiteSpace: 'pre-wrap' }}>{charter.text}</div>
          {charterError ? (
            <Notice kind="error" role="alert">
              <p>{charterError}</p>
            </Notice>
          ) : null}
          <Button
            onPress={() => {
              void accept({ version: charter.version }).then((r) => {
                if (r.error) setCharterError(errorMessage(r.error) ?? '');
                else reload({ requestPolicy: 'network-only' });
              });
            }}
          >
            {t('vv.charter.accept')}
          </Button>
        </section>
      ) : charter ? (
        <p className="meta">
          {t('vv.charter.accepted', {
            version: charter.version,
            date: formatDate(charter.acceptedAt, 'date'),
          })}
        </p>
      ) : null}
      <LiveFeed initial={feed} />
      <div className="grid">
        <section className="card" aria-labelledby="threads-title">
          <h2 id="threads-title">{t('vv.community.latestThreads')}</h2>
          {c.latestThreads.length === 0 ? <p>{t('vv.threads.none')}</p> : null}
          <ul className="list">
            {c.latestThreads.map((th) => (
              <li key={th.id}>
                <Link to={`/communaute/discussions/${th.id}`}>{th.title}</Link>
                <p className="meta">
                  {th.categoryLabel} · {t('vv.threads.comments', { count: th.commentCount })}
                </p>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="events-title">
          <h2 id="events-title">{t('vv.community.upcomingEvents')}</h2>
          {c.upcomingEvents.length === 0 ? <p>{t('vv.events.none')}</p> : null}
          <ul className="list">
            {c.upcomingEvents.map((ev) => (
              <li key={ev.id}>
                <Link to="/communaute/evenements">{ev.title}</Link>
                <p className="meta">
                  {formatDate(ev.startsAt)} · {ev.place}
                </p>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Page>
  );
}
