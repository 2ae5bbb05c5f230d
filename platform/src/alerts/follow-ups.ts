// Follow-ups of an alert: « suite » (news of the same situation) and « fin
// d'alerte » (it is over, the alert is closed). Each is an alert row of its
// own, linked to the first one, so that it travels through the same delivery
// (its rows, retries, receipts and report) to the same recipients: those the
// first alert reached, and its author. It starts acknowledged (staff wrote
// it: nothing to escalate) and is never listed as an alert of its own.
import type { Knex } from 'knex';
import type { Severity } from '../notifications/index.js';
import { VigieError } from '../lib/errors.js';
import { audit } from '../lib/audit.js';
import {
  changeAlertStatus,
  toAlert,
  type Alert,
  type AlertClosure,
  type AlertRow,
  type AuthorKind,
} from './alerts.js';
import { fail } from './errors.js';

type Trx = Knex.Transaction;

export type FollowUpKind = 'update' | 'end';

/** The delivered text starts with what it is, in the commune's language (the staff's own words follow). */
export const FOLLOW_UP_PREFIX: Record<FollowUpKind, string> = {
  update: "Suite de l'alerte : ",
  end: "Fin d'alerte : ",
};
export const FOLLOW_UP_MAX = 1000 - FOLLOW_UP_PREFIX.update.length;

export interface FollowUp {
  id: string;
  alertId: string;
  kind: FollowUpKind;
  /** As the staff typed it (without the prefix the messages carry). */
  text: string;
  authorKind: AuthorKind;
  createdAt: Date;
}

type FollowUpRow = AlertRow & { follows_alert_id: string | null; follow_up_kind: FollowUpKind | null };

function toFollowUp(r: FollowUpRow): FollowUp {
  const kind = r.follow_up_kind!;
  const prefix = FOLLOW_UP_PREFIX[kind];
  return {
    id: r.id,
    alertId: r.follows_alert_id!,
    kind,
    text: r.body.startsWith(prefix) ? r.body.slice(prefix.length) : r.body,
    authorKind: r.author_kind,
    createdAt: r.created_at,
  };
}

export function parseFollowUpText(text: string): string {
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (t.length === 0 || t.length > FOLLOW_UP_MAX || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(t))
    throw new VigieError('VALIDATION_FAILED', undefined, { field: 'text', max: FOLLOW_UP_MAX });
  return t;
}

/** The end of an urgent alert is no emergency: it waits for quiet hours to pass. */
function severityOf(kind: FollowUpKind, first: Severity): Severity {
  return kind === 'end' && first === 'urgent' ? 'important' : first;
}

export interface NewFollowUp {
  kind: FollowUpKind;
  text: string;
  by: { accountId: string; kind: AuthorKind };
  /** « Fin d'alerte »: the outcome the first alert closes with (when still open). */
  closure?: AlertClosure;
  requestId?: string | undefined;
}

export interface PostedFollowUp {
  followUp: Alert;
  /** The first alert, closed by a « fin d'alerte ». */
  alert: Alert;
  /** The first alert was acknowledged by this closure (its escalation stops). */
  acknowledgedNow: boolean;
  closedNow: boolean;
}

/**
 * Records the follow-up (and, for an end, the first alert's closure) in the
 * caller's transaction. Its delivery starts after the commit, as any alert's.
 */
export async function postFollowUp(
  trx: Trx,
  tenantId: string,
  alertId: string,
  f: NewFollowUp,
): Promise<PostedFollowUp> {
  const first = (await trx('alerts').where({ id: alertId }).forUpdate().first()) as FollowUpRow | undefined;
  if (!first) throw fail('ALERT_NOT_FOUND');
  if (first.follows_alert_id) throw fail('ALERT_FOLLOW_UP_INVALID');
  if (await trx('alerts').where({ follows_alert_id: alertId, follow_up_kind: 'end' }).first('id'))
    throw fail('ALERT_FOLLOW_UP_INVALID');
  const text = parseFollowUpText(f.text);
  const now = new Date();
  let alert = toAlert(first);
  let acknowledgedNow = false;
  let closedNow = false;
  if (f.kind === 'end' && first.status !== 'closed') {
    const r = await changeAlertStatus(trx, tenantId, alertId, {
      to: 'closed',
      closure: f.closure ?? 'solved',
      note: text,
      byAccountId: f.by.accountId,
    });
    ({ alert, acknowledgedNow } = r);
    closedNow = true;
  }
  const [row] = (await trx('alerts')
    .insert({
      tenant_id: tenantId,
      follows_alert_id: alertId,
      follow_up_kind: f.kind,
      author_account_id: f.by.accountId,
      author_kind: f.by.kind,
      origin: 'web',
      category_id: first.category_id,
      severity: severityOf(f.kind, first.severity),
      body: FOLLOW_UP_PREFIX[f.kind] + text,
      target_kind: first.target_kind,
      target_sector_ids: first.target_sector_ids,
      target_area: first.target_area ? JSON.stringify(first.target_area) : null,
      status: 'acknowledged',
      acknowledged_at: now,
      acknowledged_by: f.by.accountId,
      created_at: now,
      updated_at: now,
    })
    .returning('*')) as FollowUpRow[];
  await trx('alert_status_history').insert([
    { tenant_id: tenantId, alert_id: row!.id, status: 'received', by_account_id: f.by.accountId, at: now },
    {
      tenant_id: tenantId,
      alert_id: row!.id,
      status: 'acknowledged',
      by_account_id: f.by.accountId,
      at: now,
    },
  ]);
  await audit(trx, {
    tenantId,
    actor: { type: 'account', id: f.by.accountId },
    action: f.kind === 'end' ? 'alert.ended' : 'alert.followed_up',
    target: { type: 'alert', id: alertId },
    meta: { followUpId: row!.id, closedNow, closure: closedNow ? (f.closure ?? 'solved') : null },
    ...(f.requestId ? { requestId: f.requestId } : {}),
  });
  return { followUp: toAlert(row!), alert, acknowledgedNow, closedNow };
}

/** Each alert's follow-ups, oldest first. */
export async function followUpsOf(trx: Trx, alertIds: readonly string[]): Promise<Map<string, FollowUp[]>> {
  const out = new Map<string, FollowUp[]>(alertIds.map((id) => [id, []]));
  if (alertIds.length === 0) return out;
  const rows = (await trx('alerts')
    .whereIn('follows_alert_id', [...new Set(alertIds)])
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])) as FollowUpRow[];
  for (const r of rows) out.get(r.follows_alert_id!)?.push(toFollowUp(r));
  return out;
}
