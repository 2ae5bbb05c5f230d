// Who receives an alert, on which channels, and when. Recipients are the
// accounts with an active residence in the targeted communities (or anywhere
// in the commune), plus the police and the mairie; the author is left out.
// Each page of recipients becomes delivery rows in one transaction; only
// counts and a cursor go back to the workflow.
import type { Knex } from 'knex';
import type { Channel, Severity } from '../notifications/index.js';
import { loadPreferences, planTiming, selectChannels, type RecipientReach } from '../notifications/index.js';
import { nextSendTime } from '../notifications/index.js';
import { optedOutAmong } from '../notifications/index.js';
import { pushDevicesOf } from '../notifications/index.js';
import { currentSmsUsage } from './usage.js';
import { STAFF_ROLES } from '../identity/index.js';
import { batchesByChannel, batchesFrom, insertDeliveries, type NewDelivery } from './deliveries.js';
import type { SendChannel } from '@vigie/workflows/contracts';
import type { AlertRow } from './alerts.js';
import { insideArea } from './area.js';

type Trx = Knex.Transaction;

interface RecipientRow {
  id: string;
  email: string;
  email_verified_at: Date | null;
  phone: string | null;
  phone_verified_at: Date | null;
}

export async function recipientsPage(
  trx: Trx,
  alert: Pick<
    AlertRow,
    'target_kind' | 'target_sector_ids' | 'target_area' | 'author_account_id' | 'follows_alert_id'
  >,
  cursor: string | null,
  limit: number,
): Promise<RecipientRow[]> {
  const q = trx('accounts as a')
    .where('a.status', 'active')
    .where(await whoReceives(trx, alert))
    .orderBy('a.id')
    .limit(limit)
    .select('a.id', 'a.email', 'a.email_verified_at', 'a.phone', 'a.phone_verified_at');
  if (cursor) q.where('a.id', '>', cursor);
  if (alert.author_account_id) q.whereNot('a.id', alert.author_account_id);
  return (await q) as RecipientRow[];
}

type Where = (w: Knex.QueryBuilder) => void;

/**
 * The residents of the target and the staff; for a follow-up, whoever the
 * first alert reached, and its author (who wants to hear how it ended). Until
 * the first alert's recipients are all known, a follow-up goes by its target,
 * which is the first alert's.
 */
async function whoReceives(
  trx: Trx,
  alert: Pick<AlertRow, 'target_kind' | 'target_sector_ids' | 'target_area' | 'follows_alert_id'>,
): Promise<Where> {
  const first = alert.follows_alert_id
    ? ((await trx('alerts')
        .where({ id: alert.follows_alert_id })
        .first('id', 'author_account_id', 'recipients_resolved_at')) as
        { id: string; author_account_id: string | null; recipients_resolved_at: Date | null } | undefined)
    : undefined;
  const firstAuthor: Where = (w) => {
    if (first?.author_account_id) w.orWhere('a.id', first.author_account_id);
  };
  if (first?.recipients_resolved_at) {
    const reached = trx('deliveries as d')
      .select(trx.raw('1'))
      .whereRaw('d.account_id = a.id')
      .where({ 'd.alert_id': first.id, 'd.purpose': 'alert' });
    return (w) => {
      w.whereExists(reached);
      firstAuthor(w);
    };
  }
  const residents = trx('residences as r')
    .select(trx.raw('1'))
    .whereRaw('r.account_id = a.id')
    .where('r.status', 'active');
  if (alert.target_kind === 'area') {
    // Whoever lives inside the zone, whichever community their address is in.
    if (!alert.target_area) throw new Error('an area alert without its zone');
    residents.whereIn(
      'r.address_id',
      trx('addresses as ad').select('ad.id').where(insideArea(trx, alert.target_area)),
    );
  } else if (alert.target_kind !== 'commune') residents.whereIn('r.sector_id', alert.target_sector_ids);
  const staff = trx('role_assignments as g')
    .select(trx.raw('1'))
    .whereRaw('g.account_id = a.id')
    .whereIn('g.role', [...STAFF_ROLES]);
  return (w) => {
    w.whereExists(residents).orWhereExists(staff);
    firstAuthor(w);
  };
}

function reachOf(r: RecipientRow, pushDevices = 0): RecipientReach {
  return {
    email: r.email,
    emailVerified: !!r.email_verified_at,
    phone: r.phone,
    phoneVerified: !!r.phone && !!r.phone_verified_at,
    pushDevices,
  };
}

export interface PlanContext {
  tenantId: string;
  alertId: string;
  severity: Severity;
  now: Date;
  smsOverBudget: boolean;
  /** The channels the sender kept (null: all); a channel left out is simply not used. */
  channels?: readonly string[] | null;
  /** The commune's calling hours: a voice call held for quiet hours waits for them too. */
  voiceHours?: { callStart: string; callEnd: string; timeZone: string };
}

/**
 * The rows for one page of recipients. A channel the recipient would have had
 * but cannot (opted out, SMS budget spent) gets a `skipped` row with its
 * reason, so the delivery report explains every absence.
 */
