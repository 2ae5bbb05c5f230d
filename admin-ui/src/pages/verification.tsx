// Verifying the e-mail (a link) and the phone (a code by SMS).
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation } from 'urql';
import { graphql } from '../shell/graphql.js';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { useErrorMessage, useForm } from '../shell/forms.js';
import { Button, ErrorSummary, Notice, TextField } from '../ds/index.js';
import { DevOutbox } from './dev-outbox.js';

const SendPhoneCodeDocument = graphql(`
  mutation SendPhoneCode {
    sendPhoneCode
  }
`);
const VerifyPhoneDocument = graphql(`
  mutation VerifyPhone($code: String!) {
    verifyPhone(code: $code)
  }
`);
const ResendEmailDocument = graphql(`
  mutation ResendEmailVerification {
    resendEmailVerification
  }
`);
const VerifyEmailDocument = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token)
  }
`);

export default function VerificationPage() {
  const { t } = useI18n();
  const { me, refresh } = useSession();
  const f = useForm({ code: '' });
  const [sent, setSent] = useState<string | null>(null);
  const [, sendCode] = useMutation(SendPhoneCodeDocument);
  const [{ fetching }, verifyPhone] = useMutation(VerifyPhoneDocument);
  const [, resendEmail] = useMutation(ResendEmailDocument);
  const errorMessage = useErrorMessage();
  if (!me) return null;

  return (
    <Page title={t('verify.title')} intro={<p>{t('verify.intro')}</p>}>
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      {sent ? (
        <Notice kind="success" role="status">
          <p>{sent}</p>
        </Notice>
      ) : null}
      <section className="card" aria-labelledby="email-title">
        <h2 id="email-title">{t('verify.email')}</h2>
        {me.emailVerified ? (
          <p>
            <span aria-hidden="true">✓ </span>
            {t('verify.emailDone', { email: me.email })}
          </p>
        ) : (
          <>
            <p>{t('verify.emailTodo', { email: me.email })}</p>
            <Button
              variant="secondary"
              onPress={() => {
                void resendEmail({}).then((r) =>
                  r.error ? f.serverError(r.error) : setSent(t('verify.emailResent')),
                );
              }}
            >
              {t('verify.emailResend')}
            </Button>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="phone-title">
        <h2 id="phone-title">{t('verify.phone')}</h2>
        {!me.phone ? (
          <p>{t('verify.noPhone')}</p>
        ) : me.phoneVerified ? (
          <p>
            <span aria-hidden="true">✓ </span>
            {t('verify.phoneDone', { phone: me.phone })}
          </p>
        ) : (
          <>
            <p>{t('verify.phoneTodo', { phone: me.phone })}</p>
            <Button
              variant="secondary"
              onPress={() => {
                void sendCode({}).then((r) => {
                  if (r.error) f.setErrors([{ message: errorMessage(r.error) ?? '' }]);
                  else setSent(t('verify.codeSent'));
                });
              }}
            >
              {t('verify.sendCode')}
            </Button>
            <Form
              validationBehavior="aria"
              onSubmit={(e) => {
                e.preventDefault();
                if (!/^\d{6}$/.test(f.values.code.trim())) {
                  f.setErrors([{ field: 'code', message: t('verify.codeInvalid') }]);
                  return;
                }
                void verifyPhone({ code: f.values.code.trim() }).then((r) => {
                  if (f.serverError(r.error, { '*': 'code' })) return;
                  f.setErrors([]);
                  setSent(t('verify.phoneVerified'));
                  refresh();
                });
              }}
            >
              <TextField
                name="code"
                label={t('verify.code')}
                hint={t('verify.codeHint')}
                value={f.values.code}
                onChange={f.set('code')}
                inputMode="numeric"
                autoComplete="one-time-code"
                error={f.fieldError('code')}
              />
              <Button type="submit" isDisabled={fetching}>
                {t('verify.submitCode')}
              </Button>
            </Form>
          </>
        )}
      </section>
      <p className="btn-row">
        <Link to="/mon-adresse" className="btn">
          {t('verify.next')}
        </Link>
      </p>
      <DevOutbox recipient={me.email} />
      {me.phone ? <DevOutbox recipient={me.phone} /> : null}
    </Page>
  );
}

/** /verifier-email?token=…: the link of the verification e-mail. */
export function VerifyEmailPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, verify] = useMutation(VerifyEmailDocument);
  const errorMessage = useErrorMessage();
  useEffect(() => {
    if (token) void verify({ token }).then(() => refresh());
  }, [token, verify, refresh]);
  return (
    <Page title={t('verify.emailPageTitle')}>
      {state.fetching || (!state.data && !state.error && token) ? (
        <p role="status">{t('common.loading')}</p>
      ) : state.data?.verifyEmail ? (
        <Notice kind="success" role="status">
          <p>{t('verify.emailVerified')}</p>
          <p>
            <Link to="/compte/verification">{t('verify.backToVerification')}</Link>
          </p>
        </Notice>
      ) : (
        <Notice kind="error" role="alert">
          <p>{token ? errorMessage(state.error) : t('verify.noToken')}</p>
        </Notice>
      )}
    </Page>
  );
}
