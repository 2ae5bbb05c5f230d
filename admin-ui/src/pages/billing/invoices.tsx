// The commune's invoices on its billing page: number, dates, amount with VAT,
// where it stands, Stripe's page for it, and the Factur-X PDF to file on
// Chorus Pro. Refreshes while a document is still being made.
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../shell/i18n.js';
import { Loading } from '../../shell/page.js';
import { Notice } from '../../ds/index.js';
import { call, type Invoice } from './api.js';
import { euros } from './prices.js';

/** expectOne: the commune just subscribed; its first invoice is on its way from Stripe. */
export function Invoices({ expectOne = false }: { expectOne?: boolean }) {
  const { t, locale, formatDate } = useI18n();
  const [list, setList] = useState<Invoice[] | null | 'error'>(null);
  const load = useCallback(() => {
    call<{ invoices: Invoice[] }>('GET', '/billing/invoices').then(
      (r) => setList(r.invoices),
      () => setList('error'),
    );
  }, []);
  useEffect(load, [load]);
  const pending =
    Array.isArray(list) && (list.some((i) => i.facturx === 'pending') || (expectOne && list.length === 0));
  useEffect(() => {
    if (!pending) return;
    // Every 3 s for two minutes at most: a document or an invoice that takes
    // longer shows at the next visit.
    let polls = 0;
    const id = setInterval(() => {
      if (++polls > 40) clearInterval(id);
      else load();
    }, 3000);
    return () => clearInterval(id);
  }, [pending, load]);

  const date = (iso: string | null) => (iso ? formatDate(iso, 'date') : '—');
  return (
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">{t('pricing.invoices.title')}</h2>
      {list === null ? <Loading /> : null}
      {list === 'error' ? (
        <Notice kind="error" role="alert">
          <p>{t('pricing.invoices.unavailable')}</p>
        </Notice>
      ) : null}
      {Array.isArray(list) && list.length === 0 ? <p>{t('pricing.invoices.none')}</p> : null}
      {Array.isArray(list) && list.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption>{t('pricing.invoices.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('pricing.invoices.number')}</th>
                <th scope="col">{t('pricing.invoices.issued')}</th>
                <th scope="col">{t('pricing.invoices.due')}</th>
                <th scope="col">{t('pricing.invoices.total')}</th>
                <th scope="col">{t('pricing.invoices.status')}</th>
                <th scope="col">{t('pricing.invoices.documents')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.number ?? '—'}</th>
                  <td>{date(i.issuedAt)}</td>
                  <td>{i.status === 'paid' ? '—' : date(i.dueAt)}</td>
                  <td>{euros(i.totalCents, locale)}</td>
                  <td>
                    {t(`pricing.invoices.state.${i.status}`)}
                    {i.status === 'paid' && i.paidAt
                      ? ` ${t('pricing.invoices.paidOn', { date: date(i.paidAt) })}`
                      : ''}
                  </td>
                  <td>
                    <ul className="inline-list">
                      {i.facturx === 'ready' ? (
                        <li>
                          <a href={`/billing/invoices/${i.id}/facturx.pdf`} download>
                            {t('pricing.invoices.facturx', { number: i.number ?? '' })}
                          </a>
                        </li>
                      ) : (
                        <li>{t('pricing.invoices.facturxPending')}</li>
                      )}
                      {i.hostedInvoiceUrl ? (
                        <li>
                          <a href={i.hostedInvoiceUrl} rel="noopener noreferrer" target="_blank">
                            {t('pricing.invoices.hosted', { number: i.number ?? '' })}
                            <span className="visually-hidden"> {t('pricing.invoices.newWindow')}</span>
                          </a>
                        </li>
                      ) : null}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
