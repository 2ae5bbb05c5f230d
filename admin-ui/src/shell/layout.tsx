// The frame of every page: skip link, the commune's header (logo, name, the
// language switch, the account), the menu the user may use, the footer.
import { useEffect, useMemo, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { graphql } from './graphql.js';
import { useSession } from './session.js';
import { useI18n } from './i18n.js';
import { allowed, type PluginUi, type Viewer } from './plugin.js';
import { notificationsContext } from './client.js';
import { Button, Icon } from '../ds/index.js';

const UnreadDocument = graphql(`
  query Unread {
    myUnreadNotificationCount
  }
`);
const NotificationArrivedDocument = graphql(`
  subscription NotificationArrived {
    inAppNotification {
      id
    }
  }
`);

export function useViewer(): Viewer {
  const { tenant, me } = useSession();
  return useMemo(
    () => ({
      enabledPlugins: tenant?.enabledPlugins ?? [],
      signedIn: !!me,
      permissions: me?.permissionsAnyScope ?? [],
    }),
    [tenant, me],
  );
}

function UnreadBadge() {
  const { t } = useI18n();
  const [{ data }, reload] = useQuery({
    query: UnreadDocument,
    requestPolicy: 'cache-and-network',
    context: notificationsContext,
  });
  // The notification centre's count follows new notifications without a reload.
  const [arrived] = useSubscription({ query: NotificationArrivedDocument });
  const lastId = arrived.data?.inAppNotification.id;
  useEffect(() => {
    if (lastId) reload({ requestPolicy: 'network-only' });
  }, [lastId, reload]);
  const n = data?.myUnreadNotificationCount ?? 0;
  return (
    <Link to="/notifications" className="btn secondary" data-testid="notifications-link">
      <Icon name="bell" />
      {t('nav.notifications')}
      {n > 0 ? (
        <span className="badge count">
          {n}
          <span className="visually-hidden"> {t('nav.unread', { count: n })}</span>
        </span>
      ) : null}
    </Link>
  );
}

export function Layout(p: { entries: PluginUi[]; children: ReactNode }) {
  const { tenant, me, logout } = useSession();
  const { t, locale, setLocale } = useI18n();
  const viewer = useViewer();
  const navigate = useNavigate();
  const items = p.entries
    .flatMap((e) => e.menu.filter((m) => allowed(e.pluginId, m, viewer)))
    .sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
  // One current item: the most specific one whose path the page is under
  // (« Alerter la population » on /console/alerter, not « Console en direct » too).
  const { pathname } = useLocation();
  const current = items
    .filter((m) => pathname === m.to || (m.to !== '/' && pathname.startsWith(`${m.to}/`)))
    .sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const name = tenant?.branding.displayName ?? tenant?.name ?? t('app.name');
  const other = locale === 'fr' ? 'en' : 'fr';
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      {/* From the catalogue, not the server's `banner`: it follows a switch of language at once. */}
      {tenant?.status === 'suspended' ? (
        <div className="banner" role="status">
          {t('banner.suspended', { name })}
        </div>
      ) : null}
      <header className="header">
        <div className="header-inner">
          <Link to="/" className="brand">
            {tenant?.branding.logoUrl ? <img src={tenant.branding.logoUrl} alt="" /> : null}
            <span>
              {name}
              <span className="visually-hidden"> – {t('nav.home')}</span>
            </span>
          </Link>
          <div className="header-tools">
            <Button variant="secondary" onPress={() => setLocale(other)} aria-label={t('nav.languageLabel')}>
              <span lang={other}>{t('nav.otherLanguage')}</span>
            </Button>
            {me ? (
              <>
                <UnreadBadge />
                <Link to="/compte" className="btn secondary">
                  {me.displayName}
                </Link>
                <Button
                  variant="secondary"
                  onPress={() => {
                    void logout().then(() => navigate('/'));
                  }}
                >
                  {t('nav.logout')}
                </Button>
              </>
            ) : !tenant ? null : (
              // Accounts belong to a commune: the platform's own host has none to sign in to (its operators use /operateur).
              <>
                <Link to="/connexion" className="btn secondary">
                  {t('nav.login')}
                </Link>
                <Link to="/inscription" className="btn secondary">
                  {t('nav.register')}
                </Link>
              </>
            )}
          </div>
        </div>
      </header>
      {items.length > 0 ? (
        <nav className="nav" aria-label={t('nav.main')}>
          <ul>
            {items.map((m) => (
              <li key={m.to}>
                <Link to={m.to} aria-current={m.to === current ? 'page' : undefined}>
                  {t(m.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        {p.children}
      </main>
      <footer className="footer">
        <ul>
          <li>
            <Link to="/accessibilite">{t('footer.accessibility')}</Link>
          </li>
          <li>
            <Link to="/confidentialite">{t('footer.privacy')}</Link>
          </li>
          <li>{t('footer.madeWith')}</li>
        </ul>
      </footer>
    </>
  );
}
