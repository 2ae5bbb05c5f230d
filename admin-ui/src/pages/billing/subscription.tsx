// The commune's subscription, for its mairie admins: subscribe (yearly,
// invoiced with 30 days to pay, with what Chorus Pro needs), see the term, and
// stop at the end of the term in one click.
import { useCallback, useEffect, useState } from 'react';
import { Form } from 'react-aria-components';
import { Page, Loading } from '../../shell/page.js';
import { useI18n } from '../../shell/i18n.js';
import { Button, ErrorSummary, Notice, RadioGroup, TextField } from '../../ds/index.js';
import { ApiError, call, type Subscription } from './api.js';
import { euros } from './prices.js';
import { Invoices } from './invoices.js';

type Errors = Array<{ field?: string; message: string }>;

export default function SubscriptionPage() {
  const { t, locale, formatDate } = useI18n();
  const [sub, setSub] = useState<Subscription | null>(null);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<Errors>([]);
  const [busy, setBusy] = useState(false);
  const [v, setV] = useState({
    siret: '',
    serviceCode: '',
    commitmentNumber: '',
    email: '',
    population: '',
    payment: 'transfer',
  });
  // Back from Stripe Checkout: ?paiement=ok or ?paiement=annule.
  const back = new URLSearchParams(window.location.search).get('paiement');
  const set = (k: keyof typeof v) => (value: string) => setV((s) => ({ ...s, [k]: value }));

  const load = useCallback(() => {
    call<Subscription>('GET', '/billing/subscription').then(setSub, (e: ApiError) =>
      setErrors([{ message: t('pricing.error.other', { message: e.message }) }]),
    );
  }, [t]);
  useEffect(load, [load]);

  const failure = (e: unknown) => {
    const err = e instanceof ApiError ? e : new ApiError('NETWORK', t('error.NETWORK'));
    const key = `pricing.error.${err.code}`;
    const message = t(key) !== key ? t(key) : t('pricing.error.other', { message: err.message });
    setErrors([{ ...(err.field ? { field: err.field } : {}), message }]);
  };
  const run = async (fn: () => Promise<Subscription>) => {
    setBusy(true);
    setSaved(false);
    setErrors([]);
    try {
      setSub(await fn());
      setSaved(true);
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => errors.find((e) => e.field === name)?.message;

  if (!sub)
    return (
      <Page title={t('pricing.sub.title')}>
        {errors.length ? <ErrorSummary title={t('form.errorsTitle')} errors={errors} /> : <Loading />}
      </Page>
    );
  const open = sub.state === 'none' || sub.state === 'cancelled';
  const date = (iso: string | null) => (iso ? formatDate(iso) : '—');

  return (
    <Page title={t('pricing.sub.title')}>
      {saved ? (
        <Notice kind="success" role="status">
          <p>{t('pricing.sub.saved')}</p>
        </Notice>
      ) : null}
      {back === 'ok' && sub.state === 'none' ? (
        <Notice kind="info" role="status">
          <p>{t('pricing.sub.checkoutPending')}</p>
        </Notice>
      ) : null}
      {back === 'annule' && sub.state === 'none' ? (
        <Notice kind="info" role="status">
          <p>{t('pricing.sub.checkoutCancelled')}</p>
        </Notice>
      ) : null}
      <ErrorSummary title={t('form.errorsTitle')} errors={errors} />
      {open ? (
        <section aria-labelledby="subscribe-title">
          <p>{t('pricing.sub.none')}</p>
          <h2 id="subscribe-title">{t('pricing.sub.formTitle')}</h2>
          <Form
            validationBehavior="aria"
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                const r = await call<Subscription & { checkoutUrl?: string }>(
                  'POST',
                  '/billing/subscription',
                  {
                    siret: v.siret,
                    email: v.email,
                    payment: v.payment,
                    ...(v.serviceCode ? { serviceCode: v.serviceCode } : {}),
                    ...(v.commitmentNumber ? { commitmentNumber: v.commitmentNumber } : {}),
                    ...(v.population ? { population: Number(v.population) } : {}),
                  },
                );
                // Card or SEPA: Stripe Checkout takes over, and brings the admin back here.
                if (r.checkoutUrl) window.location.assign(r.checkoutUrl);
                return r;
              });
            }}
          >
            <TextField
              name="siret"
              label={t('pricing.sub.siret')}
              hint={t('pricing.sub.siretHint')}
              required
              inputMode="numeric"
              value={v.siret}
              onChange={set('siret')}
              error={fieldError('siret')}
            />
            <TextField
              name="serviceCode"
              label={t('pricing.sub.serviceCode')}
              hint={t('pricing.sub.serviceCodeHint')}
              value={v.serviceCode}
              onChange={set('serviceCode')}
              error={fieldError('serviceCode')}
            />
            <TextField
              name="commitmentNumber"
              label={t('pricing.sub.commitment')}
              hint={t('pricing.sub.commitmentHint')}
              value={v.commitmentNumber}
              onChange={set('commitmentNumber')}
              error={fieldError('commitmentNumber')}
            />
            <TextField
              name="email"
              type="email"
              autoComplete="email"
              label={t('pricing.sub.email')}
              required
              value={v.email}
              onChange={set('email')}
              error={fieldError('email')}
            />
            <TextField
              name="population"
              inputMode="numeric"
              label={t('pricing.sub.population')}
              hint={t('pricing.sub.populationHint')}
              value={v.population}
              onChange={set('population')}
              error={fieldError('population')}
            />
            <RadioGroup
              name="payment"
              label={t('pricing.sub.payment')}
              value={v.payment}
              onChange={set('payment')}
              options={[
                { value: 'transfer', label: t('pricing.sub.payment.transfer') },
                { value: 'card_or_sepa', label: t('pricing.sub.payment.card') },
              ]}
            />
            <Button type="submit" isDisabled={busy}>
              {t('pricing.sub.submit')}
            </Button>
          </Form>
        </section>
      ) : (
        <section aria-labelledby="current-title">
          <h2 id="current-title" className="visually-hidden">
            {t('pricing.sub.title')}
          </h2>
          <dl>
            <dt>{t('pricing.sub.state')}</dt>
            <dd>{t(`pricing.sub.state.${sub.state}`)}</dd>
            {sub.tier ? (
              <>
                <dt>{t('pricing.sub.price')}</dt>
                <dd>
                  {t('pricing.sub.priceValue', {
                    ht: euros(sub.tier.yearlyPriceCents, locale),
                    ttc: euros(Math.round(sub.tier.yearlyPriceCents * (1 + sub.vatRate)), locale),
                  })}
                </dd>
              </>
            ) : null}
            <dt>{t('pricing.sub.periodEnd')}</dt>
            <dd>{date(sub.currentPeriodEnd)}</dd>
            {sub.graceUntil ? (
              <>
                <dt>{t('pricing.sub.graceUntil')}</dt>
                <dd>{date(sub.graceUntil)}</dd>
              </>
            ) : null}
            <dt>{t('pricing.sub.chorus')}</dt>
            <dd>{[sub.siret, sub.serviceCode, sub.commitmentNumber].filter(Boolean).join(' · ')}</dd>
          </dl>
          <p>{sub.cancelAtPeriodEnd ? t('pricing.sub.endsAtTerm') : t('pricing.sub.renews')}</p>
          <Button
            variant={sub.cancelAtPeriodEnd ? 'primary' : 'secondary'}
            isDisabled={busy}
            onPress={() =>
              void run(() =>
                call<Subscription>('POST', '/billing/subscription/cancel-at-term', {
                  cancelAtTerm: !sub.cancelAtPeriodEnd,
                }),
              )
            }
          >
            {sub.cancelAtPeriodEnd ? t('pricing.sub.resume') : t('pricing.sub.cancel')}
          </Button>
        </section>
      )}
      <Invoices expectOne={sub.state === 'active'} />
      {sub.state !== 'none' ? (
        <section aria-labelledby="portal-title">
          <h2 id="portal-title">{t('pricing.portal.title')}</h2>
          <p>{t('pricing.portal.intro')}</p>
          <Button
            variant="secondary"
            isDisabled={busy}
            onPress={() => {
              setBusy(true);
              setErrors([]);
              call<{ url: string }>('POST', '/billing/portal').then(
                ({ url }) => window.location.assign(url),
                (e: unknown) => {
                  failure(e);
                  setBusy(false);
                },
              );
            }}
          >
            {t('pricing.portal.open')}
          </Button>
        </section>
      ) : null}
    </Page>
  );
}
