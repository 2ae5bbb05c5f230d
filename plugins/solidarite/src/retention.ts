// Health notes follow the commune's retention setting (a year by default
// after their last update); signs of life are kept 90 days; the round
// contacts of a plan ended 90 days ago are deleted, its counts stay.
import { withTenant, type RetentionTargetImpl } from '@vigie/platform/plugin';
import { PLUGIN_ID, settingsFrom } from './settings.js';

const DAY = 86_400_000;

export const retention: RetentionTargetImpl[] = [
  {
    name: 'solidarite.register',
    async purge({ db }, asOf) {
      const tenants: string[] = await db('tenants').pluck('id');
      let total = 0;
      for (const tenantId of tenants) {
        total += await withTenant(db, tenantId, async (trx) => {
          const row = await trx('tenant_plugins').where({ plugin_id: PLUGIN_ID }).first('settings');
          const s = settingsFrom(row ? ((row.settings ?? {}) as Record<string, unknown>) : null);
          const notes = await trx('sol_people')
            .whereNotNull('health_notes_sealed')
            .where('health_notes_at', '<', new Date(asOf.getTime() - s.healthNotesRetentionDays * DAY))
            .update({ health_notes_sealed: null, health_notes_at: null });
          const signs = await trx('sol_signs')
            .where('at', '<', new Date(asOf.getTime() - 90 * DAY))
            .delete();
          const contacts = await trx('sol_round_contacts')
            .whereIn(
              'activation_id',
              trx('sol_activations')
                .select('id')
                .where('ended_at', '<', new Date(asOf.getTime() - 90 * DAY)),
            )
            .delete();
          return notes + signs + contacts;
        });
      }
      return total;
    },
  },
];
