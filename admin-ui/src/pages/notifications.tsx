// The notification centre: the in-app notifications, newest first, the unread
// ones marked; new ones arrive live.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../shell/graphql.js';
import { Page, Loading } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { notificationsContext } from '../shell/client.js';
import { Button } from '../ds/index.js';

const NotificationsDocument = graphql(`
  query MyNotifications {
    myNotifications(limit: 50) {
      id
      kind
      title
      body
      link
      createdAt
      readAt
    }
    myUnreadNotificationCount
  }
`);
const MarkReadDocument = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`);
const LiveNotificationDocument = graphql(`
  subscription LiveNotification {
    inAppNotification {
      id
      title
    }
  }
`);

function localLink(link: string | null | undefined): string | null {
  if (!link) return null;
  try {
    const u = new URL(link, window.location.origin);
    return u.host === window.location.host ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}

export default function NotificationsPage() {
  const { t, formatDate } = useI18n();
  const [{ data }, reload] = useQuery({
    query: NotificationsDocument,
    requestPolicy: 'cache-and-network',
    context: notificationsContext,
  });
  const [, markRead] = useMutation(MarkReadDocument);
  const countRef = useRef<HTMLParagraphElement>(null);
  const [live] = useSubscription({ query: LiveNotificationDocument });
  useEffect(() => {
    if (live.data) reload({ requestPolicy: 'network-only' });
  }, [live.data, reload]);
  if (!data) return <Loading />;
  const unread = data.myUnreadNotificationCount;
  return (
    <Page title={t('notifications.title')}>
      <p role="status" tabIndex={-1} ref={countRef}>
        {t('notifications.unread', { count: unread })}
      </p>
      {unread > 0 ? (
        <Button
          variant="secondary"
          onPress={() => {
            // This page and the header's badge re-read themselves (notificationsContext).
            // The button goes once all is read: the focus moves to the count rather than being lost.
            void markRead({ ids: null }, notificationsContext).then(() => countRef.current?.focus());
          }}
        >
          {t('notifications.markAll')}
        </Button>
      ) : null}
      {data.myNotifications.length === 0 ? <p>{t('notifications.empty')}</p> : null}
      <ul className="list">
        {data.myNotifications.map((n) => {
          const to = localLink(n.link);
          return (
            <li key={n.id}>
              <h2 style={{ fontSize: '1.05rem', margin: 0 }}>
                {!n.readAt ? <span className="badge info">{t('notifications.new')}</span> : null} {n.title}
              </h2>
              <p>{n.body}</p>
              <p className="meta">
                {formatDate(n.createdAt)}
                {to ? (
                  <>
                    {' · '}
                    <Link
                      to={to}
                      onClick={() => {
                        if (!n.readAt) void markRead({ ids: [n.id] }, notificationsContext);
                      }}
                    >
                      {t('notifications.open')}
                      <span className="visually-hidden"> : {n.title}</span>
                    </Link>
                  </>
                ) : null}
              </p>
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
