// The delivery report of one alert, for staff with alerts.delivery.read:
// counts per channel and state, then every recipient and channel with its
// state, the reason of a failure in words, its attempts and times, filtered
// by state and channel and read page after page (« Charger plus », each page
// its own urql query, so the cache stays the only copy). The whole report
// downloads as CSV from the server, which checks the permission again.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import {
  Button,
  Loading,
  Notice,
  Page,
  graphql,
  useErrorMessage,
  useI18n,
  type DeliveryStatus,
  type NotificationChannel,
} from '@vigie/admin-ui/shell';
import { Select } from './select.js';
import './console.css';

const PAGE = 25;
const STATUSES: DeliveryStatus[] = [
  'pending',
  'held',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'bounced',
  'failed',
  'skipped',
  'acknowledged',
];
const CHANNELS: NotificationChannel[] = ['sms', 'email', 'in_app', 'push', 'voice'];
/** Reasons with words of their own in the catalogue; any other shows « Autre motif (CODE) ». */
const REASONS = new Set([
  'INVALID_NUMBER',
  'OPTED_OUT',
  'UNVERIFIED_ADDRESS',
  'INVALID_ADDRESS',
  'TIMEOUT',
  'SMS_BUDGET',
  'QUIET_HOURS',
  'DIGEST',
  'RECIPIENT_GONE',
  'SUBSCRIPTION_GONE',
  'PROVIDER_ERROR',
  'PROVIDER_UNAVAILABLE',
  'NETWORK',
  'RATE_LIMITED',
  'REJECTED',
  'CONFIGURATION',
  'UNREACHABLE',
  'HARD_BOUNCE',
  'SOFT_BOUNCE',
  'COMPLAINT',
  'DO_NOT_CALL',
  'OUTSIDE_CALL_HOURS',
  'NO_ANSWER',
  'BUSY',
  'CANCELED',
]);

const SummaryDocument = graphql(`
  query DeliveryReportSummary($id: ID!) {
    alert(id: $id) {
      id
      ref
      text
      createdAt
      category {
        label
      }
    }
    alertDeliveryReport(alertId: $id, limit: 1) {
      summary {
        recipients
        total
        byStatus {
          status
          count
        }
        byChannel {
          channel
          status
          count
        }
      }
    }
  }
`);

const RowsDocument = graphql(`
  query DeliveryReportRows(
    $id: ID!
    $status: DeliveryStatus
    $channel: NotificationChannel
    $after: String
    $limit: Int!
  ) {
    alertDeliveryReport(alertId: $id, status: $status, channel: $channel, after: $after, limit: $limit) {
      nextCursor
      items {
        id
        recipientName
        accountId
        purpose
        channel
        status
        reason
        attempts
        device
        queuedAt
        sentAt
        deliveredAt
        failedAt
        notBefore
      }
    }
  }
`);

function useReason() {
  const { t } = useI18n();
  return (code: string | null | undefined) =>
    !code ? '' : REASONS.has(code) ? t(`mv.reason.${code}`) : t('mv.reason.other', { code });
}

