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
import { onDutyOfficer } from './on-duty.js';
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
  type BatchSendInput,
  type ChannelBatchOutcome,
  type DeliveryPlan,
  type SendChannel,
} from '@vigie/workflows/contracts';
import type { Config } from '../config/config.js';
import { withTenant } from '../db/index.js';
import { audit } from '../lib/audit.js';
import { portalUrl } from '../identity/index.js';
import { storeInApp, storeInAppFrom, storeInAppMany } from '../notifications/index.js';
import { ChannelError, isChannelError, networkReason, toApplicationFailure } from '../notifications/index.js';
import type { Channel, Channels, SendResult, Severity } from '../notifications/index.js';
import { receiptTags, statusCallbackUrl, voiceWebhookUrl } from '../notifications/index.js';
import { isQuietTime } from '../notifications/index.js';
import type { RecordedUsage } from '../notifications/index.js';
import { addSmsUsage, countAlertSmsUsage, currentSmsUsage } from './usage.js';
import { TenantIdKey } from '../temporal/index.js';
import type { AlertRow } from './alerts.js';
import {
  applyReceipt,
  applySuccessMany,
  assignPending,
  createFallback,
  failDelivery,
  insertDeliveries,
  nextFreeBatch,
  progressOf,
  type DeliveryRow,
  type Purpose,
  type ReceiptInput,
} from './deliveries.js';
import { createRateGate, type RateGate } from './send-rate.js';
import { createGroupCommit, retryOnConflict, Semaphore } from '../lib/group-commit.js';
import {
  alertEmail,
  alertInApp,
  alertPush,
  alertSms,
  alertVoice,
  digestEmail,
  digestSms,
  type AlertContent,
  type DigestItem,
  type Locale,
} from './messages.js';
import { escalationDeliveries, resolvePage } from './recipients.js';
import { FOLLOW_UP_PREFIX } from './follow-ups.js';
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

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accounts in the first resolution page, doubling up to the last size (their in-app rows stored with each), and child workflows in flight. */
const PAGE_SIZE = 500;
const MAX_PAGE_SIZE = 4000;
const WINDOW = 8;

export interface ContentRow {
  alert_id: string;
  alert_created_at: Date;
  severity: Severity;
  body: string;
  label_fr: string;
  label_en: string;
  tenant_name: string;
  tenant_slug: string;
  tenant_settings: Record<string, unknown>;
  follow_up_kind: 'update' | 'end' | null;
}

export const CONTENT_COLUMNS = [
  'a.id as alert_id',
  'a.created_at as alert_created_at',
  'a.severity',
  'a.body',
  'c.label_fr',
  'c.label_en',
  't.name as tenant_name',
  't.slug as tenant_slug',
  't.settings as tenant_settings',
  'a.follow_up_kind',
];

