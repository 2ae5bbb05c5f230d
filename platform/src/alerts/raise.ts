// The one raise path shared by the core raiseAlert mutation and the plugins'
// seam (services.alerts.raise): record the alert with its first history entry
// and its audit entry in the caller's transaction, then, once that
// transaction has committed, start its delivery. Starting before the commit
// would let the workflow look for an alert that may never exist.
import type { Knex } from 'knex';
import { fail } from './errors.js';

import { audit } from '../lib/audit.js';
import { createAlert, toAlert, type Alert, type AlertRow, type NewAlert } from './alerts.js';

type Trx = Knex.Transaction;

export interface RecordOptions {
  requestId?: string | undefined;
  /** Extra audit meta (e.g. the plugin that raised it). */
  meta?: Record<string, unknown> | undefined;
}

/** Creates the alert and audits it, in the caller's transaction. Delivery starts after the commit. */
export async function recordAlert(
  trx: Trx,
  tenantId: string,
  a: NewAlert,
  opts: RecordOptions = {},
): Promise<Alert> {
  const alert = await createAlert(trx, tenantId, a);
  await audit(trx, {
    tenantId,
    actor: a.author.accountId ? { type: 'account', id: a.author.accountId } : { type: 'system', id: null },
    action: 'alert.raised',
    target: { type: 'alert', id: alert.id },
    meta: { origin: a.origin, severity: alert.severity, targetKind: a.target.kind, ...opts.meta },
    ...(opts.requestId ? { requestId: opts.requestId } : {}),
  });
  return alert;
}

export const APPEND_MAX = 1000;

/**
 * Adds a follow-up to an alert already raised (a duplicate merged into it):
 * its text gains a dated paragraph, within the 1,000 characters an alert may
 * hold. No new delivery: recipients were told once, the police see the whole.
 */
export async function appendToAlert(
  trx: Trx,
  tenantId: string,
  alertId: string,
  add: { text: string; byAccountId: string | null; at?: Date; requestId?: string },
): Promise<Alert> {
  const row = (await trx('alerts').where({ id: alertId }).forUpdate().first()) as AlertRow | undefined;
  if (!row) throw fail('ALERT_NOT_FOUND');
  const at = add.at ?? new Date();
  const hhmm = at.toLocaleTimeString('fr-FR', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Paris',
  });
  const para = `\n\nComplément (${hhmm}) : ${add.text.trim()}`;
  const room = APPEND_MAX - row.body.length;
  const body = room <= 1 ? row.body : row.body + (para.length <= room ? para : `${para.slice(0, room - 1)}…`);
  const [updated] = (await trx('alerts')
    .where({ id: alertId })
    .update({ body, updated_at: at })
    .returning('*')) as AlertRow[];
  await audit(trx, {
    tenantId,
    actor: add.byAccountId ? { type: 'account', id: add.byAccountId } : { type: 'system', id: null },
    action: 'alert.merged',
    target: { type: 'alert', id: alertId },
    meta: { truncated: room < para.length },
    ...(add.requestId ? { requestId: add.requestId } : {}),
  });
  return toAlert(updated!);
}
