// The delivery workflow's activities. Each one is a short step around one
// transaction (or one provider call between two), idempotent under retry:
//
//   claim (tx: pending → sending, attempts+1)  →  provider call  →  record (tx: sending → sent/delivered)
//
// A retry that finds a provider message id already recorded does not send
// again. The one window left is between the provider accepting a message and
// our commit of its id (a crash, or a lost HTTP answer): the retry sends a
// second copy. Status callbacks narrow it: they carry the delivery id, so a
// callback that arrives before the retry records the message and the retry
// stands down.
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Metrics } from '../lib/metrics.js';
import type { Logger } from 'pino';
import {
  ALERT_DELIVERY_KIND,
  ALERT_DELIVERY_WORKFLOW,
  workflowId,
  type AlertDeliveryActivities,
  type AlertHousekeepingActivities,
  type AlertSendActivities,
  type DeliveryPlan,
} from '@vigie/workflows/contracts';
import type { Config } from '../config/config.js';
import { withTenant } from '../db/index.js';
import { audit } from '../lib/audit.js';
import { portalUrl } from '../identity/index.js';
import { storeInApp, storeInAppMany } from '../notifications/index.js';
import { ChannelError, isChannelError, networkReason, toApplicationFailure } from '../notifications/index.js';
import type { Channel, Channels, SendResult, Severity } from '../notifications/index.js';
import { receiptTags, statusCallbackUrl } from '../notifications/index.js';
import type { RecordedUsage } from '../notifications/index.js';
import { addSmsUsage, countAlertSmsUsage, currentSmsUsage } from './usage.js';
import { TenantIdKey } from '../temporal/index.js';
import type { AlertRow } from './alerts.js';
import {
  assignPending,
  createFallback,
  failDelivery,
  insertDeliveries,
  listBatch,
  nextFreeBatch,
  progressOf,
  recordAccepted,
  recordAttemptFailure,
  type DeliveryRow,
} from './deliveries.js';
import {
  alertEmail,
  alertInApp,
  alertPush,
  alertSms,
  digestEmail,
  digestSms,
  type AlertContent,
  type DigestItem,
  type Locale,
} from './messages.js';
import { escalationDeliveries, resolvePage } from './recipients.js';
import { targetOf } from '../notifications/index.js';
import { alertSettings, type ResolvedAlertSettings } from './settings.js';

type Trx = Knex.Transaction;

export interface AlertActivityDeps {
  db: Knex;
  config: Config;
  log: Logger;
  channels: Channels;
  /** The instance's metrics (sends, provider errors, time from alert to send). */
  metrics: Metrics;
  now?: () => Date;
}

/** Accounts per resolution page and child workflows in flight: 500 × up to 3 channels = 15 batches a page. */
const PAGE_SIZE = 500;
const WINDOW = 8;

interface ContentRow {
  alert_id: string;
  alert_created_at: Date;
  severity: Severity;
  body: string;
  label_fr: string;
  label_en: string;
  tenant_name: string;
  tenant_slug: string;
  tenant_settings: Record<string, unknown>;
}

const CONTENT_COLUMNS = [
  'a.id as alert_id',
  'a.created_at as alert_created_at',
  'a.severity',
  'a.body',
  'c.label_fr',
  'c.label_en',
  't.name as tenant_name',
  't.slug as tenant_slug',
  't.settings as tenant_settings',
];

function contentOf(
  config: Config,
  r: ContentRow,
  purpose: 'alert' | 'escalation',
  settings: ResolvedAlertSettings,
): AlertContent {
  const portal = portalUrl(config, r.tenant_slug);
  return {
    alertId: r.alert_id,
    communeName: r.tenant_name,
    severity: r.severity,
    categoryFr: r.label_fr,
    categoryEn: r.label_en,
    text: r.body,
    link: `${portal}/alertes/${r.alert_id}`,
    preferencesUrl: `${portal}/preferences`,
    purpose,
    escalatedAfterMinutes: settings.escalationMinutes,
  };
}

function locale(l: string | null | undefined): Locale {
  return l === 'en' ? 'en' : 'fr';
}

type ClaimRow = DeliveryRow &
  ContentRow & {
    email: string | null;
    email_verified_at: Date | null;
    phone: string | null;
    phone_verified_at: Date | null;
    locale: string | null;
    account_status: string | null;
  };