export function contentOf(
  config: Config,
  r: ContentRow,
  purpose: 'alert' | 'escalation',
  settings: ResolvedAlertSettings,
): AlertContent {
  const portal = portalUrl(config, r.tenant_slug);
  // A follow-up's body starts with its French heading (follow-ups.ts); each language gets its own (messages.ts).
  const kind = r.follow_up_kind ?? null;
  const head = kind ? FOLLOW_UP_PREFIX[kind] : null;
  return {
    alertId: r.alert_id,
    communeName: r.tenant_name,
    severity: r.severity,
    categoryFr: r.label_fr,
    categoryEn: r.label_en,
    text: head && r.body.startsWith(head) ? r.body.slice(head.length) : r.body,
    ...(kind ? { followUp: kind } : {}),
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

  // ---- Batch sends ----------------------------------------------------------
  //
  // One activity sends one channel of one batch:
  //
  //   claim (one tx: every pending row, and every `sending` row without a
  //          provider id, FOR UPDATE SKIP LOCKED → sending, attempts+1)
  //   → provider calls, bounded per process, each after a token of the shared
  //     rate (send-rate.ts)
  //   → results in group commits (one statement for many rows); a call's slot
  //     is freed only once its provider id is committed.
  //
  // A crash therefore duplicates at most the calls in flight, as with one
  // activity per message. Provider refusals never fail the activity: final
  // ones are recorded with their fallbacks (numbered into the same batch),
  // retryable ones stay `sending` with their reason and are counted for the
  // workflow to retry after its backoff.

  const inFlight: Record<SendChannel, Semaphore> = {
    sms: new Semaphore(config.sendRates.inFlight),
    email: new Semaphore(config.sendRates.inFlight),
    push: new Semaphore(config.sendRates.inFlight),
    voice: new Semaphore(config.sendRates.inFlight),
  };
  const providerRate: Record<SendChannel, number> = {
    sms: config.sendRates.sms,
    email: config.sendRates.email,
    push: config.sendRates.push,
    voice: config.sendRates.voice,
  };
  const gates = new Map<string, RateGate>();
  /** The provider's bucket, and the commune's own when its settings cap its SMS rate. */
  function gateOf(channel: SendChannel, tenantId: string, settings: ResolvedAlertSettings): RateGate {
    const own = channel === 'sms' ? settings.smsPerSecond : null;
    const key = own ? `${channel}:${tenantId}:${own}` : channel;
    let g = gates.get(key);
    if (!g) {
      const buckets: Array<{ key: string; rate: number }> = [{ key: channel, rate: providerRate[channel] }];
      if (own) buckets.push({ key: `${channel}:${tenantId}`, rate: own });
      g = createRateGate(db, buckets);
      gates.set(key, g);
    }
    return g;
  }

  interface Sendable {
    id: string;
    accountId: string | null;
    purpose: Purpose;
    to: string;
    locale: Locale;
    push?: { subscriptionId: string; endpoint: string; p256dh: string; auth: string };
  }

  interface BatchClaim {
    content: (ContentRow & { tenant_id: string }) | undefined;
    settings: ResolvedAlertSettings;
    sends: Sendable[];
    failed: number;
    skipped: number;
    fallbacks: Array<{ id: string; channel: SendChannel }>;
  }

  /** A fallback goes into the batch that failed over to it: the batch's next round sends it. */
  async function adopt(
    trx: Trx,
    batchNo: number,
    fb: { id: string; channel: 'sms' | 'email' } | null,
    into: Array<{ id: string; channel: SendChannel }>,
  ): Promise<void> {
    if (!fb) return;
    await trx('deliveries').where({ id: fb.id }).update({ batch_no: batchNo });
    into.push(fb);
  }

  async function claimBatch(
    trx: Trx,
    channel: SendChannel,
    alertId: string,
    batchNo: number,
    now: Date,
  ): Promise<BatchClaim> {
    const empty = (): BatchClaim => ({
      content: undefined,
      settings: alertSettings({}),
      sends: [],
      failed: 0,
      skipped: 0,
      fallbacks: [],
    });
    // An earlier attempt got through (its id was recorded, or its receipt came): never send twice.
    await trx('deliveries')
      .where({ alert_id: alertId, batch_no: batchNo, channel, status: 'sending' })
      .whereNotNull('provider_message_id')
      .update({ status: channel === 'push' ? 'delivered' : 'sent' });
    const c = await loadContent(trx, alertId);
    if (!c) return empty();
    const content = { ...c, tenant_id: c.alert.tenant_id };
    const out: BatchClaim = { ...empty(), content, settings: alertSettings(c.tenant_settings) };
    const settings = out.settings;
    if (
      channel === 'sms' &&
      c.severity !== 'urgent' &&
      settings.smsMonthlyBudget !== null &&
      (await currentSmsUsage(trx, { now, budget: settings.smsMonthlyBudget })).overBudget
    ) {
      // Past the budget: this batch's non-urgent SMS go by email (and in-app) instead.
      const over = (await trx('deliveries as d')
        .leftJoin('accounts as acc', 'acc.id', 'd.account_id')
        .where({ 'd.alert_id': alertId, 'd.batch_no': batchNo, 'd.channel': 'sms', 'd.purpose': 'alert' })
        .whereIn('d.status', ['pending', 'sending'])
        .whereNull('d.provider_message_id')
        .orderBy('d.id')
        .forUpdate('d')
        .select('d.*', 'acc.locale')) as Array<DeliveryRow & { locale: string | null }>;
      for (const d of over) {
        const row = { ...content, ...d } as unknown as ClaimRow;
        await adopt(trx, batchNo, await switchToEmail(trx, row, settings, now), out.fallbacks);
        out.skipped++;
      }
    }
    const claimed = (
      await trx.raw(
        `with c as (
           select id from deliveries
           where alert_id = ? and batch_no = ? and channel = ? and status in ('pending', 'sending')
             and provider_message_id is null
           order by id for update skip locked
         )
         update deliveries d set status = 'sending', attempts = d.attempts + 1, sending_at = ?
         from c where d.id = c.id
         returning d.id, d.account_id, d.purpose, d.push_subscription_id`,
        [alertId, batchNo, channel, now],
      )
    ).rows as Array<{
      id: string;
      account_id: string | null;
      purpose: Purpose;
      push_subscription_id: string | null;
    }>;
    if (claimed.length === 0) return out;
    const accountIds = [...new Set(claimed.flatMap((r) => (r.account_id ? [r.account_id] : [])))];
    const accounts = new Map(
      (
        (await trx('accounts')
          .whereIn('id', accountIds)
          .select(
            'id',
            'email',
            'email_verified_at',
            'phone',
            'phone_verified_at',
            'locale',
            'status',
          )) as Array<{
          id: string;
          email: string | null;
          email_verified_at: Date | null;
          phone: string | null;
          phone_verified_at: Date | null;
          locale: string | null;
          status: string;
        }>
      ).map((a) => [a.id, a]),
    );
    // The number of voice calls is the preferences' (a landline), not the account's mobile.
    const voicePhones =
      channel === 'voice'
        ? new Map(
            (
              (await trx('notification_preferences')
                .whereIn('account_id', accountIds)
                .whereNotNull('voice_phone')
                .select('account_id', 'voice_phone')) as Array<{ account_id: string; voice_phone: string }>
            ).map((p) => [p.account_id, p.voice_phone]),
          )
        : new Map<string, string>();
    // Outside the commune's calling hours a call is refused (urgent alerts may ring at any hour).
    const v = settings.voice;
    const outsideHours =
      channel === 'voice' &&
      !(c.severity === 'urgent' && v.urgentAnyHour) &&
      isQuietTime(now, { quietHoursStart: v.callEnd, quietHoursEnd: v.callStart, timezone: v.timeZone });
    const devices =
      channel === 'push'
        ? new Map(
            (
              (await trx('push_subscriptions')
                .whereIn(
                  'id',
                  claimed.flatMap((r) => (r.push_subscription_id ? [r.push_subscription_id] : [])),
                )
                .select('id', 'endpoint', 'p256dh', 'auth')) as Array<{
                id: string;
                endpoint: string;
                p256dh: string;
                auth: string;
              }>
            ).map((p) => [p.id, p]),
          )
        : new Map<string, { id: string; endpoint: string; p256dh: string; auth: string }>();
    // Ordered as listed before: SMS and push first in their own queues, ids in order.
    claimed.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const r of claimed) {
      const acc = r.account_id ? accounts.get(r.account_id) : undefined;
      let to: string | null = null;
      let reason = 'UNVERIFIED_ADDRESS';
      let push: Sendable['push'];
      if (r.account_id !== null && acc?.status !== 'active') reason = 'RECIPIENT_GONE';
      else if (channel === 'voice') {
        to = r.account_id ? (voicePhones.get(r.account_id) ?? null) : null;
        if (to && outsideHours) {
          to = null;
          reason = 'OUTSIDE_CALL_HOURS';
        }
      } else if (channel === 'push') {
        const dev = r.push_subscription_id ? devices.get(r.push_subscription_id) : undefined;
        // The resident removed the device, or an earlier alert found it gone, since this row was planned.
        if (!dev) reason = 'SUBSCRIPTION_GONE';
        else {
          to = dev.endpoint;
          push = { subscriptionId: dev.id, endpoint: dev.endpoint, p256dh: dev.p256dh, auth: dev.auth };
        }
      } else if (r.account_id === null)
        to = channel === 'sms' ? settings.onDuty.phone : settings.onDuty.email;
      else if (channel === 'sms') to = acc!.phone && acc!.phone_verified_at ? acc!.phone : null;
      else to = acc!.email && acc!.email_verified_at ? acc!.email : null;
      if (!to) {
        const fb = await failDelivery(trx, r.id, { reason, providerCode: null }, settings.onDuty);
        await adopt(trx, batchNo, fb, out.fallbacks);
        out.failed++;
        deps.metrics.deliveriesFailed.inc({ channel });
        continue;
      }
      out.sends.push({
        id: r.id,
        accountId: r.account_id,
        purpose: r.purpose,
        to,
        locale: locale(acc?.locale),
        ...(push ? { push } : {}),
      });
    }
    return out;
  }

  type SendResultOf =
    | { kind: 'accepted'; s: Sendable; res: SendResult; segments: number | null }
    | { kind: 'refused'; s: Sendable; err: ChannelError };

  /** Records one group of results in one transaction: accepted ones in one statement, refusals after. */
  async function commitResults(
    tenantId: string,
    channel: SendChannel,
    batchNo: number,
    settings: ResolvedAlertSettings,
    results: SendResultOf[],
    outcome: ChannelBatchOutcome,
    fallbacks: Array<{ id: string; channel: SendChannel }>,
  ): Promise<void> {
    const at = clock();
    const accepted = results.filter((r) => r.kind === 'accepted');
    const refused = results.filter((r) => r.kind === 'refused');
    const mine: Array<{ id: string; channel: SendChannel }> = [];
    await retryOnConflict(() =>
      tx(tenantId, async (trx) => {
        mine.length = 0;
        // Locked in id order, as the claim and the receipts' group commit do: no deadlock between them.
        await trx.raw('select id from deliveries where id = any(?::uuid[]) order by id for update', [
          results.map((r) => r.s.id),
        ]);
        if (accepted.length) {
          await trx.raw(
            `update deliveries d set
             provider = v.provider,
             provider_message_id = coalesce(d.provider_message_id, v.pid),
             segments = v.segments,
             status = case when d.status in ('pending', 'sending') then v.status else d.status end,
             sent_at = coalesce(d.sent_at, ?::timestamptz),
             delivered_at = case when v.status = 'delivered' then coalesce(d.delivered_at, ?::timestamptz) else d.delivered_at end,
             -- A failure receipt that came before this commit keeps its reason.
             reason = case when d.status in ('pending', 'sending') then null else d.reason end
           from unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::text[]) as v(id, provider, pid, segments, status)
           -- held: a call's no-answer came before this commit and the row waits for its next call already
           where d.id = v.id and d.status <> 'held'`,
            [
              at,
              at,
              accepted.map((r) => r.s.id),
              accepted.map((r) => r.res.provider),
              accepted.map((r) => r.res.providerId),
              accepted.map((r) => r.segments) as unknown as string[],
              accepted.map((r) =>
                channel === 'push' || r.res.status === 'delivered' ? 'delivered' : 'sent',
              ),
            ],
          );
          if (channel === 'push')
            await trx('push_subscriptions')
              .whereIn(
                'id',
                accepted.map((r) => r.s.push!.subscriptionId),
              )
              .update({ last_success_at: at });
        }
        const again = refused.filter((r) => r.err.retryable);
        if (again.length)
          await trx.raw(
            `update deliveries d set reason = v.reason, provider_code = v.code
           from unnest(?::uuid[], ?::text[], ?::text[]) as v(id, reason, code)
           where d.id = v.id and d.status = 'sending'`,
            [
              again.map((r) => r.s.id),
              again.map((r) => r.err.reason),
              again.map((r) => r.err.providerCode ?? null) as unknown as string[],
            ],
          );
        for (const r of refused.filter((x) => !x.err.retryable)) {
          if (channel === 'push' && r.err.reason === 'SUBSCRIPTION_GONE')
            // The push service will never take this device again: forget it, so no later alert tries.
            await trx('push_subscriptions').where({ id: r.s.push!.subscriptionId }).delete();
          const fb = await failDelivery(
            trx,
            r.s.id,
            { reason: r.err.reason, providerCode: r.err.providerCode ?? null },
            settings.onDuty,
          );
          await adopt(trx, batchNo, fb, mine);
        }
      }),
    );
    // Counted once committed: a rolled-back group is sent again by the retry.
    fallbacks.push(...mine);
    for (const r of accepted) {
      outcome.sent++;
      deps.metrics.sends.inc({ channel, outcome: 'accepted' });
    }
    for (const r of refused) {
      deps.metrics.providerErrors.inc({ channel, reason: r.err.reason });
      deps.metrics.sends.inc({ channel, outcome: 'refused' });
      if (r.err.retryable) outcome.retryable++;
      else {
        outcome.failed++;
        deps.metrics.deliveriesFailed.inc({ channel });
      }
    }
  }

  async function sendBatch(channel: SendChannel, input: BatchSendInput): Promise<ChannelBatchOutcome> {
    const { tenantId, alertId, batchNo } = input;
    const now = clock();
    const claim = await tx(tenantId, (trx) => claimBatch(trx, channel, alertId, batchNo, now));
    const fallbacks = [...claim.fallbacks];
    const outcome: ChannelBatchOutcome = {
      sent: 0,
      failed: claim.failed,
      skipped: claim.skipped,
      retryable: 0,
      fallbacks: 0,
      fallbackChannels: [],
    };
    const finish = () => {
      outcome.fallbacks = fallbacks.length;
      outcome.fallbackChannels = [...new Set(fallbacks.map((f) => f.channel))];
      return outcome;
    };
    const c = claim.content;
    if (!c || claim.sends.length === 0) return finish();
    const settings = claim.settings;
    const ctx = activityContext();
    const signal = ctx?.cancellationSignal;

    // The message, rendered once per language and purpose (not once per recipient).
    const rendered = new Map<string, Promise<Rendered>>();
    const render = (s: Sendable) => {
      const key = `${s.purpose}:${s.locale}`;
      let r = rendered.get(key);
      if (!r) {
        r = renderFor(channel, contentOf(config, c, s.purpose, settings), s.locale);
        rendered.set(key, r);
      }
      return r;
    };
    const call = async (s: Sendable): Promise<{ res: SendResult; segments: number | null }> => {
      const m = await render(s);
      if (m.channel === 'sms') {
        const res = await channels.sms.send({
          tenantId,
          to: s.to,
          body: m.text,
          statusCallbackUrl: statusCallbackUrl(config.publicUrl, tenantId, s.id),
          idempotencyKey: s.id,
        });
        return { res, segments: m.segments };
      }
      if (m.channel === 'voice') {
        const hook = (h: 'twiml' | 'status') => voiceWebhookUrl(config.publicUrl, h, tenantId, s.id);
        const res = await channels.voice.call({
          tenantId,
          to: s.to,
          twimlUrl: hook('twiml'),
          statusCallbackUrl: hook('status'),
          script: `${m.script.message} ${m.script.prompt}`,
          idempotencyKey: s.id,
        });
        return { res, segments: null };
      }
      if (m.channel === 'email') {
        const res = await channels.email.send({
          tenantId,
          to: s.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
          tags: receiptTags(tenantId, s.id),
          idempotencyKey: s.id,
        });
        return { res, segments: null };
      }
      const p = s.push!;
      const res = await channels.push.send({
        tenantId,
        target: targetOf({ endpoint: p.endpoint, p256dh: p.p256dh, auth: p.auth }),
        payload: m.payload,
        // An alert is news for a day at most; an urgent one must wake the phone.
        ttlSeconds: c.severity === 'info' ? 6 * 3600 : 24 * 3600,
        urgency: c.severity === 'urgent' ? 'high' : c.severity === 'important' ? 'normal' : 'low',
        topic: c.alert_id.replaceAll('-', ''),
      });
      return { res, segments: null };
    };

    const commits = createGroupCommit<SendResultOf>(
      (results) => commitResults(tenantId, channel, batchNo, settings, results, outcome, fallbacks),
      { maxItems: 250, maxDelayMs: 20 },
    );
    let done = 0;
    const beat = ctx ? setInterval(() => ctx.heartbeat({ done }), 5_000) : undefined;
    const gate = gateOf(channel, tenantId, settings);
    const slots = inFlight[channel];
    try {
      await Promise.all(
        claim.sends.map(async (s) => {
          await slots.acquire();
          try {
            // Cancelled (the workflow gave up on this attempt): what is not sent stays `sending`, the next attempt takes it.
            if (signal?.aborted) return;
            await gate.take(signal);
            deps.metrics.alertToSend.observe(
              { channel },
              (clock().getTime() - c.alert_created_at.getTime()) / 1000,
            );
            let r: SendResultOf;
            try {
              const sent = await call(s);
              r = { kind: 'accepted', s, res: sent.res, segments: sent.segments };
            } catch (err) {
              const ce = isChannelError(err)
                ? err
                : new ChannelError(channel, networkReason(err) ?? 'UNKNOWN', 'Send failed', { cause: err });
              if (!ce.retryable)
                deps.log.info(
                  { deliveryId: s.id, channel, reason: ce.reason },
                  'delivery refused by the provider',
                );
              r = { kind: 'refused', s, err: ce };
            }
            // The slot is held until the result is committed: a crash duplicates at most the calls in flight.
            await commits.add(r);
            done++;
          } finally {
            slots.release();
          }
        }),
      );
    } catch (err) {
      // The abort of a cancelled attempt: what is left is sent by the next one.
      if (!signal?.aborted) throw err;
    } finally {
      if (beat) clearInterval(beat);
      await commits.close();
    }
    return finish();
  }

  type Rendered =
    | { channel: 'sms'; text: string; segments: number }
    | { channel: 'email'; subject: string; html: string; text: string }
    | { channel: 'push'; payload: ReturnType<typeof alertPush> }
    | { channel: 'voice'; script: ReturnType<typeof alertVoice> };

  async function renderFor(channel: SendChannel, content: AlertContent, loc: Locale): Promise<Rendered> {
    if (channel === 'sms') return { channel, ...alertSms(content, loc) };
    if (channel === 'email') return { channel, ...(await alertEmail(content, loc)) };
    if (channel === 'voice') return { channel, script: alertVoice(content, loc) };
    return { channel, payload: alertPush(content, loc) };
  }

  /** After the workflow's last retry: every row of the channel still without a provider id fails with its last reason. */
  async function failUnsent(input: BatchSendInput & { channel: SendChannel }) {
    const { tenantId, alertId, batchNo, channel } = input;
    const fallbacks: Array<{ id: string; channel: SendChannel }> = [];
    const failed = await tx(tenantId, async (trx) => {
      await trx('deliveries')
        .where({ alert_id: alertId, batch_no: batchNo, channel, status: 'sending' })
        .whereNotNull('provider_message_id')
        .update({ status: channel === 'push' ? 'delivered' : 'sent' });
      const rows = (await trx('deliveries')
        .where({ alert_id: alertId, batch_no: batchNo, channel })
        .whereIn('status', ['pending', 'sending'])
        .whereNull('provider_message_id')
        .orderBy('id')
        .select('id', 'reason', 'provider_code')) as Array<{
        id: string;
        reason: string | null;
        provider_code: string | null;
      }>;
      const onDuty = (await tenantSettings(trx, tenantId)).onDuty;
      for (const r of rows) {
        const fb = await failDelivery(
          trx,
          r.id,
          { reason: r.reason ?? 'TIMEOUT', providerCode: r.provider_code },
          onDuty,
        );
        await adopt(trx, batchNo, fb, fallbacks);
      }
      return rows.length;
    });
    for (let i = 0; i < failed; i++) deps.metrics.deliveriesFailed.inc({ channel });
    return {
      failed,
      fallbacks: fallbacks.length,
      fallbackChannels: [...new Set(fallbacks.map((f) => f.channel))],
    };
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

  /**
   * In-app deliveries of a page of recipients, written by the database itself:
   * one statement inserts their delivery rows, `delivered`, and stores the
   * notifications of the rows it created (the title and body in each language
   * bound once), then one NOTIFY per page. A retried page creates no delivery
   * row, so it stores no notification twice: no idempotency key is needed, and
   * its unique index would cost as much as the rest of the insert.
   */
  async function storeInAppPage(
    trx: Trx,
    content: ContentRow & { tenant_id: string },
    accountIds: string[],
    settings: ResolvedAlertSettings,
    now: Date,
  ): Promise<void> {
    const msg = contentOf(config, content, 'alert', settings);
    const fr = alertInApp(msg, 'fr');
    const en = alertInApp(msg, 'en');
    await storeInAppFrom(
      trx,
      `select d.tenant_id, d.account_id, 'alert',
              case when acc.locale = 'en' then ? else ? end,
              case when acc.locale = 'en' then ? else ? end,
              ?, ?::jsonb, null
       from d join accounts acc on acc.id = d.account_id`,
      [
        en.title,
        fr.title,
        en.body,
        fr.body,
        `/alertes/${content.alert_id}`,
        JSON.stringify({ alertId: content.alert_id, severity: content.severity }),
      ],
      {
        sql: `insert into deliveries (tenant_id, alert_id, account_id, purpose, channel, status, provider,
                                      attempts, sending_at, sent_at, delivered_at)
              select ?, ?, r, 'alert', 'in_app', 'delivered', 'in-app', 1, ?, ?, ?
              from unnest(?::uuid[]) as r
              on conflict do nothing
              returning tenant_id, account_id`,
        bindings: [content.tenant_id, content.alert_id, now, now, now, accountIds],
      },
    );
  }

  function activityContext(): Context | undefined {
    try {
      return Context.current();
    } catch {
      return undefined;
    }
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
          receiptCheckSeconds: s.receiptCheckSeconds,
          retryInitialSeconds: s.retryInitialSeconds,
          pageSize: PAGE_SIZE,
          maxPageSize: MAX_PAGE_SIZE,
          window: WINDOW,
          batchesPerRun: s.batchesPerRun,
          resume: (a as AlertRow & { recipients_resolved_at: Date | null }).recipients_resolved_at !== null,
          nextBatch: await nextFreeBatch(trx, alertId),
        };
      });
    },

    async resolveRecipientsPage({ tenantId, alertId, cursor, firstBatch, pageSize }) {
      return tx(tenantId, async (trx) => {
        const c = (await loadContent(trx, alertId))!;
        const settings = alertSettings(c.tenant_settings);
        const now = clock();
        const { inApp, ...page } = await resolvePage(trx, c.alert, {
          cursor,
          firstBatch,
          pageSize,
          now,
          smsBudget: settings.smsMonthlyBudget,
          voiceHours: settings.voice,
        });
        // The page's in-app notifications, in its own transaction: stored with the rows that plan them.
        if (inApp.length) await storeInAppPage(trx, { ...c, tenant_id: tenantId }, inApp, settings, now);
        return page;
      });
    },

    async prepareBatch({ tenantId, alertId, batchNo }) {
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
        let inApp = 0;
        if (rows.length > 0) {
          const c = (await loadContent(trx, alertId))!;
          const settings = alertSettings(c.tenant_settings);
          for (const purpose of ['alert', 'escalation'] as const) {
            const mine = rows.filter((r) => r.purpose === purpose);
            if (mine.length)
              inApp += await deliverInApp(
                trx,
                { ...c, tenant_id: tenantId, purpose },
                mine,
                settings,
                clock(),
              );
          }
        }
        const channels = (await trx('deliveries')
          .where({ alert_id: alertId, batch_no: batchNo })
          .whereIn('channel', ['sms', 'email', 'push', 'voice'])
          .whereIn('status', ['pending', 'sending'])
          .distinct('channel')
          .pluck('channel')) as SendChannel[];
        // SMS first: the fastest channel for an urgent alert.
        const order: SendChannel[] = ['sms', 'voice', 'push', 'email'];
        return { inApp, channels: order.filter((ch) => channels.includes(ch)) };
      });
    },

    sendSmsBatch: (input) => sendBatch('sms', input),
    sendEmailBatch: (input) => sendBatch('email', input),
    sendPushBatch: (input) => sendBatch('push', input),
    sendVoiceBatch: (input) => sendBatch('voice', input),
    failUnsent: (input) => failUnsent(input),

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
        const officer = await onDutyOfficer(trx);
        const rows = await escalationDeliveries(trx, {
          tenantId,
          alertId,
          batchNo,
          onDuty: settings.onDuty,
          onDutyAccountId: officer?.accountId ?? null,
        });
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

    async checkMissingReceipts({ tenantId, alertId, olderThanSeconds, limit, after }) {
      const none = { checked: 0, updated: 0, failed: 0, more: false, lastId: null };
      // SMS and calls alike: Twilio sends each status callback once, and a call's end may be lost too.
      const fetchers = {
        sms: channels.sms.fetchStatus?.bind(channels.sms),
        voice: channels.voice.fetchStatus?.bind(channels.voice),
      };
      const asking = (['sms', 'voice'] as const).filter((ch) => fetchers[ch]);
      if (asking.length === 0) return none;
      const cutoff = new Date(clock().getTime() - olderThanSeconds * 1000);
      const rows = (await tx(tenantId, (trx) => {
        const q = trx('deliveries')
          .where({ alert_id: alertId })
          .whereIn('channel', asking)
          .whereIn('status', ['sending', 'sent'])
          .whereNotNull('provider_message_id')
          .whereRaw('coalesce(sent_at, sending_at) <= ?', [cutoff])
          .orderBy('id')
          .limit(Math.min(Math.max(limit, 1), 500) + 1)
          .select('id', 'channel', 'provider_message_id');
        if (after && UUID_RE.test(after)) q.where('id', '>', after);
        return q;
      })) as Array<{ id: string; channel: 'sms' | 'voice'; provider_message_id: string }>;
      if (rows.length === 0) return none;
      const more = rows.length > limit;
      const asked = rows.slice(0, limit);
      const lastId = asked[asked.length - 1]!.id;
      // A few questions at a time: the provider's API has its own rate limit, and this is not urgent.
      const answers: ReceiptInput[] = [];
      let next = 0;
      const askNext = async (): Promise<void> => {
        for (let i = next++; i < asked.length; i = next++) {
          const r = asked[i]!;
          try {
            const s = await fetchers[r.channel]!(r.provider_message_id);
            if (s)
              answers.push({
                channel: r.channel,
                providerMessageId: r.provider_message_id,
                ref: r.id,
                status: s.status,
                at: clock(),
                reason: s.reason,
                providerCode: s.providerCode,
              });
          } catch (err) {
            // Asked again at the next check; a missing answer changes nothing.
            deps.log.warn({ err, alertId, channel: r.channel }, 'provider status of a message unavailable');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(8, asked.length) }, askNext));
      const ok = answers.filter((a) => a.status === 'sent' || a.status === 'delivered');
      // A retried call is held, a failed one has its fallback pending: the workflow's next progress check sees both.
      const bad = answers.filter((a) => !ok.includes(a));
      let updated = 0;
      let failed = 0;
      await retryOnConflict(() =>
        tx(tenantId, async (trx) => {
          updated = ok.length ? await applySuccessMany(trx, ok) : 0;
          failed = 0;
          if (bad.length === 0) return;
          const settings = await tenantSettings(trx, tenantId);
          for (const a of bad) {
            const o = await applyReceipt(trx, a, async () => settings.onDuty, settings.voice);
            if (o.kind === 'retry') updated++;
            if (o.kind === 'failed') {
              updated++;
              failed++;
            }
          }
        }),
      );
      for (const a of answers)
        deps.metrics.receipts.inc({
          provider: a.channel === 'voice' ? 'twilio-voice-check' : 'twilio-check',
          status: a.status,
        });
      return { checked: asked.length, updated, failed, more, lastId };
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
