// How long a closed alert is kept: `retention.alertsDays` of the commune
// (365 days by default) after its closure. Its status history, deliveries,
// escalations and the plugins' rows about it go with it (ON DELETE CASCADE);
// its photo is detached and its bytes leave with the next sweep of unattached
// photos. Alerts the police never closed are theirs to close, not the sweep's.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';

export const ALERT_RETENTION_DEFAULT_DAYS = 365;

export function alertRetentionDays(settings: Record<string, unknown> | null | undefined): number {
  const r =
    settings && typeof settings === 'object'
      ? (settings as { retention?: { alertsDays?: unknown } }).retention
      : undefined;
  const days = r?.alertsDays;
  return typeof days === 'number' && Number.isInteger(days) && days >= 30 && days <= 3650
    ? days
    : ALERT_RETENTION_DEFAULT_DAYS;
}

export async function purgeClosedAlerts(db: Knex, asOf: Date): Promise<number> {
  const tenants: Array<{ id: string; settings: Record<string, unknown> | null }> = await db('tenants').select(
    'id',
    'settings',
  );
  let total = 0;
  for (const t of tenants) {
    const cutoff = new Date(asOf.getTime() - alertRetentionDays(t.settings) * 86_400_000);
    total += await withTenant(db, t.id, (trx) =>
      trx('alerts').where('status', 'closed').where('closed_at', '<', cutoff).delete(),
    );
  }
  return total;
}
