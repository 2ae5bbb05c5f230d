// Referent seats from the API side: candidacies, opening a round, the police's
// choice, and a referent leaving (removed, stepping down, or leaving the
// community). Database work happens in the caller's tenant transaction; the
// workflow is told after, so a refused write never reaches it.
import { type PlatformServices, type Trx, type VigieContext } from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import {
  MAX_REFERENTS_PER_COMMUNITY,
  REFERENT_SELECTION as N,
  type ReferentRoundStatus,
} from '../workflows/contracts.js';
import { PLUGIN_ID } from '../settings.js';
import { record } from '../context.js';
import type { MembershipEnded } from '../community/hooks.js';
import {
  candidacyOf,
  detachCandidacy,
  saveCandidacy,
  setCandidacyStatus,
  type CandidacyRow,
} from './candidacies.js';
import { roundInput, roundStatus, signalIfRunning, signalRound, type TenantRef } from './rounds.js';
import { referentTimings, type ReferentTimings } from './settings.js';
import { texts } from './messages.js';

export function timingsOf(ctx: VigieContext): ReferentTimings {
  return referentTimings(ctx.requireTenant().plugins.get(PLUGIN_ID));
}

export async function requireCommunity(ctx: VigieContext, trx: Trx, communityId: string) {
  const community = await ctx.services.communities.get(trx, communityId);
  if (!community || community.status !== 'active') throw fail('COMMUNITY_NOT_FOUND');
  return community;
}

/** Records (or withdraws) the caller's candidacy, then tells the round of their community if they have one. */
export async function setCandidacy(ctx: VigieContext, wanted: boolean): Promise<CandidacyRow | undefined> {
  const me = ctx.requireAccount();
  const tenant = ctx.requireTenant();
  const { row, communityId } = await ctx.tx(async (trx) => {
    const community = await ctx.services.communities.of(trx, me.accountId);
    const current = await candidacyOf(trx, me.accountId);
    // A sitting referent keeps their seat; leaving it is stepDownAsReferent.
    if (current?.status === 'chosen' || (!wanted && current?.status !== 'active'))
      return { row: current, communityId: community?.id ?? null };
    const saved = await saveCandidacy(trx, {
      tenantId: tenant.id,
      accountId: me.accountId,
      communityId: community?.id ?? null,
      status: wanted ? 'active' : 'withdrawn',
    });
    await ctx.services.audit(trx, {
      tenantId: tenant.id,
      actor: { type: 'account', id: me.accountId },
      action: `${PLUGIN_ID}.referent.candidacy_${wanted ? 'submitted' : 'withdrawn'}`,
      meta: { communityId: community?.id ?? null },
      requestId: ctx.requestId,
    });
    return { row: saved, communityId: community?.id ?? null };
  });
  // Signalled even when nothing changed, so that a retry after a failed signal reaches the round.
  if (communityId && row?.status !== 'chosen') {
    const signal = { accountId: me.accountId, wanted };
    if (wanted)
      await signalRound(
        ctx.services,
        tenant,
        communityId,
        N.candidacySignal,
        signal,
        roundInput(tenant, communityId, 'candidacy', null, timingsOf(ctx)),
      );
    else await signalIfRunning(ctx.services, tenant, communityId, N.candidacySignal, signal);
  }
  return row;
}

const ROUND_RUNNING = new Set(['opening', 'collecting', 'choosing']);

/** Opens a round for a community with a free seat; the run's workflow ID keeps it to one at a time. */
export async function openRound(ctx: VigieContext, communityId: string): Promise<void> {
  const me = ctx.requireAccount();
  const tenant = ctx.requireTenant();
  const running = await roundStatus(ctx.services, tenant, communityId);
  if (running && ROUND_RUNNING.has(running.phase)) throw fail('REFERENT_ROUND_ALREADY_OPEN');
  const t = timingsOf(ctx);
  await ctx.tx(async (trx) => {
    await requireCommunity(ctx, trx, communityId);
    if (
      (await ctx.services.roles.holders(trx, 'referent', communityId)).length >= MAX_REFERENTS_PER_COMMUNITY
    )
      throw fail('REFERENT_SEATS_FILLED');
    await record(ctx, trx, { action: 'referent.round_requested', communityId });
    // Last step of the transaction: if the workflow cannot be reached, nothing is recorded.
    await signalRound(
      ctx.services,
      tenant,
      communityId,
      N.reopenSignal,
      { openedBy: me.accountId, ...t },
      roundInput(tenant, communityId, 'manual', me.accountId, t),
    );
  });
}

