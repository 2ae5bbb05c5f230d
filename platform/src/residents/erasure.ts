// Erasing an account end to end: its open request is withdrawn (which stops
// the workflow and deletes the proof), any proof bytes left are deleted from
// the store, then the rows are erased in one transaction.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';
import { audit } from '../lib/audit.js';
import type { Temporal } from '../temporal/index.js';
import type { FileStore } from '../files/index.js';
import type { ResidentsHooks } from './hooks.js';
import { deleteProofRows } from './activities.js';
import { eraseAccount } from './rgpd.js';
import type { ResidenceRow } from './residences.js';
import { withdrawVerification } from './verification.js';

export interface ErasureDeps {
  db: Knex;
  files: { store: FileStore; secret: string };
  temporal: Temporal | undefined;
  hooks: ResidentsHooks;
}

export async function eraseAccountEverywhere(
  deps: ErasureDeps,
  tenantId: string,
  accountId: string,
  why: { actor: 'account' | 'system'; action: string; requestId?: string },
): Promise<void> {
  const open = await withTenant(deps.db, tenantId, (trx) =>
    trx<ResidenceRow>('residences').where({ account_id: accountId, status: 'pending' }),
  );
  for (const r of open) {
    // Best effort: a workflow that is gone or refuses has nothing left to stop.
    await withdrawVerification(deps.temporal, r, accountId, async () => undefined).catch(() => undefined);
  }
  const proofs = await withTenant(deps.db, tenantId, (trx) =>
    trx('proof_documents as p')
      .join('residences as r', 'r.id', 'p.residence_id')
      .where('r.account_id', accountId)
      .whereNull('p.deleted_at')
      .select('p.id', 'p.storage_key'),
  );
  await deleteProofRows(
    deps.db,
    deps.files,
    tenantId,
    proofs as Array<{ id: string; storage_key: string }>,
    'account_deleted',
  );
  await withTenant(deps.db, tenantId, async (trx) => {
    // Before the erasure, while the account still holds its roles and rows.
    const communities: string[] = await trx('residences')
      .where({ account_id: accountId, status: 'active' })
      .whereNotNull('sector_id')
      .distinct()
      .pluck('sector_id');
    for (const communityId of communities)
      await deps.hooks.membershipEnded(trx, { tenantId, accountId, communityId, reason: 'erased' });
    await eraseAccount(trx, accountId, deps.hooks);
    await audit(trx, {
      tenantId,
      actor: why.actor === 'account' ? { type: 'account', id: accountId } : { type: 'system' },
      action: why.action,
      target: { type: 'account', id: accountId },
      ...(why.requestId ? { requestId: why.requestId } : {}),
    });
  });
}
