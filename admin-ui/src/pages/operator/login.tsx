// The operator's sign-in on the platform's host: password and TOTP together,
// as POST /operator/login asks them.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Form } from 'react-aria-components';
import { Page, Loading } from '../../shell/page.js';
import { useI18n } from '../../shell/i18n.js';
import { useSession } from '../../shell/session.js';
import { Button, ErrorSummary, TextField } from '../../ds/index.js';
import { opCall, OperatorError } from './api.js';
import { errorText } from './common.js';

export default function OperatorLoginPage() {
  const { t } = useI18n();
  const { tenant, loading } = useSession();
  const navigate = useNavigate();
  const [v, setV] = useState({ email: '', password: '', totp: '' });
  const [errors, setErrors] = useState<Array<{ field?: string; message: string }>>([]);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (value: string) => setV((s) => ({ ...s, [k]: value }));
  if (loading) return <Loading />;
  if (tenant)
    return (
      <Page title={t('op.title')}>
        <p>{t('op.platformOnly')}</p>
      </Page>
    );
  const fieldError = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <Page title={t('op.loginTitle')} intro={<p>{t('op.loginIntro')}</p>}>
      <ErrorSummary title={t('op.errorsTitle')} errors={errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setErrors([]);
          opCall('POST', '/operator/login', { json: { ...v, totp: v.totp.replace(/\s/g, '') } })
            .then(() => navigate('/operateur/communes'))
            .catch((err: unknown) => {
              const code = err instanceof OperatorError ? err.code : 'NETWORK';
              const field = code === 'TOTP_INVALID' || code === 'VALIDATION_FAILED' ? 'totp' : 'password';
              setErrors([{ field, message: errorText(t, err) }]);
            })
            .finally(() => setBusy(false));
        }}
      >
        <TextField
          name="email"
          label={t('op.email')}
          type="email"
          autoComplete="username"
          value={v.email}
          onChange={set('email')}
          required
        />
        <TextField
          name="password"
          label={t('op.password')}
          type="password"
          autoComplete="current-password"
          value={v.password}
          onChange={set('password')}
          error={fieldError('password')}
          required
        />
        <TextField
          name="totp"
          label={t('op.totp')}
          hint={t('op.totpHint')}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          value={v.totp}
          onChange={set('totp')}
          error={fieldError('totp')}
          required
        />
        <Button type="submit" isDisabled={busy}>
          {busy ? t('op.signingIn') : t('op.signIn')}
        </Button>
      </Form>
    </Page>
  );
}
