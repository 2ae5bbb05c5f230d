import { Link, useNavigate } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation } from 'urql';
import { graphql } from '../shell/graphql.js';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { useForm, type FormError } from '../shell/forms.js';
import { setCsrfToken } from '../shell/client.js';
import { Button, Checkbox, ErrorSummary, TextField } from '../ds/index.js';

const RegisterDocument = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      csrfToken
    }
  }
`);

export default function RegisterPage() {
  const { t, locale } = useI18n();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const f = useForm({ displayName: '', email: '', phone: '', password: '', consent: false });
  const [{ fetching }, register] = useMutation(RegisterDocument);

  const submit = async () => {
    const errors: FormError[] = [];
    const v = f.values;
    if (v.displayName.trim().length < 2)
      errors.push({ field: 'displayName', message: t('register.nameInvalid') });
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email.trim()))
      errors.push({ field: 'email', message: t('register.emailInvalid') });
    if (v.phone && !/^(\+33|0)[1-9](\s?\d{2}){4}$/.test(v.phone.trim()))
      errors.push({ field: 'phone', message: t('register.phoneInvalid') });
    if (v.password.length < 12) errors.push({ field: 'password', message: t('register.passwordShort') });
    if (!v.consent) errors.push({ field: 'consent', message: t('register.consentMissing') });
    f.setErrors(errors);
    if (errors.length) return;
    const r = await register({
      input: {
        displayName: v.displayName.trim(),
        email: v.email.trim(),
        phone: v.phone.trim() || null,
        password: v.password,
        locale,
      },
    });
    if (
      f.serverError(r.error, {
        'EMAIL_*': 'email',
        'PHONE_*': 'phone',
        'PASSWORD_*': 'password',
        DISPLAY_NAME_INVALID: 'displayName',
      })
    )
      return;
    setCsrfToken(r.data?.register.csrfToken);
    refresh();
    void navigate('/compte/verification');
  };

  return (
    <Page title={t('register.title')} intro={<p>{t('register.intro')}</p>}>
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="meta">{t('form.requiredHint')}</p>
        <TextField
          name="displayName"
          label={t('register.displayName')}
          hint={t('register.displayNameHint')}
          value={f.values.displayName}
          onChange={f.set('displayName')}
          autoComplete="name"
          error={f.fieldError('displayName')}
          required
        />
        <TextField
          name="email"
          type="email"
          label={t('register.email')}
          value={f.values.email}
          onChange={f.set('email')}
          autoComplete="email"
          error={f.fieldError('email')}
          required
        />
        <TextField
          name="phone"
          type="tel"
          label={t('register.phone')}
          hint={t('register.phoneHint')}
          value={f.values.phone}
          onChange={f.set('phone')}
          autoComplete="tel"
          error={f.fieldError('phone')}
        />
        <TextField
          name="password"
          type="password"
          label={t('register.password')}
          hint={t('register.passwordHint')}
          value={f.values.password}
          onChange={f.set('password')}
          autoComplete="new-password"
          error={f.fieldError('password')}
          required
        />
        <div className="field" id="field-consent">
          <Checkbox isSelected={f.values.consent} onChange={f.set('consent')} name="consent">
            {t('register.consent')} <Link to="/confidentialite">{t('footer.privacy')}</Link>
          </Checkbox>
          {f.fieldError('consent') ? <p className="field-error">{f.fieldError('consent')}</p> : null}
        </div>
        <div className="btn-row">
          <Button type="submit" isDisabled={fetching}>
            {t('register.submit')}
          </Button>
          <Link to="/connexion">{t('register.haveAccount')}</Link>
        </div>
      </Form>
    </Page>
  );
}
