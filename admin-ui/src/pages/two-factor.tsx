// Staff two-factor authentication (TOTP): the secret as a QR code to scan and
// as a text key to type, then the first code from the app to confirm it. The
// server refuses staff features until it is done (TOTP_SETUP_REQUIRED), and
// asks for a code at each login afterwards.
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation } from 'urql';
import { renderSVG } from 'uqr';
import { graphql } from '../shell/graphql.js';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { useErrorMessage, useForm } from '../shell/forms.js';
import { Button, ErrorSummary, Notice, TextField } from '../ds/index.js';
import { setCsrfToken } from '../shell/client.js';
import { safeNext } from './login.js';
import { isStaff } from './staff.js';

const SetupTotpDocument = graphql(`
  mutation SetupTotp {
    setupTotp {
      secret
      otpauthUri
    }
  }
`);
const EnableTotpDocument = graphql(`
  mutation EnableTotp($code: String!) {
    enableTotp(code: $code)
  }
`);
const RecoveryCodesDocument = graphql(`
  mutation IssueTotpRecoveryCodes {
    issueTotpRecoveryCodes
  }
`);

/** The key in groups of four, as authenticator apps show it: easier to read out and type. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export default function TwoFactorPage() {
  const { t } = useI18n();
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('suite'));
  const errorMessage = useErrorMessage();
  const [setup, runSetup] = useMutation(SetupTotpDocument);
  const [{ fetching }, enable] = useMutation(EnableTotpDocument);
  const [, issueCodes] = useMutation(RecoveryCodesDocument);
  const [done, setDone] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const f = useForm({ code: '' });
  const secret = setup.data?.setupTotp;
  const qr = useMemo(
    () =>
      secret
        ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(secret.otpauthUri, { border: 2 }))}`
        : null,
    [secret],
  );
  if (!me) return null;

  // Shown once: the server keeps only their hashes.
  if (codes) {
    return (
      <Page title={t('totp.codesTitle')}>
        <Notice kind="success" role="status">
          <p>{t('totp.enabled')}</p>
        </Notice>
        <p>{t('totp.codesIntro')}</p>
        <ol className="totp-codes" aria-label={t('totp.codesTitle')}>
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div className="btn-row">
          <Button
            onPress={() => {
              setCodes(null);
              setDone(true);
              if (params.get('suite')) void navigate(next);
            }}
          >
            {t('totp.codesNoted')}
          </Button>
        </div>
      </Page>
    );
  }

  if (done || me.secondFactor === 'verified') {
    return (
      <Page title={t('totp.title')}>
        <Notice kind="success" role="status">
          <p>{t(done ? 'totp.enabled' : 'totp.alreadyOn')}</p>
        </Notice>
        <p>
          <Link to={next}>{t(next === '/' ? 'nav.home' : 'totp.continue')}</Link>
        </p>
        {me.secondFactor === 'verified' ? (
          <Button
            variant="secondary"
            onPress={() => void issueCodes({}).then((r) => r.data && setCodes(r.data.issueTotpRecoveryCodes))}
          >
            {t('totp.newCodes')}
          </Button>
        ) : null}
      </Page>
    );
  }

  const submit = async () => {
    if (!/^\d{6}$/.test(f.values.code.replace(/\s/g, ''))) {
      f.setErrors([{ field: 'code', message: t('login.codeInvalid') }]);
      return;
    }
    f.setErrors([]);
    const r = await enable({ code: f.values.code.replace(/\s/g, '') });
    if (f.serverError(r.error, { TOTP_INVALID: 'code', '*': 'code' })) return;
    // The live socket was opened before the second factor: reopen it, or subscriptions stay refused.
    setCsrfToken(me.csrfToken);
    const issued = await issueCodes({});
    refresh();
    if (issued.data) setCodes(issued.data.issueTotpRecoveryCodes);
    else {
      setDone(true);
      if (params.get('suite')) void navigate(next);
    }
  };

  return (
    <Page title={t('totp.title')} intro={<p>{t('totp.intro')}</p>}>
      {isStaff(me.roles) && me.secondFactor === 'none' ? (
        <Notice kind="warning">
          <p>{t('totp.required')}</p>
        </Notice>
      ) : null}
      {!secret ? (
        <>
          {setup.error ? (
            <Notice kind="error" role="alert">
              <p>{errorMessage(setup.error)}</p>
            </Notice>
          ) : null}
          <ol className="steps">
            <li>{t('totp.step1')}</li>
            <li>{t('totp.step2')}</li>
            <li>{t('totp.step3')}</li>
          </ol>
          <Button onPress={() => void runSetup({})} isDisabled={setup.fetching}>
            {t('totp.start')}
          </Button>
        </>
      ) : (
        <>
          <section className="card" aria-labelledby="totp-scan">
            <h2 id="totp-scan">{t('totp.scanTitle')}</h2>
            <img src={qr!} alt={t('totp.qrAlt')} width={200} height={200} className="qr" />
            <p>{t('totp.keyIntro')}</p>
            <p>
              <code className="totp-key" aria-label={t('totp.keyLabel')}>
                {groupKey(secret.secret)}
              </code>
            </p>
          </section>
          <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
            validationBehavior="aria"
          >
            <TextField
              name="code"
              label={t('login.code')}
              hint={t('totp.codeHint')}
              value={f.values.code}
              onChange={f.set('code')}
              autoComplete="one-time-code"
              inputMode="numeric"
              error={f.fieldError('code')}
              required
            />
            <div className="btn-row">
              <Button type="submit" isDisabled={fetching}>
                {t('totp.confirm')}
              </Button>
            </div>
          </Form>
        </>
      )}
    </Page>
  );
}