/** The run's state once it has taken a signal into account (a reopening continues-as-new first). */
export async function settledRound(
  services: PlatformServices,
  tenant: TenantRef,
  communityId: string,
  done: (s: ReferentRoundStatus) => boolean,
): Promise<ReferentRoundStatus | null> {
  let status: ReferentRoundStatus | null = null;
  for (let i = 0; i < 40; i++) {
    status = await roundStatus(services, tenant, communityId);
    if (status && done(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}

/**
 * Frees a seat in the caller's transaction: the role goes, the candidacy ends,
 * the action is audited, and, last, the community's run is told. A workflow
 * that cannot be reached rolls everything back, so the caller can simply retry;
 * a commit that fails after the signal only makes the run recount its seats.
 */
export async function vacateSeat(
  ctx: VigieContext,
  trx: Trx,
  v: {
    communityId: string;
    accountId: string;
    action: 'referent.removed' | 'referent.stepped_down';
    reason: string | null;
  },
): Promise<void> {
  const tenant = ctx.requireTenant();
  const removed = await ctx.services.roles.revoke(trx, {
    accountId: v.accountId,
    role: 'referent',
    scopeId: v.communityId,
  });
  if (removed === 0) throw fail('NOT_A_REFERENT');
  await setCandidacyStatus(trx, [v.accountId], 'ended', ['chosen', 'active']);
  await record(ctx, trx, {
    action: v.action,
    communityId: v.communityId,
    target: { type: 'account', id: v.accountId },
    asReferent: v.action === 'referent.stepped_down',
    meta: v.reason ? { reason: v.reason } : {},
  });
  if (v.action === 'referent.removed') {
    const name = (await ctx.services.communities.get(trx, v.communityId))?.name ?? null;
    await ctx.services.notify(trx, {
      tenantId: tenant.id,
      accountIds: [v.accountId],
      ...texts.removed(name),
      meta: { communityId: v.communityId },
    });
  }
  await announceVacancy(ctx.services, tenant, v.communityId, v.accountId, timingsOf(ctx));
}

/** Tells the community's run that a seat is free: it flags the mairie if none is left and opens a round. */
export async function announceVacancy(
  services: PlatformServices,
  tenant: TenantRef,
  communityId: string,
  accountId: string,
  t: ReferentTimings,
): Promise<void> {
  await signalRound(
    services,
    tenant,
    communityId,
    N.vacancySignal,
    { accountId, ...t },
    roundInput(tenant, communityId, 'vacancy', null, t),
  );
}

/**
 * A member left or was excluded. A referent loses the seat (the role is
 * already revoked) and the round is told; a candidate drops out of the running
 * round and their candidacy waits for their next community.
 */
export async function onMembershipEnded(
  trx: Trx,
  e: MembershipEnded,
  services: PlatformServices,
): Promise<void> {
  if (e.wasReferent) {
    await setCandidacyStatus(trx, [e.accountId], 'ended', ['chosen', 'active']);
    await announceVacancy(
      services,
      e.tenant,
      e.communityId,
      e.accountId,
      referentTimings(await services.plugins.settings(trx, PLUGIN_ID)),
    );
    return;
  }
  const c = await candidacyOf(trx, e.accountId);
  if (c?.status !== 'active' || c.community_id !== e.communityId) return;
  await detachCandidacy(trx, e.accountId);
  await signalIfRunning(services, e.tenant, e.communityId, N.candidacySignal, {
    accountId: e.accountId,
    wanted: false,
  });
}