export async function planDeliveries(
  trx: Trx,
  c: PlanContext,
  recipients: RecipientRow[],
): Promise<NewDelivery[]> {
  const prefs = await loadPreferences(
    trx,
    recipients.map((r) => r.id),
  );
  const devices = await pushDevicesOf(
    trx,
    recipients.map((r) => r.id),
  );
  const plans = recipients.map((r) => {
    const preferences = prefs.get(r.id)!;
    const mine = devices.get(r.id) ?? [];
    // Voice calls go to the number of the preferences (a landline), not the account's mobile.
    const reach = { ...reachOf(r, mine.length), voicePhone: preferences.voicePhone ?? null };
    return {
      r,
      preferences,
      mine,
      reach,
      wanted: selectChannels({ severity: c.severity, preferences, reach }),
    };
  });
  // Opt-outs only matter for a channel the recipient would get: the channels chosen
  // without them, plus email, which an SMS budget spent puts in the place of SMS.
  // (An in-app-only resident costs no lookup.)
  const phones: string[] = [];
  const emails: string[] = [];
  for (const { r, wanted } of plans) {
    if (wanted.includes('sms') && r.phone && r.phone_verified_at) phones.push(r.phone);
    if ((wanted.includes('email') || (c.smsOverBudget && wanted.includes('sms'))) && r.email_verified_at)
      emails.push(r.email);
  }
  // One after the other: a transaction is one connection, which runs one query at a time
  // (pg 8 queued concurrent ones with a deprecation warning; pg 9 refuses them).
  const smsOut = phones.length ? await optedOutAmong(trx, 'sms', phones) : new Set<string>();
  const emailOut = emails.length ? await optedOutAmong(trx, 'email', emails) : new Set<string>();
  const kept = (list: Channel[]) => (c.channels ? list.filter((ch) => c.channels!.includes(ch)) : list);
  const rows: NewDelivery[] = [];
  for (const { r, preferences, mine, reach, wanted: chosen } of plans) {
    const optedOut = new Set<Channel>();
    if (r.phone && smsOut.has(r.phone)) optedOut.add('sms');
    if (emailOut.has(r.email)) optedOut.add('email');
    const wanted = kept(chosen);
    const actual = kept(
      selectChannels({
        severity: c.severity,
        preferences,
        reach,
        optedOut,
        smsOverBudget: c.smsOverBudget,
      }),
    );
    const base = { tenant_id: c.tenantId, alert_id: c.alertId, account_id: r.id, purpose: 'alert' as const };
    for (const ch of wanted) {
      if (actual.includes(ch)) continue;
      const reason = optedOut.has(ch) ? 'OPTED_OUT' : ch === 'sms' && c.smsOverBudget ? 'SMS_BUDGET' : null;
      if (reason) rows.push({ ...base, channel: ch, status: 'skipped', reason, failed_at: c.now });
    }
    for (const ch of actual) {
      let timing = planTiming(c.now, c.severity, ch, preferences);
      // The digest (SMS or email) is the message of a digested alert; a push or a call would ring for it now.
      if ((ch === 'push' || ch === 'voice') && timing.mode === 'digest') continue;
      // Quiet hours end at 07:00, calls start at 08:00: a held call waits for both, or it would only be refused.
      if (ch === 'voice' && timing.mode === 'later' && c.voiceHours) {
        const v = c.voiceHours;
        const at = nextSendTime(timing.at, {
          quietHoursStart: v.callEnd,
          quietHoursEnd: v.callStart,
          timezone: v.timeZone,
        });
        timing = { mode: 'later', at };
      }
      // Push: one row per device, so each device's outcome is its own.
      const targets = ch === 'push' ? mine.map((id) => ({ push_subscription_id: id })) : [{}];
      for (const t of targets) {
        if (timing.mode === 'now') rows.push({ ...base, ...t, channel: ch, status: 'pending' });
        else
          rows.push({
            ...base,
            ...t,
            channel: ch,
            status: 'held',
            reason: timing.mode === 'digest' ? 'DIGEST' : 'QUIET_HOURS',
            not_before: timing.at,
          });
      }
    }
  }
  return rows;
}

/**
 * Numbers the pending provider rows into batches of one channel each, from
 * `first` (deliveries.ts, batchesByChannel). In-app rows take none: the page
 * stores them itself (one INSERT … SELECT), in the transaction that plans them.
 */
export function numberBatches(rows: NewDelivery[], first: number): Array<SendChannel | null> {
  const pending = rows
    .map((r, i) => ({ id: String(i), channel: r.channel, r }))
    .filter((x) => x.r.status === 'pending' && x.r.channel !== 'in_app');
  const numbered = batchesByChannel(pending, first);
  numbered.ids.forEach((id, k) => (rows[Number(id)]!.batch_no = numbered.batchNos[k]!));
  return numbered.channels;
}

export interface ResolvedPage {
  nextCursor: string | null;
  recipients: number;
  deliveries: number;
  batches: number;
  /** The channel of each batch (absent when a retried page found the batches of an earlier attempt). */
  channels?: Array<SendChannel | null>;
  /**
   * The recipients of an in-app row, not written yet: the caller writes their
   * delivery rows and notifications together, in this same transaction.
   */
  inApp: string[];
}

