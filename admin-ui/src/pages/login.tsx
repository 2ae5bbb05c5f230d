import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation } from 'urql';
import { graphql } from '../shell/graphql.js';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { useForm } from '../shell/forms.js';
import { setCsrfToken } from '../shell/client.js';
import { Button, ErrorSummary, TextField, Notice } from '../ds/index.js';
import { isStaff } from './staff.js';

const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      csrfToken
      secondFactorRequired
      me {
        secondFactor
        roles {
          role
        }
      }
    }
  }
`);
const VerifyTotpDocument = graphql(`
  mutation VerifyTotp($code: String!) {
    verifyTotp(code: $code)
  }
`);

/** Only a path of this site: `?suite=` must not send anyone elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function LoginPage() {
  const { t } = useI18n();
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('suite'));
  const f = useForm({ email: '', password: '', code: '' });
  const [{ fetching }, login] = useMutation(LoginDocument);
  const [, verifyTotp] = useMutation(VerifyTotpDocument);
  const [needsCode, setNeedsCode] = useState(false);

  // Signed in (just now, or already) with somewhere to go back to: go there.
  if (me && !needsCode && params.get('suite')) return <Navigate to={next} replace />;
  if (me && !needsCode) {
    return (
      <Page title={t('login.title')}>
        <Notice kind="success">
          <p>{t('login.already', { name: me.displayName })}</p>
          <p>
            <Link to="/">{t('nav.home')}</Link>
          </p>
        </Notice>
      </Page>
    );
  }

  const submit = async () => {
    const errors = [];
    if (!needsCode) {
      if (!f.values.email.includes('@')) errors.push({ field: 'email', message: t('login.emailInvalid') });
      if (!f.values.password) errors.push({ field: 'password', message: t('login.passwordMissing') });
    } else if (
      !/^\d{6}$/.test(f.values.code.trim()) &&
      !/^[a-z2-9]{5}-[a-z2-9]{5}$/i.test(f.values.code.trim())
    )
      errors.push({ field: 'code', message: t('login.codeInvalid') });
    f.setErrors(errors);
    if (errors.length) return;
    if (needsCode) {
      const r = await verifyTotp({ code: f.values.code.trim() });
      if (f.serverError(r.error, { TOTP_INVALID: 'code', '*': 'code' })) return;
      refresh();
      void navigate(next);
      return;
    }
    const r = await login({ email: f.values.email.trim(), password: f.values.password });
    if (f.serverError(r.error, { UNAUTHENTICATED: 'password' })) return;
    setCsrfToken(r.data?.login.csrfToken);
    if (r.data?.login.secondFactorRequired) {
      setNeedsCode(true);
      return;
    }
    refresh();
    // Staff without two-factor authentication set it up first: the server refuses them staff features until then.
    const me = r.data?.login.me;
    if (me && me.secondFactor === 'none' && isStaff(me.roles)) {
      void navigate(`/compte/double-authentification?suite=${encodeURIComponent(next)}`);
      return;
    }
    void navigate(next);
  };

  return (
    <Page title={t('login.title')}>
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        validationBehavior="aria"
      >
        {needsCode ? (
          <TextField
            name="code"
            label={t('login.code')}
            hint={t('login.codeHint')}
            value={f.values.code}
            onChange={f.set('code')}
            autoComplete="one-time-code"
            error={f.fieldError('code')}
            required
            autoFocus
          />
        ) : (
          <>
            <TextField
              name="email"
              type="email"
              label={t('login.email')}
              value={f.values.email}
              onChange={f.set('email')}
              autoComplete="email"
              error={f.fieldError('email')}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t('login.password')}
              value={f.values.password}
              onChange={f.set('password')}
              autoComplete="current-password"
              error={f.fieldError('password')}
              required
            />
          </>
        )}
        <div className="btn-row">
          <Button type="submit" isDisabled={fetching}>
            {t('login.submit')}
          </Button>
          <Link to="/inscription">{t('login.noAccount')}</Link>
        </div>
      </Form>
    </Page>
  );
}
