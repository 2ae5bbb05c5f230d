// Retention targets of the residents module, run by the nightly sweep. Each
// reads its period from the commune's settings (defaults in settings.ts).
import type { Knex } from 'knex';
import type { RetentionTargetImpl } from '../retention/index.js';
import { withTenant } from '../db/index.js';
import { STAFF_ROLES } from '../identity/index.js';
import { daysMs, residentsSettings, type EffectiveSettings } from './settings.js';
import { deleteProofRows } from './activities.js';
import { residentsServices } from './hooks.js';
import { eraseAccountEverywhere } from './erasure.js';

async function eachTenant(
  db: Knex,
  fn: (tenantId: string, s: EffectiveSettings) => Promise<number>,
): Promise<number> {
  const tenants: Array<{ id: string; settings: Record<string, unknown> }> = await db('tenants').select(
    'id',
    'settings',
  );
  let total = 0;
  for (const t of tenants) {
    let settings: EffectiveSettings;
    try {
      settings = residentsSettings(t.settings);
    } catch {
      // A commune with broken settings still gets the safe defaults, never "keep forever".
      settings = residentsSettings({});
    }
    total += await fn(t.id, settings);
  }
  return total;
}

export const residentsRetention: RetentionTargetImpl[] = [
  {
    // The workflow deletes a proof at its decision or expiry; this catches
    // any left behind (a workflow terminated by hand, a crash mid-upload).
    name: 'residents.proofs',
    async purge({ db, files }, asOf) {
      return eachTenant(db, async (tenantId, s) => {
        const cutoff = new Date(asOf.getTime() - daysMs(s.retention.proofMaxDays));
        const rows = await withTenant(db, tenantId, (trx) =>
          trx('proof_documents')
            .whereNull('deleted_at')
            .where('created_at', '<', cutoff)
            .select('id', 'storage_key'),
        );
        return deleteProofRows(
          db,
          files,
          tenantId,
          rows as Array<{ id: string; storage_key: string }>,
          'retention',
        );
      });
    },
  },
  {
    name: 'residents.drafts',
    // A move announced but never followed by a proof.
    async purge({ db }, asOf) {
      return eachTenant(db, (tenantId, s) => {
        const cutoff = new Date(asOf.getTime() - daysMs(s.retention.proofMaxDays));
        return withTenant(db, tenantId, (trx) =>
          trx('residences').where({ status: 'draft' }).where('created_at', '<', cutoff).delete(),
        );
      });
    },
  },
  {
    name: 'residents.audit_log',
    async purge({ db }, asOf) {
      return eachTenant(db, async (tenantId, s) => {
        const before = new Date(asOf.getTime() - daysMs(s.retention.auditLogDays));
        // The app role cannot delete audit rows; this owner function can, one tenant at a time (RLS applies to it too).
        const res = await withTenant(db, tenantId, (trx) =>
          trx.raw('select purge_audit_log(?::uuid, ?::timestamptz) as n', [tenantId, before]),
        );
        return Number(res.rows[0]?.n ?? 0);
      });
    },
  },
  {
    name: 'residents.inactive_accounts',
    async purge({ db, files, services }, asOf) {
      const hooks = services.get(residentsServices.hooks);
      return eachTenant(db, async (tenantId, s) => {
        const cutoff = new Date(asOf.getTime() - daysMs(s.retention.inactiveAccountDays));
        const ids = await withTenant(db, tenantId, (trx) =>
          trx('accounts as a')
            .where('a.status', 'active')
            .whereRaw('coalesce(a.last_login_at, a.created_at) < ?', [cutoff])
            // Staff accounts are the mairie's to close, not the sweep's.
            .whereNotExists(
              trx('role_assignments as r')
                .whereRaw('r.account_id = a.id')
                .whereIn('r.role', [...STAFF_ROLES]),
            )
            // Registered at the counter, a resident may never sign in: receiving the
            // alerts is their use of Vigie, and the mairie ends that residence when
            // they leave (then the sweep applies).
            .whereNotExists(
              trx('residences as h')
                .whereRaw('h.account_id = a.id')
                .where({ 'h.status': 'active', 'h.source': 'counter' }),
            )
            .pluck('a.id'),
        );
        for (const id of ids as string[])
          await eraseAccountEverywhere({ db, files, temporal: undefined, hooks }, tenantId, id, {
            actor: 'system',
            action: 'rgpd.inactive_account_anonymised',
          });
        return ids.length;
      });
    },
  },
];
