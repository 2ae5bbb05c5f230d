// The commune's home: for a visitor what Vigie is and how to join; for a
// signed-in resident the blocks the enabled plugins contribute.
import { Link, useSearchParams } from 'react-router';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { useViewer } from '../shell/layout.js';
import { allowed } from '../shell/plugin.js';
import { uiEntries } from '../shell/registry.js';
import { Notice } from '../ds/index.js';

export default function HomePage() {
  const { t } = useI18n();
  const { tenant, me } = useSession();
  const viewer = useViewer();
  const [params] = useSearchParams();
  const name = tenant?.branding.displayName ?? tenant?.name ?? '';
  if (!tenant) {
    return (
      <Page title={t('home.noCommuneTitle')}>
        <p>{t('home.noCommune')}</p>
        <p>
          <Link to="/operateur">{t('home.operatorConsole')}</Link>
        </p>
      </Page>
    );
  }
  const blocks = uiEntries
    .flatMap((e) => (e.home ?? []).filter((b) => allowed(e.pluginId, b, viewer)))
    .sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
  return (
    <Page title={me ? t('home.welcome', { name: me.displayName }) : t('home.title', { commune: name })}>
      {params.get('compte') === 'supprime' ? (
        <Notice kind="success" role="status">
          <p>{t('data.deleted')}</p>
        </Notice>
      ) : null}
      {!me ? (
        <>
          <p>{t('home.pitch', { commune: name })}</p>
          <div className="btn-row">
            <Link to="/inscription" className="btn">
              {t('home.join')}
            </Link>
            <Link to="/connexion" className="btn secondary">
              {t('nav.login')}
            </Link>
          </div>
          <section className="emergency" aria-labelledby="home-emergency">
            <h2 id="home-emergency">{t('home.emergencyTitle')}</h2>
            <ul>
              <li>
                <a href="tel:17">{t('home.call17')}</a>
              </li>
              <li>
                <a href="tel:112">{t('home.call112')}</a>
              </li>
            </ul>
          </section>
        </>
      ) : (
        <>
          {!me.emailVerified || (me.phone && !me.phoneVerified) ? (
            <Notice kind="warning">
              <p>
                {t('home.verifyFirst')} <Link to="/compte/verification">{t('account.verification')}</Link>
              </p>
            </Notice>
          ) : null}
          {blocks.map((b, i) => {
            const C = b.component;
            return <C key={i} />;
          })}
        </>
      )}
    </Page>
  );
}
