// "Mes alertes" with each alert's status history, one alert with the
// neighbours' answers ("j'ai vu aussi", "je peux aider"), and the live feed.
import { useEffect, useRef, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import {
  Button,
  Loading,
  Notice,
  Page,
  SeverityBadge,
  graphql,
  useErrorMessage,
  useI18n,
  type AlertClosure,
  type AlertStatus,
} from '@vigie/admin-ui/shell';

const MyAlertsDocument = graphql(`
  query MyAlerts {
    myAlerts(limit: 50) {
      items {
        id
        ref
        text
        status
        severity
        createdAt
        category {
          label
        }
        history {
          status
          at
          note
          closure
        }
        reactions {
          seenToo
          canHelp
        }
      }
    }
  }
`);
const AlertDocument = graphql(`
  query AlertDetail($id: ID!) {
    alert(id: $id) {
      id
      ref
      text
      status
      severity
      createdAt
      mine
      authorName
      photoUrl
      followsAlertId
      followUps {
        id
        kind
        text
        createdAt
      }
      category {
        label
      }
      history {
        status
        at
        note
        closure
      }
      reactions {
        seenToo
        canHelp
        mine
        neighbours {
          kind
          neighbour {
            displayName
          }
        }
      }
    }
  }
`);
const ReactDocument = graphql(`
  mutation ReactToNeighbourAlert($alertId: ID!, $kind: NeighbourReactionKind!) {
    reactToNeighbourAlert(alertId: $alertId, kind: $kind) {
      id
      reactions {
        seenToo
        canHelp
        mine
      }
    }
  }
`);
const StatusChangedDocument = graphql(`
  subscription MyAlertStatusChanged {
    alertStatusChanged {
      id
      status
    }
  }
`);

export function History({
  history,
}: {
  history: Array<{ status: AlertStatus; at: string; note?: string | null; closure?: AlertClosure | null }>;
}) {
  const { t, formatDate } = useI18n();
  return (
    <ol className="timeline" aria-label={t('vv.alerts.history')}>
      {history.map((h, i) => (
        <li key={i}>
          <strong>{t(`vv.status.${h.status}`)}</strong> · <span className="meta">{formatDate(h.at)}</span>
          {h.closure ? ` · ${t(`vv.closure.${h.closure}`)}` : ''}
          {h.note ? <p>{h.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export default function MyAlertsPage() {
  const { t, formatDate } = useI18n();
  const [{ data }, reload] = useQuery({ query: MyAlertsDocument, requestPolicy: 'cache-and-network' });
  const [changed] = useSubscription({ query: StatusChangedDocument });
  useEffect(() => {
    if (changed.data) reload({ requestPolicy: 'network-only' });
  }, [changed.data, reload]);
  if (!data) return <Loading />;
  const items = data.myAlerts.items;
  return (
    <Page title={t('vv.alerts.mineTitle')} intro={<p>{t('vv.alerts.mineIntro')}</p>}>
      <p>
        <Link to="/alerter" className="btn">
          {t('vv.menu.raise')}
        </Link>
      </p>
      {items.length === 0 ? <p>{t('vv.alerts.none')}</p> : null}
      <ul className="list">
        {items.map((a) => (
          <li key={a.id}>
            <h2 style={{ fontSize: '1.1rem' }}>
              <Link to={`/alertes/${a.id}`}>
                {a.category.label} · {a.ref}
              </Link>
            </h2>
            <p>
              <SeverityBadge severity={a.severity} label={t(`vv.severity.${a.severity}`)} />{' '}
              <span className="badge status">{t(`vv.status.${a.status}`)}</span>{' '}
              <span className="meta">{formatDate(a.createdAt)}</span>
            </p>
            <p>{a.text}</p>
            <p className="meta">
              {t('vv.alerts.reactionsCount', { seen: a.reactions.seenToo, help: a.reactions.canHelp })}
            </p>
            <History history={a.history} />
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function AlertPage() {
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const [{ data, fetching }, reload] = useQuery({
    query: AlertDocument,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching: reacting }, react] = useMutation(ReactDocument);
  const errorMessage = useErrorMessage();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [changed] = useSubscription({ query: StatusChangedDocument });
  useEffect(() => {
    if (changed.data?.alertStatusChanged.id === id) reload({ requestPolicy: 'network-only' });
  }, [changed.data, id, reload]);
  if (!data && fetching) return <Loading />;
  const a = data?.alert;
  if (!a) {
    return (
      <Page title={t('vv.alerts.notFound')}>
        <p>
          <Link to="/communaute">{t('vv.menu.community')}</Link>
        </p>
      </Page>
    );
  }
  // A follow-up's link (its SMS, its notification) opens the alert it follows, with the whole story.
  if (a.followsAlertId) return <Navigate to={`/alertes/${a.followsAlertId}`} replace />;
  const ended = a.followUps.some((f) => f.kind === 'end');
  const answer = (kind: 'seen_too' | 'can_help') => {
    void react({ alertId: a.id, kind }).then((r) => {
      if (r.error) setMessage({ kind: 'error', text: errorMessage(r.error) ?? '' });
      else
        setMessage({
          kind: 'success',
          text: t(kind === 'seen_too' ? 'vv.alerts.thanksSeen' : 'vv.alerts.thanksHelp'),
        });
      reload({ requestPolicy: 'network-only' });
    });
  };
  return (
    <Page title={`${a.category.label} · ${a.ref}`}>
      <p>
        <SeverityBadge severity={a.severity} label={t(`vv.severity.${a.severity}`)} />{' '}
        <span className="badge status">{t(`vv.status.${a.status}`)}</span>{' '}
        <span className="meta">
          {formatDate(a.createdAt)}
          {a.authorName ? ` · ${a.authorName}` : ''}
        </span>
      </p>
      <p style={{ whiteSpace: 'pre-wrap' }}>{a.text}</p>
      {ended ? (
        <Notice kind="success">
          <p>{t('vv.alerts.ended')}</p>
        </Notice>
      ) : null}
      {a.followUps.length ? (
        <section aria-labelledby="follow-ups-title">
          <h2 id="follow-ups-title">{t('vv.alerts.followUps')}</h2>
          <ol className="timeline" aria-label={t('vv.alerts.followUps')}>
            {a.followUps.map((f) => (
              <li key={f.id}>
                <strong>{t(`vv.followUp.kind.${f.kind}`)}</strong> ·{' '}
                <span className="meta">{formatDate(f.createdAt)}</span>
                <p style={{ whiteSpace: 'pre-wrap' }}>{f.text}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {a.photoUrl ? (
        <p>
          <a href={a.photoUrl}>{t('vv.alerts.photo')}</a>
        </p>
      ) : null}
      <section aria-labelledby="reactions-title">
        <h2 id="reactions-title">{t('vv.alerts.reactions')}</h2>
        <p data-testid="reaction-counts">
          {t('vv.alerts.reactionsCount', { seen: a.reactions.seenToo, help: a.reactions.canHelp })}
        </p>
        {a.reactions.neighbours?.length ? (
          <ul>
            {a.reactions.neighbours.map((n, i) => (
              <li key={i}>
                {n.neighbour.displayName} : {t(`vv.reaction.${n.kind}`)}
              </li>
            ))}
          </ul>
        ) : null}
        {message ? (
          <Notice kind={message.kind} role="status">
            <p>{message.text}</p>
          </Notice>
        ) : null}
        {!a.mine && a.status !== 'closed' ? (
          <div className="btn-row">
            <Button
              isDisabled={reacting || a.reactions.mine.includes('seen_too')}
              onPress={() => answer('seen_too')}
            >
              {a.reactions.mine.includes('seen_too') ? t('vv.alerts.seenDone') : t('vv.reaction.seen_too')}
            </Button>
            <Button
              variant="secondary"
              isDisabled={reacting || a.reactions.mine.includes('can_help')}
              onPress={() => answer('can_help')}
            >
              {a.reactions.mine.includes('can_help') ? t('vv.alerts.helpDone') : t('vv.reaction.can_help')}
            </Button>
          </div>
        ) : null}
      </section>
      <h2>{t('vv.alerts.history')}</h2>
      <History history={a.history} />
    </Page>
  );
}

// A resident's live feed follows their own in-app notifications: the delivery
// workflow writes one for each member an alert reaches, so the feed shows what
// this resident was sent (their community, the mairie's alerts down), no more.
const LiveDocument = graphql(`
  subscription LiveNotifications {
    inAppNotification {
      id
      kind
      link
    }
  }
`);
const FeedItemDocument = graphql(`
  query LiveFeedItem($id: ID!) {
    alert(id: $id) {
      id
      ref
      text
      severity
      status
      createdAt
      category {
        label
      }
    }
  }
`);

export interface FeedItem {
  id: string;
  ref: string;
  text: string;
  severity: string;
  status: string;
  createdAt: string;
  category: { label: string };
}

/**
 * New alerts of the community as they are raised. Announced to screen readers
 * by a polite live region; "Pause" stops both the list and the announcements
 * (RGAA 13.8), and what arrived meanwhile is shown on resume.
 */
export function LiveFeed({ initial }: { initial: FeedItem[] }) {
  const { t, formatDate } = useI18n();
  const [paused, setPaused] = useState(false);
  const [items, setItems] = useState<FeedItem[]>(initial);
  const [held, setHeld] = useState<FeedItem[]>([]);
  const [announce, setAnnounce] = useState('');
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const client = useClient();
  const [arrived, setArrived] = useState<FeedItem | null>(null);
  const [live] = useSubscription({ query: LiveDocument });
  useEffect(() => {
    const n = live.data?.inAppNotification;
    const id = n && n.kind.startsWith('alert') ? /^\/alertes\/([^/?#]+)/.exec(n.link ?? '')?.[1] : undefined;
    if (!id) return;
    void client
      .query(FeedItemDocument, { id }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        if (r.data?.alert) setArrived(r.data.alert);
      });
  }, [live.data, client]);
  useEffect(() => {
    const a = arrived;
    if (!a) return;
    if (pausedRef.current) setHeld((h) => (h.some((x) => x.id === a.id) ? h : [a, ...h]));
    else {
      setItems((list) => (list.some((x) => x.id === a.id) ? list : [a, ...list].slice(0, 30)));
      setAnnounce(
        t('vv.live.announce', {
          category: a.category.label,
          severity: t(`vv.severity.${a.severity}`),
          text: a.text.slice(0, 140),
        }),
      );
    }
  }, [arrived, t]);
  useEffect(() => {
    setItems((list) => {
      const ids = new Set(list.map((x) => x.id));
      return [...list, ...initial.filter((x) => !ids.has(x.id))];
    });
  }, [initial]);

  return (
    <section aria-labelledby="live-title" className="card">
      <h2 id="live-title">{t('vv.live.title')}</h2>
      <p className="meta">{paused ? t('vv.live.pausedHint') : t('vv.live.hint')}</p>
      <Button
        variant="secondary"
        aria-pressed={paused}
        onPress={() => {
          if (paused) {
            setItems((list) => [...held, ...list].slice(0, 30));
            if (held.length) setAnnounce(t('vv.live.resumed', { count: held.length }));
            setHeld([]);
          }
          setPaused(!paused);
        }}
      >
        {paused ? t('vv.live.resume') : t('vv.live.pause')}
      </Button>
      {paused && held.length ? <p>{t('vv.live.held', { count: held.length })}</p> : null}
      <div aria-live="polite" aria-atomic="true" className="visually-hidden" data-testid="live-announcer">
        {paused ? '' : announce}
      </div>
      {items.length === 0 ? <p>{t('vv.live.empty')}</p> : null}
      <ul className="list" data-testid="live-feed">
        {items.map((a) => (
          <li key={a.id} className="live-item">
            <p>
              <SeverityBadge severity={a.severity} label={t(`vv.severity.${a.severity}`)} />{' '}
              <Link to={`/alertes/${a.id}`}>
                {a.category.label} · {a.ref}
              </Link>{' '}
              <span className="meta">{formatDate(a.createdAt)}</span>
            </p>
            <p>{a.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
