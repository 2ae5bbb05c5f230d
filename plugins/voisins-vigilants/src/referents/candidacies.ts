// Candidacies: who answered yes to « Souhaitez-vous devenir le référent de la
// communauté ? ». One row per account. The community is attached as soon as the
// account is a member of one (the question is also asked at registration, before
// the address is verified).
import type { PlatformServices, Trx } from '@vigie/platform/plugin';

export type CandidacyStatus = 'active' | 'withdrawn' | 'chosen' | 'ended';

export interface CandidacyRow {
  id: string;
  account_id: string;
  community_id: string | null;
  status: CandidacyStatus;
  status_at: Date;
}

const T = 'vv_referent_candidacies';

export function candidacyOf(trx: Trx, accountId: string): Promise<CandidacyRow | undefined> {
  return trx<CandidacyRow>(T).where({ account_id: accountId }).first();
}

export async function saveCandidacy(
  trx: Trx,
  c: { tenantId: string; accountId: string; communityId: string | null; status: CandidacyStatus },
): Promise<CandidacyRow> {
  const [row] = await trx<CandidacyRow>(T)
    .insert({
      tenant_id: c.tenantId,
      account_id: c.accountId,
      community_id: c.communityId,
      status: c.status,
      status_at: new Date(),
    } as Partial<CandidacyRow>)
    .onConflict(['tenant_id', 'account_id'])
    .merge({
      community_id: c.communityId,
      status: c.status,
      status_at: new Date(),
      updated_at: new Date(),
    } as Partial<CandidacyRow>)
    .returning('*');
  return row as CandidacyRow;
}

export async function setCandidacyStatus(
  trx: Trx,
  accountIds: string[],
  status: CandidacyStatus,
  from?: CandidacyStatus[],
): Promise<number> {
  const q = trx(T).whereIn('account_id', accountIds);
  if (from) q.whereIn('status', from);
  return q.update({ status, status_at: new Date(), updated_at: new Date() });
}

/** The account left its community: the candidacy will follow it to the next one. */
export async function detachCandidacy(trx: Trx, accountId: string): Promise<void> {
  await trx(T).where({ account_id: accountId }).update({ community_id: null, updated_at: new Date() });
}

/**
 * The candidates a round of this community may choose from: active candidacies
 * whose account is still a member here. Candidacies recorded before the
 * account's address was verified are attached to its community on the way.
 */
export async function eligibleCandidates(
  trx: Trx,
  services: PlatformServices,
  communityId: string,
): Promise<string[]> {
  const unattached = await trx<CandidacyRow>(T)
    .where({ status: 'active' })
    .whereNull('community_id')
    .limit(500)
    .pluck('account_id');
  for (const accountId of unattached) {
    const community = await services.communities.of(trx, accountId);
    if (community)
      await trx(T)
        .where({ account_id: accountId })
        .update({ community_id: community.id, updated_at: new Date() });
  }
  const ids: string[] = await trx<CandidacyRow>(T)
    .where({ community_id: communityId, status: 'active' })
    .orderBy('status_at')
    .pluck('account_id');
  const out: string[] = [];
  for (const id of ids) if ((await services.communities.of(trx, id))?.id === communityId) out.push(id);
  return out;
}
