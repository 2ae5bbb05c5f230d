// The public price list: what a commune pays, before it asks anyone.
import { useEffect, useState } from 'react';
import { Page, Loading } from '../../shell/page.js';
import { useI18n } from '../../shell/i18n.js';
import { Notice } from '../../ds/index.js';
import { call, type PriceList, type Tier } from './api.js';

export function euros(cents: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}

export default function PricesPage() {
  const { t, locale } = useI18n();
  const [list, setList] = useState<PriceList | null | 'error'>(null);
  useEffect(() => {
    call<PriceList>('GET', '/billing/prices').then(setList, () => setList('error'));
  }, []);
  const n = (v: number) => v.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB');
  const band = (tier: Tier) =>
    tier.minPopulation === 0 && tier.maxPopulation !== null
      ? t('pricing.prices.below', { max: n(tier.maxPopulation + 1) })
      : tier.maxPopulation === null
        ? t('pricing.prices.above', { min: n(tier.minPopulation) })
        : t('pricing.prices.between', { min: n(tier.minPopulation), max: n(tier.maxPopulation) });
  return (
    <Page title={t('pricing.prices.title')} intro={<p>{t('pricing.prices.intro')}</p>}>
      {list === null ? <Loading /> : null}
      {list === 'error' ? (
        <Notice kind="error" role="alert">
          <p>{t('pricing.prices.unavailable')}</p>
        </Notice>
      ) : null}
      {list && list !== 'error' ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption>{t('pricing.prices.caption', { vat: n(list.vatRate * 100) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('pricing.prices.population')}</th>
                <th scope="col">{t('pricing.prices.yearlyHt')}</th>
                <th scope="col">{t('pricing.prices.yearlyTtc')}</th>
                <th scope="col">{t('pricing.prices.smsIncluded')}</th>
                <th scope="col">{t('pricing.prices.smsBeyond')}</th>
              </tr>
            </thead>
            <tbody>
              {list.tiers.map((tier) => (
                <tr key={tier.id}>
                  <th scope="row">{band(tier)}</th>
                  <td>{euros(tier.yearlyPriceCents, locale)}</td>
                  <td>{euros(tier.yearlyPriceWithVatCents, locale)}</td>
                  <td>{n(tier.smsIncludedPerYear)}</td>
                  <td>{euros(tier.smsPriceCents, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p>{t('pricing.prices.payment')}</p>
    </Page>
  );
}
