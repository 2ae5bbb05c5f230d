// The home page block of a member, kept apart from the community page so the
// first route does not load that page.
import { Link } from 'react-router';
import { useI18n } from '@vigie/admin-ui/shell';

/** The home page block of a member: their community at a glance. */
export function CommunityHome() {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="home-vv">
      <h2 id="home-vv">{t('vv.home.title')}</h2>
      <p>{t('vv.home.text')}</p>
      <div className="btn-row">
        <Link to="/alerter" className="btn">
          {t('vv.menu.raise')}
        </Link>
        <Link to="/communaute" className="btn secondary">
          {t('vv.menu.community')}
        </Link>
        <Link to="/alertes" className="btn secondary">
          {t('vv.menu.myAlerts')}
        </Link>
      </div>
    </section>
  );
}
