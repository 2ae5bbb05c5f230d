// Declarations and their visits are deleted a set number of days after the
// return (the commune's `retentionDays`, 30 by default), by the nightly
// retention sweep; a refused or cancelled one counts from its last change.
// Only the anonymous counts of tv_counts stay, for the statistics.
import { withTenant, type RetentionTargetImpl } from '@vigie/platform/plugin';
import { DAY, PLUGIN_ID, settingsFrom } from './settings.js';
import { forgetContactCalls } from './contact-call.js';

export const retention: RetentionTargetImpl[] = [
  {
    name: 'tranquillite-vacances.absences',
    async purge({ db, services }, asOf) {
      const tenants: string[] = await db('tenants').pluck('id');
      let total = 0;
      for (const tenantId of tenants) {
        total += await withTenant(db, tenantId, async (trx) => {
          // A commune that switched the plugin off keeps its own period (or the default).
          const row = await trx('tenant_plugins').where({ plugin_id: PLUGIN_ID }).first('settings');
          const raw = row ? ((row.settings ?? {}) as Record<string, unknown>) : null;
          const cutoff = new Date(asOf.getTime() - settingsFrom(raw).retentionDays * DAY);
          const ids = (await trx('tv_absences')
            .where((q) =>
              q
                .where('returns_at', '<', cutoff)
                .orWhere((w) =>
                  w.whereIn('status', ['refused', 'cancelled']).where('updated_at', '<', cutoff),
                ),
            )
            .pluck('id')) as string[];
          // A short period (down to 0 days) must not leave a contact's number behind in the calls.
          await forgetContactCalls(services, trx, ids);
          return trx('tv_absences').whereIn('id', ids).delete();
        });
      }
      return total;
    },
  },
];
