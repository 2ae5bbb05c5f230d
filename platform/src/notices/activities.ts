// Sending a batch of notices, each row in three steps so that no pooled
// connection is held while a provider answers (the worker and the API share
// one pool under `npm start`):
//
//   claim (short tx: the row locked; the account's channel reachable (a
//          verified phone for SMS, an email), not opted out, outside its
//          quiet hours (urgent excepted), else held until they end;
//          pending → sending)
//   → the provider call, outside any transaction
//   → record (short tx: sending → sent, failed, or pending again later).
//
// Two runs never send one row twice: the claim commits `sending`, which the
// other skips. A row left `sending` with no provider id (a crash, a lost
// answer between the call and the record) is sent again once it is stale,
// at most once (`resent`); found so a second time, it is failed. A
// provider's transient failure is retried a few times with a growing delay;
// a final one is recorded with its reason. No personal data in logs.
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { NoticeActivities, NoticeRound } from '@vigie/workflows/contracts';
import { withTenant } from '../db/index.js';
import { portalUrl } from '../identity/index.js';
import {
  fitSms,
  isChannelError,
  loadPreferences,
  optedOutAmong,
  planTiming,
  renderNotificationEmail,
  type Channels,
  type Severity,
} from '../notifications/index.js';
import type { Config } from '../config/config.js';
import type { Temporal } from '../temporal/index.js';
import { startNoticeBatch } from './enqueue.js';

const MAX_ATTEMPTS = 5;
const PAGE = 200;
/** A claim older than this with no provider id was lost (a send takes 10 s at most: the channels' timeout). */
const STALE_MS = 60_000;

interface Row {
  id: string;
  tenant_id: string;
  notification_id: string;
  account_id: string;
  channel: 'sms' | 'email';
  severity: Severity;
  status: 'pending' | 'sending';
  resent: boolean;
  attempts: number;
}

export interface NoticeDeps {
  db: Knex;
  config: Config;
  log: Pick<Logger, 'warn'>;
  channels: Pick<Channels, 'sms' | 'email'>;
  temporal: () => Temporal;
}

export function createNoticeActivities(deps: NoticeDeps): NoticeActivities {
  return {
    async sendNoticeBatch({ tenantId, batchId }) {
      const round: NoticeRound = { sent: 0, failed: 0, skipped: 0, nextAt: null };
      const now = new Date();
      const due = (await withTenant(deps.db, tenantId, (trx) =>
        dueRows(trx('notice_sends').where({ batch_id: batchId }), now)
          .orderBy('id')
          .limit(PAGE)
          .pluck('id'),
      )) as string[];
      for (const id of due) {
        const outcome = await sendOne(deps, tenantId, id);
        if (outcome) round[outcome]++;
      }
      const next = (await withTenant(deps.db, tenantId, (trx) =>
        trx('notice_sends')
          .where({ batch_id: batchId })
          .where((w) =>
            w
              .where('status', 'pending')
              .orWhere((s) => s.where('status', 'sending').whereNull('provider_id')),
          )
          .first(
            trx.raw(
              `min(case when status = 'pending' then not_before else sending_at + make_interval(secs => ?) end) as at`,
              [STALE_MS / 1000],
            ),
          ),
      )) as { at: Date | null } | undefined;
      round.nextAt = next?.at ? new Date(next.at).toISOString() : null;
      return round;
    },

    async restartLostNotices() {
      const tenants = (await deps.db('tenants').select('id', 'slug')) as Array<{ id: string; slug: string }>;
      let restarted = 0;
      for (const t of tenants) {
        const batches = (await withTenant(deps.db, t.id, (trx) =>
          trx('notice_sends')
            .where((w) =>
              w
                .where('status', 'pending')
                .orWhere((s) => s.where('status', 'sending').whereNull('provider_id')),
            )
            .where('created_at', '<', new Date(Date.now() - 60_000))
            .distinct('batch_id')
            .limit(100)
            .pluck('batch_id'),
        )) as string[];
        for (const b of batches) {
          await startNoticeBatch(deps.temporal(), t, b);
          restarted++;
        }
      }
      return { restarted };
    },
  };
}

/** Rows to send now: pending and due, or left `sending` without a provider id for longer than a send takes. */
function dueRows(q: Knex.QueryBuilder, now: Date): Knex.QueryBuilder {
  return q.where((w) =>
    w
      .where((p) => p.where('status', 'pending').where('not_before', '<=', now))
      .orWhere((s) =>
        s
          .where('status', 'sending')
          .whereNull('provider_id')
          .where('sending_at', '<', new Date(now.getTime() - STALE_MS)),
      ),
  );
}

type Outcome = 'sent' | 'failed' | 'skipped' | null;

interface Claimed {
  row: Row;
  to: string;
  note: NoteRow;
}

interface NoteRow {
  title: string;
  body: string;
  link: string | null;
  email: string | null;
  email_verified_at: Date | null;
  phone: string | null;
  phone_verified_at: Date | null;
  locale: 'fr' | 'en';
  status: string;
  commune: string;
  slug: string;
}

