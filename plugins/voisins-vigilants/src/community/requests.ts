// Manual membership: a resident whose address is not in the BAN import asks to
// join a community; a referent of that community approves (the core activates
// a residence validated by hand) or refuses with a reason.
import { Type } from '@sinclair/typebox';
import { fail } from '../errors.js';
import { type Trx, type VigieContext } from '@vigie/platform/plugin';
import { notify, record } from '../context.js';
import { texts } from './texts.js';
import { Id, asId, parseInput } from '../validate.js';
import { activeExclusion, membershipOf } from './membership.js';

export const MembershipRequestInput = Type.Object({
  communityId: Id('Communauté invalide.'),
  addressLabel: Type.String({
    minLength: 5,
    maxLength: 200,
    errorMessage: "L'adresse doit compter de 5 à 200 caractères.",
  }),
  message: Type.Optional(
    Type.String({ maxLength: 1000, errorMessage: 'Le message ne doit pas dépasser 1 000 caractères.' }),
  ),
});

export const DecisionReason = Type.String({
  minLength: 3,
  maxLength: 1000,
  errorMessage: 'Indiquez un motif (3 à 1 000 caractères).',
});

export interface RequestRow {
  id: string;
  account_id: string;
  community_id: string;
  address_label: string;
  message: string | null;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Date;
}

export async function createRequest(ctx: VigieContext, trx: Trx, input: unknown): Promise<RequestRow> {
  const account = ctx.requireAccount();
  ctx.authorize('voisins-vigilants.membership.request');
  if (!account.emailVerified) throw fail('EMAIL_NOT_VERIFIED');
  const i = parseInput(MembershipRequestInput, input);
  const community = await ctx.services.communities.get(trx, i.communityId);
  if (!community || community.status !== 'active') throw fail('COMMUNITY_NOT_FOUND');
  if (await membershipOf(ctx.services, trx, account.accountId)) throw fail('ALREADY_MEMBER');
  if (await activeExclusion(trx, account.accountId, community.id)) throw fail('EXCLUDED_FROM_COMMUNITY');
  if (
    await trx('vv_membership_requests')
      .where({ account_id: account.accountId, status: 'pending' })
      .first('id')
  )
    throw fail('MEMBERSHIP_REQUEST_PENDING');
  const [row] = await trx('vv_membership_requests')
    .insert({
      tenant_id: account.tenantId,
      account_id: account.accountId,
      community_id: community.id,
      address_label: i.addressLabel,
      message: i.message ?? null,
    })
    .returning('*');
  await record(ctx, trx, {
    action: 'membership.requested',
    communityId: community.id,
    target: { type: 'membership_request', id: row.id },
  });
  const referents = await ctx.services.roles.holders(trx, 'referent', community.id);
  await notify(ctx.services, trx, {
    tenantId: account.tenantId,
    accountIds: referents,
    kind: 'membership_request',
    ...texts.membershipRequested(account.displayName, community.name),
    link: `/communaute/${community.id}/demandes`,
  });
  return row as RequestRow;
}

async function pendingRequest(trx: Trx, id: string): Promise<RequestRow> {
  const row = (await trx('vv_membership_requests')
    .where({ id: asId(id, 'MEMBERSHIP_REQUEST_NOT_FOUND') })
    .forUpdate()
    .first()) as RequestRow | undefined;
  if (!row) throw fail('MEMBERSHIP_REQUEST_NOT_FOUND');
  return row;
}

export async function withdrawRequest(ctx: VigieContext, trx: Trx, id: string): Promise<RequestRow> {
  const account = ctx.requireAccount();
  const row = await pendingRequest(trx, id);
  if (row.account_id !== account.accountId) throw fail('MEMBERSHIP_REQUEST_NOT_FOUND');
  if (row.status !== 'pending') throw fail('MEMBERSHIP_REQUEST_DECIDED');
  const [updated] = await trx('vv_membership_requests')
    .where({ id })
    .update({ status: 'withdrawn', decided_at: new Date(), updated_at: new Date() })
    .returning('*');
  await record(ctx, trx, {
    action: 'membership.request_withdrawn',
    communityId: row.community_id,
    target: { type: 'membership_request', id },
  });
  return updated as RequestRow;
}

/** A referent of the request's community decides; anyone else gets the same answer as for a missing request. */
export async function decideRequest(
  ctx: VigieContext,
  trx: Trx,
  id: string,
  decision: { approve: true } | { approve: false; reason: unknown },
): Promise<RequestRow> {
  const referent = ctx.requireAccount();
  const row = await pendingRequest(trx, id);
  ctx.authorize('voisins-vigilants.membership.validate', { communityId: row.community_id });
  if (row.status !== 'pending') throw fail('MEMBERSHIP_REQUEST_DECIDED');
  const community = await ctx.services.communities.get(trx, row.community_id);
  if (!community) throw fail('COMMUNITY_NOT_FOUND');
  const reason = decision.approve ? null : parseInput(DecisionReason, decision.reason);
  if (decision.approve) {
    await ctx.services.communities.activateManual(trx, {
      tenantId: referent.tenantId,
      accountId: row.account_id,
      communityId: row.community_id,
      addressLabel: row.address_label,
      decidedBy: referent.accountId,
    });
  }
  const [updated] = await trx('vv_membership_requests')
    .where({ id })
    .update({
      status: decision.approve ? 'approved' : 'refused',
      decided_by: referent.accountId,
      decided_at: new Date(),
      decision_reason: reason,
      updated_at: new Date(),
    })
    .returning('*');
  await record(ctx, trx, {
    action: decision.approve ? 'membership.approved' : 'membership.refused',
    communityId: row.community_id,
    target: { type: 'membership_request', id },
    meta: { accountId: row.account_id, ...(reason ? { reason } : {}) },
    asReferent: true,
  });
  await notify(ctx.services, trx, {
    tenantId: referent.tenantId,
    accountIds: [row.account_id],
    kind: decision.approve ? 'membership_approved' : 'membership_refused',
    ...(decision.approve
      ? texts.membershipApproved(community.name)
      : texts.membershipRefused(community.name, reason ?? '')),
    link: '/communaute',
  });
  return updated as RequestRow;
}

export async function listRequests(
  ctx: VigieContext,
  trx: Trx,
  communityId: string,
  status: string,
): Promise<RequestRow[]> {
  ctx.authorize('voisins-vigilants.membership.validate', { communityId });
  const q = trx('vv_membership_requests')
    .where({ community_id: communityId })
    .orderBy('created_at', 'asc')
    .limit(200);
  if (status !== 'all') q.where({ status });
  return (await q) as RequestRow[];
}
