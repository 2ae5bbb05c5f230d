// The communes of the platform with their figures (status, plan, SMS this
// month, accounts, last alert, health), suspension and reactivation, the
// export as tenants/<slug>/, and the audit of status and billing transitions.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../shell/i18n.js';
import { Loading } from '../../shell/page.js';
import { Button, ConfirmDialog, ErrorSummary, Notice } from '../../ds/index.js';
import {
  opCall,
  type CommuneRow,
  type OperatorSession,
  type PlatformHealth,
  type Transition,
} from './api.js';
import { errorText, OperatorPage } from './common.js';

export default function OperatorCommunesPage() {
  const { t } = useI18n();
  return <OperatorPage title={t('op.communesTitle')}>{(s) => <Communes session={s} />}</OperatorPage>;
}

function planText(t: ReturnType<typeof useI18n>['t'], fmt: (iso: string) => string, c: CommuneRow): string {
  const tier = c.plan.tier ?? '—';
  if (c.plan.state === 'past_due')
    return t('op.plan.past_due', { tier, date: c.plan.graceUntil ? fmt(c.plan.graceUntil) : '—' });
  const key = `op.plan.${c.plan.state}`;
  return t(key, { tier }) !== key ? t(key, { tier }) : c.plan.state;
}

/** A cancelled commune's pending (or done) data deletion, with the workflow to watch in the Temporal UI. */
function Deletion({ c }: { c: CommuneRow }) {
  const { t, formatDate } = useI18n();
  const d = c.plan.deletion;
  if (!d) return null;
  return (
    <p className="meta">
      {d.deletedAt
        ? t('op.deletion.done', { date: formatDate(d.deletedAt, 'date') })
        : d.dueAt
          ? t('op.deletion.pending', { date: formatDate(d.dueAt, 'date') })
          : t('op.deletion.planning')}{' '}
      {d.deletedAt ? null : (
        <>
          {t('op.deletion.workflow')} <code>{d.workflowId}</code>
        </>
      )}
    </p>
  );
}

