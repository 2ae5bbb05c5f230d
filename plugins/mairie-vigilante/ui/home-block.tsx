// The staff's home page leads to the console first.
import { Link } from 'react-router';
import { useI18n } from '@vigie/admin-ui/shell';

export function ConsoleHome() {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="mv-home">
      <h2 id="mv-home">{t('mv.home.title')}</h2>
      <p>{t('mv.home.text')}</p>
      <p>
        <Link to="/console" className="btn">
          {t('mv.home.open')}
        </Link>
      </p>
    </section>
  );
}
