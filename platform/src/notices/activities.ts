// Sending a batch of notices: each row in its own short transaction, locked,
// so that two runs never send one twice; the account's channel reachable
// (a verified phone for SMS, an email), not opted out, outside its quiet
// hours (urgent excepted), else held until they end. A provider's transient
// failure is retried a few times with a growing delay; a final one is
// recorded with its reason. No personal data in logs.
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

interface Row {
  id: string;
  tenant_id: string;
  notification_id: string;
  account_id: string;
  channel: 'sms' | 'email';
  severity: Severity;
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
      const due = (await withTenant(deps.db, tenantId, (trx) =>
        trx('notice_sends')
          .where({ batch_id: batchId, status: 'pending' })
          .where('not_before', '<=', new Date())
          .orderBy('id')
          .limit(PAGE)
          .pluck('id'),
      )) as string[];
      for (const id of due) {
        const outcome = await withTenant(deps.db, tenantId, (trx) => sendOne(deps, trx, id));
        if (outcome) round[outcome]++;
      }
      const next = (await withTenant(deps.db, tenantId, (trx) =>
        trx('notice_sends').where({ batch_id: batchId, status: 'pending' }).min({ at: 'not_before' }).first(),
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
            .where({ status: 'pending' })
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

async function sendOne(
  deps: NoticeDeps,
  trx: Knex.Transaction,
  id: string,
): Promise<'sent' | 'failed' | 'skipped' | null> {
  const row = (await trx('notice_sends')
    .where({ id, status: 'pending' })
    .forUpdate()
    .skipLocked()
    .first()) as Row | undefined;
  if (!row) return null;
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
    )) as
    | {
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
    | undefined;
  const finish = async (status: 'sent' | 'failed' | 'skipped', extra: Record<string, unknown> = {}) => {
    await trx('notice_sends')
      .where({ id })
      .update({ status, updated_at: new Date(), ...extra });
    return status;
  };
  if (!note || note.status !== 'active') return finish('skipped', { reason: 'ACCOUNT_GONE' });
  const to = row.channel === 'sms' ? (note.phone_verified_at ? note.phone : null) : note.email;
  if (!to) return finish('skipped', { reason: row.channel === 'sms' ? 'NO_VERIFIED_PHONE' : 'NO_EMAIL' });
  if ((await optedOutAmong(trx, row.channel, [to])).size > 0)
    return finish('skipped', { reason: 'OPTED_OUT' });
  const prefs = (await loadPreferences(trx, [row.account_id])).get(row.account_id)!;
  const now = new Date();
  const timing = planTiming(now, row.severity, row.channel, prefs);
  if (timing.mode !== 'now') {
    await trx('notice_sends').where({ id }).update({ not_before: timing.at, updated_at: now });
    return null;
  }
  const link = note.link ? `${portalUrl(deps.config, note.slug)}${note.link}` : null;
  try {
    const sent =
      row.channel === 'sms'
        ? await deps.channels.sms.send({
            tenantId: row.tenant_id,
            to,
            body: smsText(`${note.commune} : ${note.title}. ${note.body}`, link),
            idempotencyKey: `notice:${row.id}`,
          })
        : await deps.channels.email.send({
            tenantId: row.tenant_id,
            to,
            subject: note.title,
            ...(await renderNotificationEmail({
              locale: note.locale,
              communeName: note.commune,
              heading: note.title,
              paragraphs: note.body.split('\n\n'),
              severity: row.severity,
              ...(link
                ? { action: { label: note.locale === 'en' ? 'Open Vigie' : 'Ouvrir Vigie', url: link } }
                : {}),
            })),
            idempotencyKey: `notice:${row.id}`,
          });
    return finish('sent', { provider_id: sent.providerId, sent_at: new Date(), attempts: row.attempts + 1 });
  } catch (err) {
    const reason = isChannelError(err) ? err.reason : 'UNKNOWN';
    const retryable = isChannelError(err) ? err.retryable : true;
    deps.log.warn({ tenantId: row.tenant_id, channel: row.channel, reason }, 'notice not sent');
    if (!retryable || row.attempts + 1 >= MAX_ATTEMPTS)
      return finish('failed', { reason, attempts: row.attempts + 1 });
    const wait = 30_000 * 2 ** row.attempts;
    await trx('notice_sends')
      .where({ id })
      .update({
        attempts: row.attempts + 1,
        reason,
        not_before: new Date(Date.now() + wait),
        updated_at: new Date(),
      });
    return null;
  }
}

/** The text with the link when both fit in two segments; else the text cut, then the link. */
function smsText(text: string, link: string | null): string {
  if (!link) return fitSms(text).text;
  const whole = fitSms(`${text} ${link}`);
  return whole.truncated ? fitSms(text, link).text : whole.text;
}