/** One page of rows (its own tbody); tells the page below where the next one starts. */
function RowsPage(p: {
  alertId: string;
  status: string;
  channel: string;
  after: string | null;
  onLoaded(next: string | null, count: number): void;
}) {
  const { t, formatDate } = useI18n();
  const reason = useReason();
  const errorMessage = useErrorMessage();
  const [{ data, error }] = useQuery({
    query: RowsDocument,
    variables: {
      id: p.alertId,
      status: (p.status || null) as DeliveryStatus | null,
      channel: (p.channel || null) as NotificationChannel | null,
      after: p.after,
      limit: PAGE,
    },
  });
  const report = data?.alertDeliveryReport;
  const { onLoaded } = p;
  useEffect(() => {
    if (report) onLoaded(report.nextCursor ?? null, report.items.length);
  }, [report, onLoaded]);
  if (error)
    return (
      <tbody>
        <tr>
          <td colSpan={6}>{errorMessage(error)}</td>
        </tr>
      </tbody>
    );
  if (!report) return null;
  const when = (d: string | null | undefined) => (d ? formatDate(d) : '—');
  return (
    <tbody>
      {report.items.map((d) => (
        <tr key={d.id} data-status={d.status}>
          <th scope="row">
            {d.accountId === null ? t('mv.dr.onDuty') : (d.recipientName ?? t('mv.dr.unnamed'))}
            {d.purpose === 'escalation' ? <span className="meta"> · {t('mv.dr.escalation')}</span> : null}
          </th>
          <td>
            {t(`mv.channel.${d.channel}`)}
            {d.device ? <span className="meta"> · {d.device}</span> : null}
          </td>
          <td>{t(`mv.delivery.${d.status}`)}</td>
          <td>{reason(d.reason)}</td>
          <td>{d.attempts}</td>
          <td>
            {d.deliveredAt
              ? t('mv.dr.deliveredAt', { at: when(d.deliveredAt) })
              : d.failedAt
                ? t('mv.dr.failedAt', { at: when(d.failedAt) })
                : d.sentAt
                  ? t('mv.dr.sentAt', { at: when(d.sentAt) })
                  : d.notBefore
                    ? t('mv.dr.heldUntil', { at: when(d.notBefore) })
                    : t('mv.dr.queuedAt', { at: when(d.queuedAt) })}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

export default function DeliveryReportPage() {
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const errorMessage = useErrorMessage();
  const [{ data, error }, reload] = useQuery({ query: SummaryDocument, variables: { id } });
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('');
  // The cursors of the pages shown; the last page's next cursor, once it has loaded.
  const [pages, setPages] = useState<Array<string | null>>([null]);
  const [next, setNext] = useState<{ cursor: string | null; shown: number }>({ cursor: null, shown: 0 });
  const [announce, setAnnounce] = useState('');

  // New filters start again from the first page.
  useEffect(() => {
    setPages([null]);
    setNext({ cursor: null, shown: 0 });
  }, [status, channel]);
  // Counts change while the messages go out: read them again every 10 seconds.
  useEffect(() => {
    const timer = setInterval(() => reload({ requestPolicy: 'network-only' }), 10_000);
    return () => clearInterval(timer);
  }, [reload]);

  if (error)
    return (
      <Page title={t('mv.dr.pageTitle')}>
        <Notice kind="error" role="alert">
          <p>{errorMessage(error)}</p>
        </Notice>
      </Page>
    );
  if (!data) return <Loading />;
  const a = data.alert;
  const summary = data.alertDeliveryReport.summary;
  const failed = summary.byStatus
    .filter((s) => ['failed', 'undelivered', 'bounced'].includes(s.status))
    .reduce((n, s) => n + s.count, 0);
  const title = t('mv.dr.title', { ref: a?.ref ?? '' });
  const channels = CHANNELS.filter((c) => summary.byChannel.some((b) => b.channel === c));

  return (
    <Page
      title={title}
      intro={
        a ? (
          <p>
            <strong>{a.category.label}</strong> · {formatDate(a.createdAt)} · <span>{a.text}</span>
          </p>
        ) : null
      }
    >
      <p>
        <Link to="/console">{t('mv.dr.back')}</Link>
      </p>
      <section className="card" aria-labelledby="mv-report-summary">
        <h2 id="mv-report-summary">{t('mv.dr.summary')}</h2>
        <p data-testid="report-totals">
          {t('mv.dr.totals', { recipients: summary.recipients, total: summary.total, failed })}
        </p>
        {summary.byChannel.length ? (
          <div className="table-wrap">
            <table>
              <caption>{t('mv.dr.byChannel')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mv.compose.channel')}</th>
                  {STATUSES.filter((s) => summary.byStatus.some((b) => b.status === s)).map((s) => (
                    <th scope="col" key={s}>
                      {t(`mv.delivery.${s}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {channels.map((c) => (
                  <tr key={c}>
                    <th scope="row">{t(`mv.channel.${c}`)}</th>
                    {STATUSES.filter((s) => summary.byStatus.some((b) => b.status === s)).map((s) => (
                      <td key={s}>
                        {summary.byChannel.find((b) => b.channel === c && b.status === s)?.count ?? 0}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t('mv.dr.nothingYet')}</p>
        )}
        <p className="btn-row mv-downloads">
          <a className="btn secondary" href={`/alerts/${id}/deliveries.csv`} download>
            {t('mv.dr.csv')}
          </a>
        </p>
      </section>

      <section className="card" aria-labelledby="mv-report-rows">
        <h2 id="mv-report-rows">{t('mv.dr.recipients')}</h2>
        <div className="mv-filters" role="group" aria-label={t('mv.dr.filters')}>
          <Select
            label={t('mv.delivery.status')}
            value={status}
            onChange={setStatus}
            options={[
              { value: '', label: t('mv.filter.all') },
              ...STATUSES.map((s) => ({ value: s, label: t(`mv.delivery.${s}`) })),
            ]}
          />
          <Select
            label={t('mv.compose.channel')}
            value={channel}
            onChange={setChannel}
            options={[
              { value: '', label: t('mv.filter.all') },
              ...CHANNELS.map((c) => ({ value: c, label: t(`mv.channel.${c}`) })),
            ]}
          />
        </div>
        <p role="status" className="meta" data-testid="report-shown">
          {t('mv.dr.shown', { count: next.shown })}
          {announce ? ` ${announce}` : ''}
        </p>
        <div className="table-wrap">
          <table data-testid="report-table">
            <caption>{t('mv.dr.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mv.dr.recipient')}</th>
                <th scope="col">{t('mv.compose.channel')}</th>
                <th scope="col">{t('mv.delivery.status')}</th>
                <th scope="col">{t('mv.dr.reason')}</th>
                <th scope="col">{t('mv.dr.attempts')}</th>
                <th scope="col">{t('mv.dr.when')}</th>
              </tr>
            </thead>
            {pages.map((after, i) => (
              <RowsPage
                key={`${status}|${channel}|${after ?? ''}`}
                alertId={id}
                status={status}
                channel={channel}
                after={after}
                onLoaded={(cursor, count) => {
                  // Only the last page says where the next one starts.
                  if (i !== pages.length - 1) return;
                  setNext((n) =>
                    n.cursor === cursor && n.shown === i * PAGE + count
                      ? n
                      : { cursor, shown: i * PAGE + count },
                  );
                }}
              />
            ))}
          </table>
        </div>
        {next.shown === 0 ? <p>{t('mv.dr.none')}</p> : null}
        {next.cursor ? (
          <Button
            variant="secondary"
            onPress={() => {
              setPages((ps) => [...ps, next.cursor]);
              setAnnounce(t('mv.dr.moreLoaded'));
            }}
          >
            {t('mv.dr.more')}
          </Button>
        ) : null}
      </section>
    </Page>
  );
}
