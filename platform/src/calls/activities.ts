// The steps of one call, each in its own short transaction with the row
// locked: place the call when it is due and within the commune's calling
// hours; read what the webhooks wrote (the key pressed, the call's end); ask
// Twilio when they stayed silent; call again after the commune's delay when
// nobody answered; settle the call and tell its asker's handler. A call by
// SMS is texted once within the same hours, then waits for its reply
// (replies.ts writes it as the key) until `reply_until`. No phone number in
// logs: the row's id and the reason only.
//
// Placing holds no connection while Twilio answers: the attempt is claimed
// (`calling`, no call id) in one transaction, the provider called outside
// any, and its call id recorded in another. Webhooks that arrive before that
// record adopt the attempt under way (webhooks.ts). A crash between the call
// and the record leaves the attempt without an id: its webhooks still
// settle it, else it is given up after GIVE_UP_MS, never placed twice.
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { PhoneCallActivities, PhoneCallStep } from '@vigie/workflows/contracts';
import { withTenant } from '../db/index.js';
import type { Config } from '../config/config.js';
import { alertSettings } from '../alerts/index.js';
import { fitSms, isChannelError, isQuietTime, nextSendTime, type Channels } from '../notifications/index.js';
import type { PhoneCallOutcome, PhoneCallsExtension } from '../core/phone-calls.js';
import type { Temporal } from '../temporal/index.js';
import { NUMBER_PURPOSE, startPhoneCall } from './place.js';
import { callUrl } from './urls.js';

/** A call still ringing or talking after this long, with no word from Twilio, is given up. */
const GIVE_UP_MS = 30 * 60_000;
const HOUR_MS = 3_600_000;
export const RATE_LIMITED = 'PHONE_CALL_RATE_LIMITED';

export interface PhoneCallRow {
  id: string;
  tenant_id: string;
  handler: string;
  key: string;
  number_sealed: string;
  locale: 'fr' | 'en';
  message: string;
  prompt: string | null;
  confirmed_reply: string | null;
  other_key_reply: string | null;
  urgent: boolean;
  context: Record<string, unknown>;
  status: 'pending' | 'calling' | 'done';
  channel: 'voice' | 'sms';
  reply_within_seconds: number | null;
  reply_until: Date | null;
  outcome: PhoneCallOutcome | null;
  reason: string | null;
  attempts: number;
  call_sid: string | null;
  call_status: string | null;
  digits: string | null;
  placed_at: Date | null;
  not_before: Date;
  settled_at: Date | null;
  handled_at: Date | null;
  updated_at: Date;
}

export interface PhoneCallDeps {
  db: Knex;
  config: Config;
  log: Pick<Logger, 'warn'>;
  channels: Pick<Channels, 'voice' | 'sms'>;
  open: (tenantId: string, purpose: string, sealed: string) => string;
  handlers: () => PhoneCallsExtension;
  temporal: () => Temporal;
}

type Trx = Knex.Transaction;
type Ended = { outcome: PhoneCallOutcome; reason: string | null } | { retry: true; reason: string };
type Decision = PhoneCallStep & { after?: () => Promise<void> };
/** An attempt claimed (committed `calling`), to be placed with the provider. */
interface Dial {
  row: PhoneCallRow;
  attempt: number;
  waitMs: number;
}

async function callSettings(trx: Trx, tenantId: string) {
  const t = (await trx('tenants').where({ id: tenantId }).first('settings')) as
    { settings: Record<string, unknown> | null } | undefined;
  const s = alertSettings(t?.settings);
  return { voice: s.voice, checkMs: s.receiptCheckSeconds * 1000 };
}

/** What a call's end says: the key (when a prompt asked for one) wins over the status. */
function endOf(row: Pick<PhoneCallRow, 'digits' | 'call_status'>, attemptsLeft: boolean): Ended | null {
  if (row.digits) return { outcome: row.digits === '1' ? 'confirmed' : 'other_key', reason: null };
  switch (row.call_status) {
    case 'completed':
      return { outcome: 'heard', reason: null };
    case 'busy':
      return attemptsLeft ? { retry: true, reason: 'BUSY' } : { outcome: 'busy', reason: 'BUSY' };
    case 'no-answer':
      return attemptsLeft
        ? { retry: true, reason: 'NO_ANSWER' }
        : { outcome: 'no_answer', reason: 'NO_ANSWER' };
    case 'failed':
      return { outcome: 'failed', reason: 'PROVIDER_ERROR' };
    case 'canceled':
      return { outcome: 'failed', reason: 'CANCELED' };
    default:
      return null;
  }
}