/**
 * One page: read recipients after `cursor`, write their deliveries, number
 * the batches. Idempotent: a retry after a lost answer inserts nothing new
 * and reports the batches the first attempt numbered.
 */
export async function resolvePage(
  trx: Trx,
  alert: AlertRow,
  opts: {
    cursor: string | null;
    firstBatch: number;
    pageSize: number;
    now: Date;
    smsBudget: number | null;
    voiceHours?: PlanContext['voiceHours'];
  },
): Promise<ResolvedPage> {
  const recipients = await recipientsPage(trx, alert, opts.cursor, opts.pageSize);
  const usage =
    opts.smsBudget !== null && alert.severity !== 'urgent'
      ? await currentSmsUsage(trx, { now: opts.now, budget: opts.smsBudget })
      : null;
  const rows = await planDeliveries(
    trx,
    {
      tenantId: alert.tenant_id,
      alertId: alert.id,
      severity: alert.severity,
      now: opts.now,
      smsOverBudget: !!usage?.overBudget,
      channels: alert.channels ?? null,
      ...(opts.voiceHours ? { voiceHours: opts.voiceHours } : {}),
    },
    recipients,
  );
  const channels = numberBatches(rows, opts.firstBatch);
  const planned = channels.length;
  // In-app rows differ only by their recipient: the caller writes them, with their
  // notifications, by one INSERT … SELECT. The others go as one JSON parameter per slice.
  const inApp: string[] = [];
  const others: NewDelivery[] = [];
  for (const r of rows)
    if (r.channel === 'in_app' && r.status === 'pending') inApp.push(r.account_id!);
    else others.push(r);
  for (let i = 0; i < others.length; i += 2000) await insertDeliveries(trx, others.slice(i, i + 2000));
  const done = recipients.length < opts.pageSize;
  if (done)
    await trx('alerts')
      .where({ id: alert.id })
      .update({ recipients_resolved_at: trx.raw('coalesce(recipients_resolved_at, now())') });
  const earlier = await batchesFrom(trx, alert.id, opts.firstBatch);
  return {
    nextCursor: done ? null : recipients[recipients.length - 1]!.id,
    recipients: recipients.length,
    deliveries: rows.length,
    batches: Math.max(planned, earlier.batches),
    ...(earlier.batches <= planned ? { channels } : {}),
    inApp,
  };
}

/**
 * Escalation rows: the police chief on every channel they have, the officer
 * on duty set from the console (every channel too) and the on-duty contact of
 * the settings, or, without either, every police agent by
 * SMS (email when they have no verified phone). Preferences do not apply: an
 * escalation is the police's own duty, not a neighbourhood message.
 */
export async function escalationDeliveries(
  trx: Trx,
  c: {
    tenantId: string;
    alertId: string;
    batchNo: number;
    onDuty: { phone: string | null; email: string | null };
    /** The officer on duty set from the console: reached instead of every agent. */
    onDutyAccountId?: string | null;
  },
): Promise<NewDelivery[]> {
  const staff = (await trx('accounts as a')
    .join('role_assignments as g', 'g.account_id', 'a.id')
    .where('a.status', 'active')
    .whereIn('g.role', ['police_chief', 'police_agent'])
    .select('a.id', 'g.role', 'a.email', 'a.email_verified_at', 'a.phone', 'a.phone_verified_at')) as Array<
    RecipientRow & { role: string }
  >;
  const base = {
    tenant_id: c.tenantId,
    alert_id: c.alertId,
    purpose: 'escalation' as const,
    status: 'pending' as const,
    batch_no: c.batchNo,
  };
  const rows: NewDelivery[] = [];
  const add = (accountId: string | null, channel: Channel) => {
    if (!rows.some((r) => r.account_id === accountId && r.channel === channel))
      rows.push({ ...base, account_id: accountId, channel });
  };
  const officer = c.onDutyAccountId ? staff.find((s) => s.id === c.onDutyAccountId) : undefined;
  const hasOnDuty = !!(c.onDuty.phone || c.onDuty.email || officer);
  for (const s of staff) {
    const reach = reachOf(s);
    if (s.id === officer?.id) {
      // On duty: every channel they have, as the chief.
      if (reach.phoneVerified) add(s.id, 'sms');
      if (reach.emailVerified) add(s.id, 'email');
      add(s.id, 'in_app');
    } else if (s.role === 'police_chief') {
      if (reach.phoneVerified) add(s.id, 'sms');
      if (reach.emailVerified) add(s.id, 'email');
      add(s.id, 'in_app');
    } else if (!hasOnDuty) {
      if (reach.phoneVerified) add(s.id, 'sms');
      else if (reach.emailVerified) add(s.id, 'email');
      add(s.id, 'in_app');
    }
  }
  if (c.onDuty.phone) add(null, 'sms');
  if (c.onDuty.email) add(null, 'email');
  return rows;
}
