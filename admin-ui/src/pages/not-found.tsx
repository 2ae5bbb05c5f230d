import { Link } from 'react-router';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </Page>
  );
}