/**
 * When the commune has placed `perHour` calls in the last hour: the time this
 * call may go, after the calls already waiting their turn, one every
 * 1/perHour of an hour from when the oldest call of the hour ages out; null
 * when it may go now. The decisions of one commune are taken one at a time,
 * so two calls never get the same turn.
 */
async function turnOf(trx: Trx, row: PhoneCallRow, now: Date, perHour: number): Promise<Date | null> {
  // One commune's turns are given one at a time (until this transaction
  // commits): two calls deferred at the same moment would otherwise both read
  // the queue without the other and get the same turn, then ring together.
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`phone-call-turn:${row.tenant_id}`]);
  const hour = (await trx('phone_calls')
    .where('placed_at', '>', new Date(now.getTime() - HOUR_MS))
    .whereNot({ id: row.id })
    .first(trx.raw('count(*)::int as n'), trx.raw('min(placed_at) as oldest'))) as {
    n: number;
    oldest: Date | null;
  };
  if (hour.n < perHour || !hour.oldest) return null;
  const queued = (await trx('phone_calls')
    .where({ status: 'pending', reason: RATE_LIMITED })
    .where('not_before', '>', now)
    .whereNot({ id: row.id })
    .max({ last: 'not_before' })
    .first()) as { last: Date | null };
  const freed = hour.oldest.getTime() + HOUR_MS;
  const after = queued.last ? queued.last.getTime() + HOUR_MS / perHour : 0;
  return new Date(Math.max(freed, after, now.getTime() + 1000));
}

