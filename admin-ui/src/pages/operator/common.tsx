// What the operator pages share: the platform host only, the operator's
// session (or the sign-in page), and the server's error codes in words.
import { useEffect, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../../shell/session.js';
import { useI18n } from '../../shell/i18n.js';
import { Loading, Page } from '../../shell/page.js';
import { Button } from '../../ds/index.js';
import { OperatorError, opCall, useOperatorSession, type OperatorSession } from './api.js';

export function errorText(t: (k: string, v?: Record<string, string | number>) => string, e: unknown): string {
  const err = e instanceof OperatorError ? e : new OperatorError('NETWORK', '');
  const key = `op.error.${err.code}`;
  const known = t(key, { message: err.message });
  return known !== key ? known.trim() : t('op.error.other', { message: err.message || err.code });
}

/** The page on the platform's host with a signed-in operator; else the sign-in page, or a word that this is the wrong host. */
export function OperatorPage(p: { title: string; children: (s: OperatorSession) => ReactNode }) {
  const { tenant, loading } = useSession();
  const { t } = useI18n();
  const { session } = useOperatorSession();
  const navigate = useNavigate();
  useEffect(() => {
    if (!tenant && session === null) void navigate('/operateur', { replace: true });
  }, [tenant, session, navigate]);
  if (loading) return <Loading />;
  if (tenant)
    return (
      <Page title={t('op.title')}>
        <p>{t('op.platformOnly')}</p>
      </Page>
    );
  if (!session) return <Loading />;
  return (
    <Page title={p.title}>
      <div className="btn-row">
        <p className="meta">{t('op.signedInAs', { email: session.email })}</p>
        <Button
          variant="secondary"
          onPress={() => {
            void opCall('POST', '/operator/logout', { csrf: session.csrfToken }).finally(() =>
              navigate('/operateur'),
            );
          }}
        >
          {t('op.signOut')}
        </Button>
      </div>
      {p.children(session)}
    </Page>
  );
}