async function sendOne(deps: NoticeDeps, tenantId: string, id: string): Promise<Outcome> {
  const claim = await withTenant(deps.db, tenantId, (trx) => claimOne(trx, id));
  if (!('row' in claim)) return claim.outcome;
  const { row } = claim;
  const record = (update: Record<string, unknown>) =>
    withTenant(deps.db, tenantId, (trx) =>
      trx('notice_sends')
        .where({ id, status: 'sending' })
        .update({ ...update, updated_at: new Date() }),
    );
  try {
    const sent = await deliver(deps, claim);
    await record({
      status: 'sent',
      provider_id: sent.providerId,
      sent_at: new Date(),
      attempts: row.attempts + 1,
    });
    return 'sent';
  } catch (err) {
    const reason = isChannelError(err) ? err.reason : 'UNKNOWN';
    const retryable = isChannelError(err) ? err.retryable : true;
    deps.log.warn({ tenantId: row.tenant_id, channel: row.channel, reason }, 'notice not sent');
    if (!retryable || row.attempts + 1 >= MAX_ATTEMPTS) {
      await record({ status: 'failed', reason, attempts: row.attempts + 1 });
      return 'failed';
    }
    const wait = 30_000 * 2 ** row.attempts;
    await record({
      status: 'pending',
      attempts: row.attempts + 1,
      reason,
      not_before: new Date(Date.now() + wait),
    });
    return null;
  }
}

/** The row locked and checked, then `sending`; or what was decided without a provider. */
async function claimOne(trx: Knex.Transaction, id: string): Promise<Claimed | { outcome: Outcome }> {
  const now = new Date();
  const row = (await dueRows(trx('notice_sends').where({ id }), now).forUpdate().skipLocked().first()) as
    Row | undefined;
  if (!row) return { outcome: null };
  const finish = async (status: 'failed' | 'skipped', reason: string) => {
    await trx('notice_sends').where({ id }).update({ status, reason, updated_at: now });
    return { outcome: status };
  };
  // Sent again once already and still unconfirmed: a third copy is worse than none.
  if (row.status === 'sending' && row.resent) return finish('failed', 'SEND_UNCONFIRMED');
  const note = (await trx('in_app_notifications as n')
    .join('accounts as a', 'a.id', 'n.account_id')
    .join('tenants as t', 't.id', 'n.tenant_id')
    .where('n.id', row.notification_id)
    .first(
      'n.title',
      'n.body',
      'n.link',
      'a.email',
      'a.email_verified_at',
      'a.phone',
      'a.phone_verified_at',
      'a.locale',
      'a.status',
      't.name as commune',
      't.slug',
    )) as NoteRow | undefined;
  if (!note || note.status !== 'active') return finish('skipped', 'ACCOUNT_GONE');
  const to = row.channel === 'sms' ? (note.phone_verified_at ? note.phone : null) : note.email;
  if (!to) return finish('skipped', row.channel === 'sms' ? 'NO_VERIFIED_PHONE' : 'NO_EMAIL');
  if ((await optedOutAmong(trx, row.channel, [to])).size > 0) return finish('skipped', 'OPTED_OUT');
  const prefs = (await loadPreferences(trx, [row.account_id])).get(row.account_id)!;
  const timing = planTiming(now, row.severity, row.channel, prefs);
  if (timing.mode !== 'now') {
    await trx('notice_sends')
      .where({ id })
      .update({ status: 'pending', not_before: timing.at, updated_at: now });
    return { outcome: null };
  }
  await trx('notice_sends')
    .where({ id })
    .update({ status: 'sending', sending_at: now, resent: row.status === 'sending', updated_at: now });
  return { row, to, note };
}

/** The provider call, outside any transaction. */
async function deliver(deps: NoticeDeps, { row, to, note }: Claimed): Promise<{ providerId: string }> {
  const link = note.link ? `${portalUrl(deps.config, note.slug)}${note.link}` : null;
  if (row.channel === 'sms')
    return deps.channels.sms.send({
      tenantId: row.tenant_id,
      to,
      body: smsText(`${note.commune} : ${note.title}. ${note.body}`, link),
      idempotencyKey: `notice:${row.id}`,
    });
  return deps.channels.email.send({
    tenantId: row.tenant_id,
    to,
    subject: note.title,
    ...(await renderNotificationEmail({
      locale: note.locale,
      communeName: note.commune,
      heading: note.title,
      paragraphs: note.body.split('\n\n'),
      severity: row.severity,
      ...(link ? { action: { label: note.locale === 'en' ? 'Open Vigie' : 'Ouvrir Vigie', url: link } } : {}),
    })),
    idempotencyKey: `notice:${row.id}`,
  });
}

/** The text with the link when both fit in two segments; else the text cut, then the link. */
function smsText(text: string, link: string | null): string {
  if (!link) return fitSms(text).text;
  const whole = fitSms(`${text} ${link}`);
  return whole.truncated ? fitSms(text, link).text : whole.text;
}