export function createPhoneCallActivities(deps: PhoneCallDeps): PhoneCallActivities {
  /** Records the outcome and tells the handler, in one transaction: both or neither. */
  async function settle(
    trx: Trx,
    row: PhoneCallRow,
    outcome: PhoneCallOutcome,
    reason: string | null,
  ): Promise<Decision> {
    const now = new Date();
    if (row.status !== 'done')
      await trx('phone_calls')
        .where({ id: row.id })
        .update({ status: 'done', outcome, reason, settled_at: now, updated_at: now });
    const handler = deps.handlers().handler(row.handler);
    let after: (() => Promise<void>) | undefined;
    const enabled =
      !handler?.pluginId ||
      Boolean(
        await trx('tenant_plugins').where({ plugin_id: handler.pluginId, enabled: true }).first('plugin_id'),
      );
    if (!handler)
      deps.log.warn({ callId: row.id, handler: row.handler }, 'phone call settled for no handler');
    else if (enabled) {
      const told = await handler.settled(trx, {
        tenantId: row.tenant_id,
        callId: row.id,
        key: row.key,
        context: row.context,
        outcome,
        reason,
        attempts: row.attempts,
      });
      after = told ? told.afterCommit : undefined;
    }
    await trx('phone_calls').where({ id: row.id }).update({ handled_at: now });
    return { done: true, outcome, ...(after ? { after } : {}) };
  }

  /**
   * Due and within the hours and the limit: the attempt is claimed (`calling`,
   * no call id yet) and committed, so the provider is called outside any
   * transaction (dial()), as the notices and alerts do.
   */
  async function place(trx: Trx, row: PhoneCallRow): Promise<Decision | { dial: Dial }> {
    const { voice, checkMs } = await callSettings(trx, row.tenant_id);
    const now = new Date();
    const hours = {
      quietHoursStart: voice.callEnd,
      quietHoursEnd: voice.callStart,
      timezone: voice.timeZone,
    };
    if (!(row.urgent && voice.urgentAnyHour) && isQuietTime(now, hours)) {
      // Outside the commune's calling hours: the call waits for them to open.
      const at = nextSendTime(now, hours, 'info');
      await trx('phone_calls').where({ id: row.id }).update({ not_before: at, updated_at: now });
      return { done: false, waitMs: at.getTime() - now.getTime() };
    }
    if (!row.urgent) {
      const turn = await turnOf(trx, row, now, voice.callsPerHour);
      if (turn) {
        await trx('phone_calls')
          .where({ id: row.id })
          .update({ not_before: turn, reason: RATE_LIMITED, updated_at: now });
        return { done: false, waitMs: turn.getTime() - now.getTime() };
      }
    }
    const attempt = row.attempts + 1;
    const waitMs = row.channel === 'sms' ? (row.reply_within_seconds ?? 0) * 1000 : checkMs;
    await trx('phone_calls')
      .where({ id: row.id })
      .update({
        status: 'calling',
        attempts: attempt,
        call_sid: null,
        call_status: null,
        digits: null,
        placed_at: now,
        ...(row.channel === 'sms' ? { reply_until: new Date(now.getTime() + waitMs) } : {}),
        updated_at: now,
        ...(row.reason === RATE_LIMITED ? { reason: null } : {}),
      });
    return { dial: { row: { ...row, status: 'calling', attempts: attempt }, attempt, waitMs } };
  }

  /** The provider call of a claimed attempt (no transaction held), then its result in a short one. */
  async function dial({ row, attempt, waitMs }: Dial): Promise<Decision> {
    let sent: { providerId: string; status?: string };
    try {
      const to = deps.open(row.tenant_id, NUMBER_PURPOSE, row.number_sealed);
      sent =
        row.channel === 'sms'
          ? await deps.channels.sms.send({
              tenantId: row.tenant_id,
              to,
              body: fitSms(row.prompt ? `${row.message} ${row.prompt}` : row.message).text,
              idempotencyKey: `phone-call:${row.id}:${attempt}`,
            })
          : await deps.channels.voice.call({
              tenantId: row.tenant_id,
              to,
              twimlUrl: callUrl(deps.config.publicUrl, 'twiml', row.tenant_id, row.id),
              statusCallbackUrl: callUrl(deps.config.publicUrl, 'status', row.tenant_id, row.id),
              script: row.prompt ? `${row.message} ${row.prompt}` : row.message,
              idempotencyKey: `phone-call:${row.id}:${attempt}`,
            });
    } catch (err) {
      const final = isChannelError(err) && !err.retryable;
      const reason = isChannelError(err) ? err.reason : 'PROVIDER_ERROR';
      const d = await withTenant(deps.db, row.tenant_id, async (trx): Promise<Decision | null> => {
        const r = await claimed(trx, row.id, attempt);
        if (!r) return null;
        // Not placed: the claim is undone (no attempt counted, none in the hour's limit).
        const undone = { attempts: attempt - 1, placed_at: row.placed_at };
        await trx('phone_calls')
          .where({ id: row.id })
          .update({ ...undone, ...(final ? {} : { status: 'pending', reason }), updated_at: new Date() });
        // An opted-out or do-not-call number, one Twilio refuses: never called nor texted.
        if (final) {
          deps.log.warn({ callId: row.id, reason }, 'phone call refused');
          return settle(trx, { ...r, ...undone }, 'refused', reason);
        }
        // A transient failure: the workflow's retry places it again.
        return null;
      });
      if (d) return d;
      throw err;
    }
    return withTenant(deps.db, row.tenant_id, async (trx): Promise<Decision> => {
      const r = await claimed(trx, row.id, attempt);
      // Forgotten meanwhile, or a webhook already moved it on: the next step reads the row.
      if (!r) return { done: false, waitMs: 200 };
      await trx('phone_calls')
        .where({ id: row.id })
        .update({ call_sid: sent.providerId, updated_at: new Date() });
      // The dev outbox "calls" at once and hears no key.
      if (row.channel === 'voice' && sent.status === 'delivered') return settle(trx, r, 'heard', null);
      return { done: false, waitMs };
    });
  }

  /** The row, locked, while this attempt is still the one under way. */
  async function claimed(trx: Trx, id: string, attempt: number): Promise<PhoneCallRow | undefined> {
    return (await trx('phone_calls')
      .where({ id, status: 'calling', attempts: attempt })
      .forUpdate()
      .first()) as PhoneCallRow | undefined;
  }

  async function follow(trx: Trx, row: PhoneCallRow): Promise<Decision> {
    if (row.channel === 'sms') {
      if (row.digits) return settle(trx, row, row.digits === '1' ? 'confirmed' : 'other_key', null);
      const left = (row.reply_until?.getTime() ?? 0) - Date.now();
      if (left > 0) return { done: false, waitMs: left };
      return settle(trx, row, 'no_answer', 'NO_REPLY');
    }
    const { voice, checkMs } = await callSettings(trx, row.tenant_id);
    const left = row.attempts < voice.attempts;
    let end = endOf(row, left);
    const since = Date.now() - (row.placed_at?.getTime() ?? 0);
    if (!end && since >= checkMs && row.call_sid && deps.channels.voice.fetchStatus) {
      // The webhooks stayed silent (our endpoint down, a callback lost): Twilio says how it ended.
      const s = await deps.channels.voice.fetchStatus(row.call_sid);
      if (s)
        end = endOf(
          {
            digits: null,
            call_status:
              s.status === 'delivered'
                ? 'completed'
                : s.status === 'unanswered'
                  ? s.reason === 'BUSY'
                    ? 'busy'
                    : 'no-answer'
                  : 'failed',
          },
          left,
        );
    }
    if (!end) {
      if (since > GIVE_UP_MS) return settle(trx, row, 'failed', 'NO_RECEIPT');
      return { done: false, waitMs: checkMs };
    }
    if ('retry' in end) {
      const at = new Date(Date.now() + voice.retrySeconds * 1000);
      await trx('phone_calls')
        .where({ id: row.id })
        .update({ status: 'pending', reason: end.reason, not_before: at, updated_at: new Date() });
      return { done: false, waitMs: voice.retrySeconds * 1000 };
    }
    return settle(trx, row, end.outcome, end.reason);
  }

  return {
    async phoneCallStep({ tenantId, callId }) {
      const step = await withTenant(deps.db, tenantId, async (trx): Promise<Decision | { dial: Dial }> => {
        const row = (await trx('phone_calls').where({ id: callId }).forUpdate().first()) as
          PhoneCallRow | undefined;
        if (!row) return { done: true, outcome: null };
        if (row.status === 'done')
          return row.handled_at
            ? { done: true, outcome: row.outcome }
            : settle(trx, row, row.outcome!, row.reason);
        if (row.status === 'calling') return follow(trx, row);
        const wait = row.not_before.getTime() - Date.now();
        if (wait > 0) return { done: false, waitMs: wait };
        return place(trx, row);
      });
      const d = 'dial' in step ? await dial(step.dial) : step;
      if (d.after)
        await d
          .after()
          .catch((err: unknown) =>
            deps.log.warn(
              { callId, err: (err as Error).name },
              'phone call handler: after-commit step failed',
            ),
          );
      return d.done ? { done: true, outcome: d.outcome } : { done: false, waitMs: d.waitMs };
    },

    async restartLostPhoneCalls() {
      const tenants = (await deps.db('tenants').select('id', 'slug')) as Array<{ id: string; slug: string }>;
      let restarted = 0;
      for (const t of tenants) {
        const ids = (await withTenant(deps.db, t.id, (trx) =>
          trx('phone_calls')
            .where((q) => q.whereNot('status', 'done').orWhereNull('handled_at'))
            .where('updated_at', '<', new Date(Date.now() - 2 * 60_000))
            // A text awaiting its reply has its workflow asleep until then: nothing was lost.
            .whereNot((q) =>
              q.where({ channel: 'sms', status: 'calling' }).where('reply_until', '>', new Date()),
            )
            .orderBy('updated_at')
            .limit(200)
            .pluck('id'),
        )) as string[];
        for (const id of ids) {
          await startPhoneCall(deps.temporal(), t, id);
          restarted++;
        }
      }
      return { restarted };
    },
  };
}