/** Refusals that named no commune (Stripe, SNS): a rotated secret shows here first. */
function PlatformWebhooks({ health }: { health: PlatformHealth | null }) {
  const { t } = useI18n();
  if (!health) return null;
  const w = health.webhooksRefused7d;
  return (
    <section aria-labelledby="platform-health-title">
      <h2 id="platform-health-title">{t('op.platformHealth.title')}</h2>
      {w.total === 0 ? (
        <p>{t('op.platformHealth.none')}</p>
      ) : (
        <>
          <p>{t('op.platformHealth.total', { count: w.total })}</p>
          <ul>
            {w.byCode.map((r) => (
              <li key={`${r.provider}-${r.code}`}>
                {t('op.platformHealth.line', { provider: r.provider, code: r.code, count: r.count })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Communes({ session }: { session: OperatorSession }) {
  const { t, formatDate } = useI18n();
  const [rows, setRows] = useState<CommuneRow[] | null>(null);
  const [log, setLog] = useState<Transition[]>([]);
  const [platform, setPlatform] = useState<PlatformHealth | null>(null);
  const [errors, setErrors] = useState<Array<{ message: string }>>([]);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ row: CommuneRow; action: 'suspend' | 'reactivate' } | null>(null);

  const load = useCallback(() => {
    Promise.all([
      opCall<CommuneRow[]>('GET', '/operator/overview'),
      opCall<Transition[]>('GET', '/operator/transitions'),
      opCall<PlatformHealth>('GET', '/operator/health'),
    ]).then(
      ([r, l, h]) => {
        setRows(r);
        setLog(l);
        setPlatform(h);
      },
      (e: unknown) => setErrors([{ message: errorText(t, e) }]),
    );
  }, [t]);
  useEffect(load, [load]);

  const act = async (row: CommuneRow, action: 'suspend' | 'reactivate') => {
    setConfirm(null);
    setErrors([]);
    setDone(null);
    try {
      const r = await opCall<{ status: string }>('POST', `/operator/communes/${row.slug}/${action}`, {
        csrf: session.csrfToken,
        json: {},
      });
      setDone(t('op.statusChanged', { name: row.name, status: t(`op.status.${r.status}`) }));
      load();
    } catch (e) {
      setErrors([{ message: errorText(t, e) }]);
    }
  };

  if (!rows)
    return errors.length ? <ErrorSummary title={t('op.errorsTitle')} errors={errors} /> : <Loading />;
  const health = (c: CommuneRow) => {
    const parts = [];
    if (c.health.failedDeliveries7d)
      parts.push(t('op.health.deliveries', { count: c.health.failedDeliveries7d }));
    if (c.health.failingWorkflows7d)
      parts.push(t('op.health.workflows', { count: c.health.failingWorkflows7d }));
    if (c.health.failingWorkflows7d === null) parts.push(t('op.health.noTemporal'));
    if (c.health.webhooksRefused7d)
      parts.push(t('op.health.webhooks', { count: c.health.webhooksRefused7d }));
    return parts.length ? parts.join(' ; ') : t('op.health.ok');
  };
  return (
    <>
      <div className="btn-row">
        <Link to="/operateur/communes/nouvelle" className="btn">
          {t('op.newCommune')}
        </Link>
      </div>
      <div role="status">
        {done ? (
          <Notice kind="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      <ErrorSummary title={t('op.errorsTitle')} errors={errors} />
      <div className="table-wrap">
        <table>
          <caption>{t('op.communesCaption', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.col.commune')}</th>
              <th scope="col">{t('op.col.status')}</th>
              <th scope="col">{t('op.col.plan')}</th>
              <th scope="col">{t('op.col.sms')}</th>
              <th scope="col">{t('op.col.members')}</th>
              <th scope="col">{t('op.col.geo')}</th>
              <th scope="col">{t('op.col.lastAlert')}</th>
              <th scope="col">{t('op.col.health')}</th>
              <th scope="col">{t('op.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.slug}>
                <th scope="row">
                  {c.name} <span className="meta">({c.inseeCode})</span>
                </th>
                <td>{t(`op.status.${c.status}`)}</td>
                <td>
                  {planText(t, (iso) => formatDate(iso, 'date'), c)}
                  <Deletion c={c} />
                </td>
                <td>{c.smsThisMonth}</td>
                <td>{c.members}</td>
                <td>{t('op.geo', { addresses: c.addresses, sectors: c.sectors })}</td>
                <td>{c.lastAlertAt ? formatDate(c.lastAlertAt) : t('op.never')}</td>
                <td>{health(c)}</td>
                <td>
                  <div className="btn-row">
                    {c.status === 'suspended' ? (
                      <Button
                        variant="secondary"
                        aria-label={t('op.reactivateLabel', { name: c.name })}
                        onPress={() => setConfirm({ row: c, action: 'reactivate' })}
                      >
                        {t('op.reactivate')}
                      </Button>
                    ) : (
                      <Button
                        variant="danger"
                        aria-label={t('op.suspendLabel', { name: c.name })}
                        onPress={() => setConfirm({ row: c, action: 'suspend' })}
                      >
                        {t('op.suspend')}
                      </Button>
                    )}
                    <a
                      className="btn secondary"
                      href={`/operator/communes/${c.slug}/export`}
                      download={`${c.slug}.tar`}
                      aria-label={t('op.exportLabel', { name: c.name, slug: c.slug })}
                    >
                      {t('op.export')}
                    </a>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PlatformWebhooks health={platform} />
      <section aria-labelledby="transitions-title">
        <h2 id="transitions-title">{t('op.transitionsTitle')}</h2>
        {log.length === 0 ? (
          <p>{t('op.noTransition')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{t('op.transitionsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('op.col.when')}</th>
                  <th scope="col">{t('op.col.commune')}</th>
                  <th scope="col">{t('op.col.transition')}</th>
                  <th scope="col">{t('op.col.by')}</th>
                  <th scope="col">{t('op.col.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {log.map((e, i) => {
                  const key = `op.action.${e.action}`;
                  return (
                    <tr key={`${e.at}-${i}`}>
                      <td>{formatDate(e.at)}</td>
                      <td>{e.slug ?? '—'}</td>
                      <td>{t(key) !== key ? t(key) : t('op.action.other', { action: e.action })}</td>
                      <td>{t(`op.by.${e.source}`, { email: e.operatorEmail ?? '' })}</td>
                      <td>
                        {[
                          e.meta.from && e.meta.to ? `${String(e.meta.from)} → ${String(e.meta.to)}` : '',
                          e.meta.reason ? String(e.meta.reason) : '',
                          e.meta.invoiceId ? String(e.meta.invoiceId) : '',
                          e.meta.deleteAt ? formatDate(String(e.meta.deleteAt), 'date') : '',
                          e.meta.workflowId ? String(e.meta.workflowId) : '',
                        ]
                          .filter(Boolean)
                          .join(' · ') || '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {confirm ? (
        <ConfirmDialog
          isOpen
          danger={confirm.action === 'suspend'}
          title={t(confirm.action === 'suspend' ? 'op.suspendTitle' : 'op.reactivateTitle', {
            name: confirm.row.name,
          })}
          confirmLabel={t(confirm.action === 'suspend' ? 'op.suspend' : 'op.reactivate')}
          cancelLabel={t('op.cancel')}
          onConfirm={() => void act(confirm.row, confirm.action)}
          onCancel={() => setConfirm(null)}
        >
          <p>{t(confirm.action === 'suspend' ? 'op.suspendBody' : 'op.reactivateBody')}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
