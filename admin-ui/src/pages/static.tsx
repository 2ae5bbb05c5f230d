// The accessibility statement and the privacy notice every public site owes.
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';

export function AccessibilityPage() {
  const { t } = useI18n();
  return (
    <Page title={t('a11y.title')}>
      <p>{t('a11y.status')}</p>
      <p>{t('a11y.how')}</p>
      <p>{t('a11y.contact')}</p>
    </Page>
  );
}

export function PrivacyPage() {
  const { t } = useI18n();
  const { tenant } = useSession();
  return (
    <Page title={t('privacy.title')}>
      <p>{t('privacy.controller', { commune: tenant?.name ?? '' })}</p>
      <p>{t('privacy.what')}</p>
      <p>{t('privacy.proofs')}</p>
      <p>{t('privacy.rights')}</p>
    </Page>
  );
}