type Claim =
  | { kind: 'done' }
  | { kind: 'switched'; next: { id: string; channel: 'sms' | 'email' } | null }
  | { kind: 'unreachable'; reason: string }
  | {
      kind: 'send';
      to: string;
      content: AlertContent;
      locale: Locale;
      settings: ResolvedAlertSettings;
      alertCreatedAt: Date;
    };

export function createAlertActivities(
  deps: AlertActivityDeps,
): AlertDeliveryActivities & AlertSendActivities & AlertHousekeepingActivities {
  const { db, config, channels } = deps;
  const clock = deps.now ?? (() => new Date());
  const tx = <T>(tenantId: string, fn: (trx: Trx) => Promise<T>) => withTenant(db, tenantId, fn);

  async function tenantSettings(trx: Trx | Knex, tenantId: string): Promise<ResolvedAlertSettings> {
    const t = (await trx('tenants').where({ id: tenantId }).first('settings')) as
      { settings: Record<string, unknown> } | undefined;
    return alertSettings(t?.settings);
  }

  /**
   * The common case in one statement: a pending (or interrupted) delivery with
   * no message id, not subject to the SMS budget, becomes `sending` and comes
   * back with what the message needs. Anything else takes the careful path.
   */
  async function quickClaim(
    trx: Trx,
    deliveryId: string,
    channel: 'sms' | 'email',
    now: Date,
  ): Promise<ClaimRow | undefined> {
    const acc = (col: string) => `(select ${col} from accounts where id = d.account_id)`;
    const res = await trx.raw(
      `update deliveries d set status = 'sending', attempts = d.attempts + 1, sending_at = ?
       from alerts a, alert_categories c, tenants t
       where d.id = ? and d.channel = ? and d.status in ('pending', 'sending') and d.provider_message_id is null
         and a.id = d.alert_id and c.id = a.category_id and t.id = d.tenant_id
         and not (d.channel = 'sms' and d.purpose = 'alert' and a.severity <> 'urgent' and t.settings -> 'smsMonthlyBudget' is not null)
       returning d.*, a.id as alert_id, a.created_at as alert_created_at, a.severity, a.body, c.label_fr, c.label_en, t.name as tenant_name, t.slug as tenant_slug, t.settings as tenant_settings,
         ${acc('email')} as email, ${acc('email_verified_at')} as email_verified_at, ${acc('phone')} as phone,
         ${acc('phone_verified_at')} as phone_verified_at, ${acc('locale')} as locale, ${acc('status')} as account_status`,
      [now, deliveryId, channel],
    );
    return res.rows[0] as ClaimRow | undefined;
  }

  function claimed(row: ClaimRow, channel: 'sms' | 'email'): Claim {
    const settings = alertSettings(row.tenant_settings);
    const to =
      row.account_id === null
        ? channel === 'sms'
          ? settings.onDuty.phone
          : settings.onDuty.email
        : reachable(row, channel);
    if (!to)
      return {
        kind: 'unreachable',
        reason:
          row.account_id !== null && row.account_status !== 'active'
            ? 'RECIPIENT_GONE'
            : 'UNVERIFIED_ADDRESS',
      };
    return {
      kind: 'send',
      to,
      content: contentOf(config, row, row.purpose, settings),
      locale: locale(row.locale),
      settings,
      alertCreatedAt: row.alert_created_at,
    };
  }

  /** Locks the row, reconciles an earlier attempt, checks the SMS budget, then marks it `sending`. */
  async function claim(trx: Trx, deliveryId: string, channel: 'sms' | 'email', now: Date): Promise<Claim> {
    const quick = await quickClaim(trx, deliveryId, channel, now);
    if (quick) return claimed(quick, channel);
    const row = (await trx('deliveries as d')
      .join('alerts as a', 'a.id', 'd.alert_id')
      .join('alert_categories as c', 'c.id', 'a.category_id')
      .join('tenants as t', 't.id', 'd.tenant_id')
      .leftJoin('accounts as acc', 'acc.id', 'd.account_id')
      .where('d.id', deliveryId)
      .forUpdate('d')
      .first(
        'd.*',
        ...CONTENT_COLUMNS,
        'acc.email',
        'acc.email_verified_at',
        'acc.phone',
        'acc.phone_verified_at',
        'acc.locale',
        'acc.status as account_status',
      )) as ClaimRow | undefined;
    if (!row || row.channel !== channel || (row.status !== 'pending' && row.status !== 'sending'))
      return { kind: 'done' };
    if (row.provider_message_id) {
      // An earlier attempt got through (its id was recorded, or its receipt came): never send twice.
      await trx('deliveries').where({ id: deliveryId, status: 'sending' }).update({ status: 'sent' });
      return { kind: 'done' };
    }
    const settings = alertSettings(row.tenant_settings);
    if (
      channel === 'sms' &&
      row.purpose === 'alert' &&
      row.severity !== 'urgent' &&
      settings.smsMonthlyBudget !== null
    ) {
      const usage = await currentSmsUsage(trx, { now, budget: settings.smsMonthlyBudget });
      if (usage.overBudget) return { kind: 'switched', next: await switchToEmail(trx, row, settings, now) };
    }
    await trx('deliveries')
      .where({ id: deliveryId })
      .update({ status: 'sending', attempts: trx.raw('attempts + 1'), sending_at: now });
    return claimed(row, channel);
  }

  function reachable(row: ClaimRow, channel: 'sms' | 'email'): string | null {
    if (row.account_status !== 'active') return null;
    if (channel === 'sms') return row.phone && row.phone_verified_at ? row.phone : null;
    return row.email && row.email_verified_at ? row.email : null;
  }

  /** Past the monthly SMS budget a non-urgent SMS becomes an email plus an in-app notification. */
  async function switchToEmail(trx: Trx, row: ClaimRow, settings: ResolvedAlertSettings, now: Date) {
    await trx('deliveries')
      .where({ id: row.id })
      .update({ status: 'skipped', reason: 'SMS_BUDGET', failed_at: now });
    if (row.account_id) {
      const [inApp] = await insertDeliveries(trx, [
        {
          tenant_id: row.tenant_id,
          alert_id: row.alert_id,
          account_id: row.account_id,
          purpose: row.purpose,
          channel: 'in_app',
          status: 'pending',
          fallback_of: row.id,
        },
      ]);
      if (inApp)
        await deliverInApp(
          trx,
          row,
          [{ id: inApp.id, account_id: row.account_id, locale: row.locale }],
          settings,
          now,
        );
    }
    return createFallback(trx, row, settings.onDuty);
  }

  async function deliverInApp(
    trx: Trx,
    content: ContentRow & { tenant_id: string; purpose: 'alert' | 'escalation' },
    rows: Array<{ id: string; account_id: string | null; locale: string | null }>,
    settings: ResolvedAlertSettings,
    now: Date,
  ): Promise<number> {
    const gone = rows.filter((r) => !r.account_id).map((r) => r.id);
    const c = contentOf(config, content, content.purpose, settings);
    const messages = rows
      .filter((r) => r.account_id)
      .map((r) => {
        const msg = alertInApp(c, locale(r.locale));
        return {
          tenantId: content.tenant_id,
          accountId: r.account_id!,
          kind: content.purpose === 'escalation' ? 'alert_escalation' : 'alert',
          title: msg.title,
          body: msg.body,
          link: `/alertes/${content.alert_id}`,
          meta: { alertId: content.alert_id, severity: content.severity },
          idempotencyKey: `delivery:${r.id}`,
        };
      });
    // A retried batch finds its rows by their keys: n counts the deliveries, created now or before.
    await storeInAppMany(trx, messages);
    const n = messages.length;
    const sent = rows.filter((r) => r.account_id).map((r) => r.id);
    if (sent.length) {
      await trx('deliveries')
        .whereIn('id', sent)
        .update({
          status: 'delivered',
          provider: 'in-app',
          attempts: trx.raw('attempts + 1'),
          sending_at: now,
          sent_at: now,
          delivered_at: now,
          reason: null,
        });
    }
    if (gone.length)
      await trx('deliveries')
        .whereIn('id', gone)
        .update({ status: 'skipped', reason: 'RECIPIENT_GONE', failed_at: now });
    return n;
  }

  /** A provider failure, translated for Temporal: its type is the typed reason, non-retryable when no retry can help. */
  async function sendFailure(
    tenantId: string,
    deliveryId: string,
    channel: Channel,
    err: unknown,
  ): Promise<ApplicationFailure> {
    const ce = isChannelError(err)
      ? err
      : new ChannelError(channel, networkReason(err) ?? 'UNKNOWN', 'Send failed', { cause: err });
    await tx(tenantId, (trx) =>
      recordAttemptFailure(trx, deliveryId, ce.reason, ce.providerCode ?? null),
    ).catch(() => undefined);
    deps.metrics.providerErrors.inc({ channel, reason: ce.reason });
    deps.metrics.sends.inc({ channel, outcome: 'refused' });
    if (!ce.retryable)
      deps.log.info({ deliveryId, channel, reason: ce.reason }, 'delivery refused by the provider');
    return toApplicationFailure(ce);
  }

  async function warnMairie(trx: Trx, tenantId: string, usage: RecordedUsage): Promise<void> {
    const admins = (await trx('role_assignments as g')
      .join('accounts as a', 'a.id', 'g.account_id')
      .where({ 'g.role': 'mairie_admin', 'a.status': 'active' })
      .pluck('a.id')) as string[];
    for (const accountId of new Set(admins)) {
      await storeInApp(trx, {
        tenantId,
        accountId,
        kind: 'sms_budget',
        title: 'Budget SMS : 80 % consommés',
        body: `${usage.segmentsSent} segments SMS envoyés ce mois-ci sur un budget de ${usage.budget}. Au-delà, seules les alertes urgentes partiront par SMS ; les autres partiront par email et dans l'application.`,
        link: '/admin/notifications',
        meta: { month: usage.month, segmentsSent: usage.segmentsSent, budget: usage.budget },
        idempotencyKey: `sms-budget-80:${usage.month}:${accountId}`,
      });
    }
    await audit(trx, {
      tenantId,
      actor: { type: 'system' },
      action: 'notifications.sms_budget.warned',
      meta: { month: usage.month, segmentsSent: usage.segmentsSent, budget: usage.budget },
    });
  }

  async function send(
    tenantId: string,
    deliveryId: string,
    channel: 'sms' | 'email',
    call: (c: Extract<Claim, { kind: 'send' }>) => Promise<{ res: SendResult; segments: number | null }>,
  ) {
    const now = clock();
    const c = await tx(tenantId, (trx) => claim(trx, deliveryId, channel, now));
    if (c.kind === 'done') return { status: 'already' as const, next: null };
    if (c.kind === 'switched') return { status: 'skipped' as const, next: c.next };
    if (c.kind === 'unreachable')
      throw ApplicationFailure.create({
        type: c.reason,
        message: `No verified ${channel} address`,
        nonRetryable: true,
        details: [{ channel, reason: c.reason, providerCode: null }],
      });
    let out: { res: SendResult; segments: number | null };
    try {
      deps.metrics.alertToSend.observe({ channel }, (clock().getTime() - c.alertCreatedAt.getTime()) / 1000);
      out = await call(c);
    } catch (err) {
      throw await sendFailure(tenantId, deliveryId, channel, err);
    }
    // The segments go on the row; the batch adds them to the month's usage (usage.ts).
    deps.metrics.sends.inc({ channel, outcome: 'accepted' });
    await tx(tenantId, (trx) =>
      recordAccepted(trx, deliveryId, {
        provider: out.res.provider,
        providerId: out.res.providerId,
        final: out.res.status === 'delivered',
        segments: out.segments,
        at: clock(),
      }),
    );
    return {
      status: out.res.status === 'delivered' ? ('delivered' as const) : ('sent' as const),
      next: null,
    };
  }

  type PushClaim =
    | { kind: 'done' }
    | { kind: 'unreachable'; reason: string }
    | { kind: 'send'; row: ClaimRow & { endpoint: string; p256dh: string; auth: string } };

  /** Push has no budget and no reconciliation to do: lock the row, find its device, mark it `sending`. */
  async function claimPush(trx: Trx, deliveryId: string, now: Date): Promise<PushClaim> {
    const row = (await trx('deliveries as d')
      .join('alerts as a', 'a.id', 'd.alert_id')
      .join('alert_categories as c', 'c.id', 'a.category_id')
      .join('tenants as t', 't.id', 'd.tenant_id')
      .leftJoin('accounts as acc', 'acc.id', 'd.account_id')
      .leftJoin('push_subscriptions as ps', 'ps.id', 'd.push_subscription_id')
      .where('d.id', deliveryId)
      .forUpdate('d')
      .first(
        'd.*',
        ...CONTENT_COLUMNS,
        'acc.locale',
        'acc.status as account_status',
        'ps.endpoint',
        'ps.p256dh',
        'ps.auth',
      )) as (ClaimRow & { endpoint: string | null; p256dh: string; auth: string }) | undefined;
    if (!row || row.channel !== 'push' || (row.status !== 'pending' && row.status !== 'sending'))
      return { kind: 'done' };
    if (row.provider_message_id) {
      await trx('deliveries').where({ id: deliveryId }).update({ status: 'delivered' });
      return { kind: 'done' };
    }
    if (row.account_status !== 'active') return { kind: 'unreachable', reason: 'RECIPIENT_GONE' };
    // The resident removed the device, or an earlier alert found it gone, since this row was planned.
    if (!row.endpoint) return { kind: 'unreachable', reason: 'SUBSCRIPTION_GONE' };
    await trx('deliveries')
      .where({ id: deliveryId })
      .update({ status: 'sending', attempts: trx.raw('attempts + 1'), sending_at: now });
    return { kind: 'send', row: row as ClaimRow & { endpoint: string; p256dh: string; auth: string } };
  }

  async function sendPush(tenantId: string, deliveryId: string) {
    const c = await tx(tenantId, (trx) => claimPush(trx, deliveryId, clock()));
    if (c.kind === 'done') return { status: 'already' as const, next: null };
    if (c.kind === 'unreachable')
      throw ApplicationFailure.create({
        type: c.reason,
        message: 'No push subscription to send to',
        nonRetryable: true,
        details: [{ channel: 'push', reason: c.reason, providerCode: null }],
      });
    const row = c.row;
    const content = contentOf(config, row, row.purpose, alertSettings(row.tenant_settings));
    let res: SendResult;
    try {
      res = await channels.push.send({
        tenantId,
        target: targetOf(row),
        payload: alertPush(content, locale(row.locale)),
        // An alert is news for a day at most; an urgent one must wake the phone.
        ttlSeconds: row.severity === 'info' ? 6 * 3600 : 24 * 3600,
        urgency: row.severity === 'urgent' ? 'high' : row.severity === 'important' ? 'normal' : 'low',
        topic: row.alert_id.replaceAll('-', ''),
      });
    } catch (err) {
      if (isChannelError(err) && err.reason === 'SUBSCRIPTION_GONE') {
        // The push service will never take this device again: forget it, so no later alert tries.
        await tx(tenantId, (trx) =>
          trx('push_subscriptions').where({ id: row.push_subscription_id }).delete(),
        );
        deps.log.info({ deliveryId, providerCode: err.providerCode }, 'push subscription gone, removed');
      }
      throw await sendFailure(tenantId, deliveryId, 'push', err);
    }
    deps.metrics.sends.inc({ channel: 'push', outcome: 'accepted' });
    await tx(tenantId, async (trx) => {
      await recordAccepted(trx, deliveryId, {
        provider: res.provider,
        providerId: res.providerId,
        final: true,
        segments: null,
        at: clock(),
      });
      await trx('push_subscriptions')
        .where({ id: row.push_subscription_id })
        .update({ last_success_at: clock() });
    });
    return { status: 'delivered' as const, next: null };
  }

  async function loadContent(
    trx: Trx,
    alertId: string,
  ): Promise<(ContentRow & { alert: AlertRow }) | undefined> {
    const row = (await trx('alerts as a')
      .join('alert_categories as c', 'c.id', 'a.category_id')
      .join('tenants as t', 't.id', 'a.tenant_id')
      .where('a.id', alertId)
      .first('a.*', ...CONTENT_COLUMNS)) as (AlertRow & ContentRow) | undefined;
    return row ? { ...row, alert: row } : undefined;
  }

  return {
    async prepareAlertDelivery({ tenantId, alertId }): Promise<DeliveryPlan> {
      return tx(tenantId, async (trx) => {
        const c = await loadContent(trx, alertId);
        if (!c)
          throw ApplicationFailure.create({
            type: 'ALERT_NOT_FOUND',
            message: 'The alert does not exist',
            nonRetryable: true,
          });
        const a = c.alert;
        await trx('alerts')
          .where({ id: alertId })
          .update({ delivery_started_at: trx.raw('coalesce(delivery_started_at, now())') });
        const s = alertSettings(c.tenant_settings);
        const escalates = a.severity === 'urgent' && a.acknowledged_at === null && s.escalationMinutes > 0;
        return {
          severity: a.severity,
          escalateAt: escalates
            ? new Date(a.created_at.getTime() + s.escalationMinutes * 60_000).toISOString()
            : null,
          receiptWindowSeconds: Math.round(s.receiptWindowMinutes * 60),
          retryInitialSeconds: s.retryInitialSeconds,
          pageSize: PAGE_SIZE,
          window: WINDOW,
          batchesPerRun: s.batchesPerRun,
          resume: (a as AlertRow & { recipients_resolved_at: Date | null }).recipients_resolved_at !== null,
          nextBatch: await nextFreeBatch(trx, alertId),
        };
      });
    },

    async resolveRecipientsPage({ tenantId, alertId, cursor, firstBatch, pageSize }) {
      return tx(tenantId, async (trx) => {
        const alert = (await trx('alerts').where({ id: alertId }).first()) as AlertRow;
        const settings = await tenantSettings(trx, tenantId);
        return resolvePage(trx, alert, {
          cursor,
          firstBatch,
          pageSize,
          now: clock(),
          smsBudget: settings.smsMonthlyBudget,
        });
      });
    },

    async deliverInAppBatch({ tenantId, alertId, batchNo }) {
      return tx(tenantId, async (trx) => {
        const rows = (await trx('deliveries as d')
          .leftJoin('accounts as acc', 'acc.id', 'd.account_id')
          .where({
            'd.alert_id': alertId,
            'd.batch_no': batchNo,
            'd.channel': 'in_app',
            'd.status': 'pending',
          })
          .orderBy('d.id')
          .select('d.id', 'd.account_id', 'd.purpose', 'acc.locale')) as Array<{
          id: string;
          account_id: string | null;
          purpose: 'alert' | 'escalation';
          locale: string | null;
        }>;
        if (rows.length === 0) return 0;
        const c = (await loadContent(trx, alertId))!;
        const settings = alertSettings(c.tenant_settings);
        let n = 0;
        for (const purpose of ['alert', 'escalation'] as const) {
          const mine = rows.filter((r) => r.purpose === purpose);
          if (mine.length)
            n += await deliverInApp(trx, { ...c, tenant_id: tenantId, purpose }, mine, settings, clock());
        }
        return n;
      });
    },

    async listBatchDeliveries({ tenantId, alertId, batchNo }) {
      return tx(tenantId, (trx) => listBatch(trx, alertId, batchNo));
    },

    sendSmsDelivery: ({ tenantId, deliveryId }) =>
      send(tenantId, deliveryId, 'sms', async (c) => {
        const sms = alertSms(c.content, c.locale);
        const res = await channels.sms.send({
          tenantId,
          to: c.to,
          body: sms.text,
          statusCallbackUrl: statusCallbackUrl(config.publicUrl, tenantId, deliveryId),
          idempotencyKey: deliveryId,
        });
        return { res, segments: sms.segments };
      }),

    sendEmailDelivery: ({ tenantId, deliveryId }) =>
      send(tenantId, deliveryId, 'email', async (c) => {
        const mail = await alertEmail(c.content, c.locale);
        const res = await channels.email.send({
          tenantId,
          to: c.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          tags: receiptTags(tenantId, deliveryId),
          idempotencyKey: deliveryId,
        });
        return { res, segments: null };
      }),

    sendPushDelivery: ({ tenantId, deliveryId }) => sendPush(tenantId, deliveryId),

    async failDelivery({ tenantId, deliveryId, reason, providerCode }) {
      const { next, channel } = await tx(tenantId, async (trx) => ({
        channel: (
          (await trx('deliveries').where({ id: deliveryId }).first('channel')) as
            { channel: string } | undefined
        )?.channel,
        next: await failDelivery(
          trx,
          deliveryId,
          { reason, providerCode },
          (await tenantSettings(trx, tenantId)).onDuty,
        ),
      }));
      if (channel) deps.metrics.deliveriesFailed.inc({ channel });
      return { next };
    },

    async assignPendingDeliveries({ tenantId, alertId, firstBatch, asOf }) {
      return tx(tenantId, (trx) => assignPending(trx, alertId, firstBatch, new Date(asOf)));
    },

    async deliveryProgress({ tenantId, alertId }) {
      return tx(tenantId, (trx) => progressOf(trx, alertId));
    },

    async escalateAlert({ tenantId, alertId, batchNo }) {
      return tx(tenantId, async (trx) => {
        const alert = (await trx('alerts').where({ id: alertId }).forUpdate().first()) as
          AlertRow | undefined;
        if (!alert || alert.acknowledged_at !== null || alert.status !== 'received')
          return { escalated: false, batches: 0, recipients: 0 };
        const settings = await tenantSettings(trx, tenantId);
        const [first] = await trx('alert_escalations')
          .insert({
            tenant_id: tenantId,
            alert_id: alertId,
            after_minutes: Math.max(1, Math.round(settings.escalationMinutes)),
          })
          .onConflict(['tenant_id', 'alert_id'])
          .ignore()
          .returning('id');
        if (!first) {
          const left = await trx('deliveries')
            .where({ alert_id: alertId, purpose: 'escalation', status: 'pending' })
            .first('id');
          return { escalated: true, batches: left ? 1 : 0, recipients: 0 };
        }
        const rows = await escalationDeliveries(trx, { tenantId, alertId, batchNo, onDuty: settings.onDuty });
        await insertDeliveries(trx, rows);
        const recipients = new Set(rows.map((r) => r.account_id ?? 'on-duty')).size;
        await trx('alert_escalations').where({ alert_id: alertId }).update({ recipients });
        await audit(trx, {
          tenantId,
          actor: { type: 'system' },
          action: 'alert.escalated',
          target: { type: 'alert', id: alertId },
          meta: { afterMinutes: settings.escalationMinutes, recipients },
        });
        return { escalated: true, batches: rows.length ? 1 : 0, recipients };
      });
    },

    async countSmsUsage({ tenantId, alertId }) {
      await tx(tenantId, async (trx) => {
        const usage = await countAlertSmsUsage(trx, tenantId, alertId, {
          now: clock(),
          budget: (await tenantSettings(trx, tenantId)).smsMonthlyBudget,
        });
        if (usage?.warn80) await warnMairie(trx, tenantId, usage);
      });
    },

    async finishAlertDelivery({ tenantId, alertId }) {
      await tx(tenantId, (trx) =>
        trx('alerts')
          .where({ id: alertId })
          .update({ delivery_completed_at: trx.raw('coalesce(delivery_completed_at, now())') }),
      );
    },

    async restartStalledDeliveries({ asOf }) {
      const at = new Date(asOf);
      const ctx = Context.current();
      const tenants = (await db('tenants').select('id', 'slug')) as Array<{ id: string; slug: string }>;
      let restarted = 0;
      for (const t of tenants) {
        const ids = (await tx(t.id, (trx) =>
          trx('alerts')
            .whereNull('delivery_started_at')
            .where('created_at', '<', new Date(at.getTime() - 60_000))
            .where('created_at', '>', new Date(at.getTime() - 7 * 86_400_000))
            .orderBy('created_at')
            .limit(100)
            .pluck('id'),
        )) as string[];
        for (const alertId of ids) {
          try {
            await ctx.client.workflow.start(ALERT_DELIVERY_WORKFLOW, {
              workflowId: workflowId(t.slug, ALERT_DELIVERY_KIND, alertId),
              taskQueue: ctx.info.taskQueue,
              typedSearchAttributes: [{ key: TenantIdKey, value: t.id }],
              args: [{ tenantId: t.id, alertId }],
            });
            restarted++;
          } catch (err) {
            // Started but not yet at its first step (a busy worker): nothing to do.
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }
      }
      if (restarted) deps.log.warn({ restarted }, 'alert deliveries restarted by housekeeping');
      return restarted;
    },

    async sendDueDigests({ asOf, cursor }) {
      const tenants = (await db('tenants').orderBy('id').pluck('id')) as string[];
      const start = cursor === null ? 0 : tenants.indexOf(cursor);
      for (let i = Math.max(0, start); i < tenants.length; i++) {
        const sent = await sendDigestsOfTenant(tenants[i]!, new Date(asOf));
        if (sent.more) return { sent: sent.count, nextCursor: tenants[i]! };
        if (sent.count > 0) return { sent: sent.count, nextCursor: tenants[i + 1] ?? null };
      }
      return { sent: 0, nextCursor: null };
    },
  };

  /** One digest per recipient and channel, listing every `info` alert held for it. At most 100 recipients a call. */
  async function sendDigestsOfTenant(
    tenantId: string,
    asOf: Date,
  ): Promise<{ count: number; more: boolean }> {
    const LIMIT = 100;
    const groups = (await tx(tenantId, (trx) =>
      trx('deliveries')
        .where({ reason: 'DIGEST' })
        .whereNotNull('account_id')
        .where((w) =>
          w
            .where((h) => h.where('status', 'held').where('not_before', '<=', asOf))
            .orWhere((s) =>
              s.where('status', 'sending').where('sending_at', '<', new Date(asOf.getTime() - 10 * 60_000)),
            ),
        )
        .groupBy(['account_id', 'channel'])
        .select('account_id', 'channel')
        .limit(LIMIT + 1),
    )) as Array<{ account_id: string; channel: 'sms' | 'email' }>;
    let count = 0;
    for (const g of groups.slice(0, LIMIT)) {
      if (await sendDigest(tenantId, g.account_id, g.channel, asOf)) count++;
    }
    return { count, more: groups.length > LIMIT };
  }

  async function sendDigest(
    tenantId: string,
    accountId: string,
    channel: 'sms' | 'email',
    asOf: Date,
  ): Promise<boolean> {
    const now = clock();
    const claimed = await tx(tenantId, async (trx) => {
      const rows = (await trx('deliveries as d')
        .join('alerts as a', 'a.id', 'd.alert_id')
        .join('alert_categories as c', 'c.id', 'a.category_id')
        .join('tenants as t', 't.id', 'd.tenant_id')
        .join('accounts as acc', 'acc.id', 'd.account_id')
        .where({ 'd.account_id': accountId, 'd.channel': channel, 'd.reason': 'DIGEST' })
        .whereIn('d.status', ['held', 'sending'])
        .where('d.not_before', '<=', asOf)
        .forUpdate('d')
        .orderBy('a.created_at')
        .select(
          'd.id',
          ...CONTENT_COLUMNS,
          'acc.email',
          'acc.email_verified_at',
          'acc.phone',
          'acc.phone_verified_at',
          'acc.locale',
          'acc.status as account_status',
        )) as Array<ClaimRow>;
      if (rows.length === 0) return undefined;
      await trx('deliveries')
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .update({ status: 'sending', sending_at: now, attempts: trx.raw('attempts + 1') });
      return rows;
    });
    if (!claimed) return false;
    const first = claimed[0]!;
    const ids = claimed.map((r) => r.id);
    const to = reachable(first, channel);
    const finish = (update: Record<string, unknown>) =>
      tx(tenantId, (trx) => trx('deliveries').whereIn('id', ids).where('status', 'sending').update(update));
    if (!to) {
      await finish({ status: 'failed', reason: 'UNVERIFIED_ADDRESS', failed_at: now });
      return false;
    }
    const portal = portalUrl(config, first.tenant_slug);
    const items: DigestItem[] = claimed.map((r) => ({
      categoryFr: r.label_fr,
      categoryEn: r.label_en,
      text: r.body,
      link: `${portal}/alertes/${r.alert_id}`,
    }));
    const loc = locale(first.locale);
    try {
      let res: SendResult;
      if (channel === 'sms') {
        const body = digestSms(first.tenant_name, items, loc, `${portal}/notifications`);
        res = await channels.sms.send({ tenantId, to, body: body.text, idempotencyKey: `digest:${ids[0]}` });
        const budget = alertSettings(first.tenant_settings).smsMonthlyBudget;
        await tx(tenantId, async (trx) => {
          const usage = await addSmsUsage(trx, tenantId, {
            segments: body.segments,
            messages: 1,
            now: clock(),
            budget,
          });
          if (usage.warn80) await warnMairie(trx, tenantId, usage);
        });
      } else {
        const mail = await digestEmail(
          first.tenant_name,
          items,
          loc,
          `${portal}/notifications`,
          `${portal}/preferences`,
        );
        res = await channels.email.send({
          tenantId,
          to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          tags: receiptTags(tenantId),
          idempotencyKey: `digest:${ids[0]}`,
        });
      }
      await finish({
        status: res.status === 'delivered' ? 'delivered' : 'sent',
        provider: res.provider,
        provider_message_id: res.providerId,
        sent_at: clock(),
        delivered_at: res.status === 'delivered' ? clock() : null,
      });
      return true;
    } catch (err) {
      const ce = isChannelError(err) ? err : undefined;
      // A refusal is final; anything else goes back to `held` for the next housekeeping run.
      if (ce && !ce.retryable)
        await finish({
          status: 'failed',
          reason: ce.reason,
          provider_code: ce.providerCode ?? null,
          failed_at: clock(),
        });
      else await finish({ status: 'held' });
      return false;
    }
  }
}
