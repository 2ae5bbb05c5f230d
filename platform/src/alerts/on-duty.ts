// The officer on duty: set from the console by the chef de poste or the
// mairie (alerts.on_duty.set), read by the escalation of unacknowledged urgent
// alerts. Only an active police officer of the commune can be on duty; an
// officer whose account closes is on duty no more.
import type { Knex } from 'knex';
import { audit } from '../lib/audit.js';
import { fail } from './errors.js';

type Trx = Knex.Transaction;

export interface OnDuty {
  accountId: string;
  displayName: string;
  since: Date;
}

const POLICE = ['police_agent', 'police_chief'];

export async function onDutyOfficer(trx: Trx): Promise<OnDuty | null> {
  const r = (await trx('alert_on_duty as d')
    .join('accounts as a', 'a.id', 'd.account_id')
    .where('a.status', 'active')
    .whereExists((q) =>
      q
        .select(trx.raw('1'))
        .from('role_assignments as g')
        .whereRaw('g.account_id = d.account_id')
        .whereIn('g.role', POLICE),
    )
    .first('d.account_id', 'a.display_name', 'd.updated_at')) as
    { account_id: string; display_name: string; updated_at: Date } | undefined;
  return r ? { accountId: r.account_id, displayName: r.display_name, since: r.updated_at } : null;
}

/** Sets (or, with null, clears) the officer on duty; audited. */
export async function setOnDutyOfficer(
  trx: Trx,
  tenantId: string,
  accountId: string | null,
  by: { accountId: string; requestId?: string },
): Promise<OnDuty | null> {
  if (accountId === null) {
    await trx('alert_on_duty').del();
  } else {
    const id = accountId.toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
      throw fail('ALERT_ON_DUTY_INVALID');
    const officer = await trx('accounts as a')
      .join('role_assignments as g', 'g.account_id', 'a.id')
      .where({ 'a.id': id, 'a.status': 'active' })
      .whereIn('g.role', POLICE)
      .first('a.id');
    if (!officer) throw fail('ALERT_ON_DUTY_INVALID');
    await trx('alert_on_duty')
      .insert({ tenant_id: tenantId, account_id: id, set_by: by.accountId })
      .onConflict(['tenant_id'])
      .merge({ account_id: id, set_by: by.accountId, updated_at: trx.fn.now() });
  }
  await audit(trx, {
    tenantId,
    actor: { type: 'account', id: by.accountId },
    action: accountId ? 'alert.on_duty_set' : 'alert.on_duty_cleared',
    target: accountId ? { type: 'account', id: accountId.toLowerCase() } : { type: 'tenant', id: tenantId },
    ...(by.requestId ? { requestId: by.requestId } : {}),
  });
  return onDutyOfficer(trx);
}
