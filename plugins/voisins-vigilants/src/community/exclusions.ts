// Leaving, exclusion by a referent, and the appeal to the mairie. Each is an
// audited decision with a reason; ending the membership itself is the core's
// (services.communities.end / reinstate), the exclusion record is ours.
import { Type } from '@sinclair/typebox';
import { fail } from '../errors.js';
import { type Trx, type VigieContext } from '@vigie/platform/plugin';
import { notify, record } from '../context.js';
import { texts } from './texts.js';
import { asId, parseInput } from '../validate.js';
import { DecisionReason } from './requests.js';
import { emitMembershipEnded } from './hooks.js';
import { isReferentOf, membershipOf, requireMember } from './membership.js';

export interface ExclusionRow {
  id: string;
  account_id: string;
  community_id: string;
  excluded_by: string;
  reason: string;
  status: 'active' | 'reinstated';
  created_at: Date;
}

export interface AppealRow {
  id: string;
  exclusion_id: string;
  account_id: string;
  statement: string;
  status: 'pending' | 'upheld' | 'reinstated';
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Date;
}

const Statement = Type.String({
  minLength: 10,
  maxLength: 3000,
  errorMessage: 'Expliquez votre recours (10 à 3 000 caractères).',
});
const LeaveReason = Type.String({
  maxLength: 500,
  errorMessage: 'Le motif ne doit pas dépasser 500 caractères.',
});

/** Revokes the referent role a departing member held for this community; the referent selection reopens a round. */
async function endMembership(
  ctx: VigieContext,
  trx: Trx,
  m: { accountId: string; communityId: string; reason: 'left' | 'excluded' },
): Promise<void> {
  const by = ctx.requireAccount();
  // The residence keeps a reason code; the words of the decision stay with the plugin (vv_exclusions, audit).
  await ctx.services.communities.end(trx, {
    accountId: m.accountId,
    communityId: m.communityId,
    reason: m.reason,
    decidedBy: by.accountId,
  });
  const wasReferent =
    (await ctx.services.roles.revoke(trx, {
      accountId: m.accountId,
      role: 'referent',
      scopeId: m.communityId,
    })) > 0;
  const tenant = ctx.requireTenant();
  await emitMembershipEnded(
    trx,
    {
      tenant: { id: tenant.id, slug: tenant.slug },
      accountId: m.accountId,
      communityId: m.communityId,
      reason: m.reason,
      wasReferent,
    },
    ctx.services,
  );
}

export async function leaveCommunity(ctx: VigieContext, trx: Trx, reasonInput: unknown): Promise<boolean> {
  const { account, community } = await requireMember(ctx, trx);
  const reason =
    reasonInput === null || reasonInput === undefined ? '' : parseInput(LeaveReason, reasonInput);
  await endMembership(ctx, trx, { accountId: account.accountId, communityId: community.id, reason: 'left' });
  await record(ctx, trx, {
    action: 'membership.left',
    communityId: community.id,
    target: { type: 'account', id: account.accountId },
    ...(reason ? { meta: { reason } } : {}),
  });
  return true;
}

export async function excludeMember(
  ctx: VigieContext,
  trx: Trx,
  args: { communityId: string; accountId: string; reason: unknown },
): Promise<ExclusionRow> {
  const referent = ctx.requireAccount();
  const communityId = asId(args.communityId, 'COMMUNITY_NOT_FOUND');
  ctx.authorize('voisins-vigilants.membership.exclude', { communityId });
  const reason = parseInput(DecisionReason, args.reason);
  const target = asId(args.accountId, 'MEMBER_NOT_FOUND');
  if (target === referent.accountId) throw fail('CANNOT_EXCLUDE_SELF');
  const their = await membershipOf(ctx.services, trx, target);
  if (their?.id !== communityId) throw fail('MEMBER_NOT_FOUND');
  if (await isReferentOf(ctx.services, trx, target, communityId)) throw fail('CANNOT_EXCLUDE_REFERENT');
  await endMembership(ctx, trx, { accountId: target, communityId, reason: 'excluded' });
  const [row] = await trx('vv_exclusions')
    .insert({
      tenant_id: referent.tenantId,
      account_id: target,
      community_id: communityId,
      excluded_by: referent.accountId,
      reason,
    })
    .returning('*');
  await record(ctx, trx, {
    action: 'membership.excluded',
    communityId,
    target: { type: 'account', id: target },
    meta: { exclusionId: row.id, reason },
    asReferent: true,
  });
  await notify(ctx.services, trx, {
    tenantId: referent.tenantId,
    accountIds: [target],
    kind: 'excluded',
    ...texts.excluded(their.name, reason),
    link: `/communaute/exclusions/${row.id}`,
  });
  return row as ExclusionRow;
}

export async function appealExclusion(
  ctx: VigieContext,
  trx: Trx,
  exclusionId: string,
  statementInput: unknown,
): Promise<AppealRow> {
  const account = ctx.requireAccount();
  ctx.authorize('voisins-vigilants.exclusion.appeal');
  const statement = parseInput(Statement, statementInput);
  const exclusion = (await trx('vv_exclusions')
    .where({ id: asId(exclusionId, 'EXCLUSION_NOT_FOUND'), account_id: account.accountId })
    .first()) as ExclusionRow | undefined;
  if (!exclusion || exclusion.status !== 'active') throw fail('EXCLUSION_NOT_FOUND');
  if (await trx('vv_exclusion_appeals').where({ exclusion_id: exclusion.id }).first('id'))
    throw fail('APPEAL_ALREADY_FILED');
  const [row] = await trx('vv_exclusion_appeals')
    .insert({
      tenant_id: account.tenantId,
      exclusion_id: exclusion.id,
      account_id: account.accountId,
      statement,
    })
    .returning('*');
  await record(ctx, trx, {
    action: 'exclusion.appealed',
    communityId: exclusion.community_id,
    target: { type: 'exclusion', id: exclusion.id },
  });
  await notify(ctx.services, trx, {
    tenantId: account.tenantId,
    accountIds: await ctx.services.roles.holders(trx, 'mairie_admin', null),
    kind: 'exclusion_appeal',
    ...texts.appealFiled(),
    link: `/mairie/voisins-vigilants/recours/${row.id}`,
  });
  return row as AppealRow;
}

/** The mairie upholds the exclusion or reinstates the resident in the community. */
export async function decideAppeal(
  ctx: VigieContext,
  trx: Trx,
  appealId: string,
  decision: 'uphold' | 'reinstate',
  reasonInput: unknown,
): Promise<AppealRow> {
  const admin = ctx.requireAccount();
  ctx.authorize('voisins-vigilants.exclusion.appeal_decide');
  const reason = parseInput(DecisionReason, reasonInput);
  const appeal = (await trx('vv_exclusion_appeals')
    .where({ id: asId(appealId, 'APPEAL_NOT_FOUND') })
    .forUpdate()
    .first()) as AppealRow | undefined;
  if (!appeal) throw fail('APPEAL_NOT_FOUND');
  if (appeal.status !== 'pending') throw fail('APPEAL_DECIDED');
  const exclusion = (await trx('vv_exclusions')
    .where({ id: appeal.exclusion_id })
    .forUpdate()
    .first()) as ExclusionRow;
  if (decision === 'reinstate') {
    const back = await ctx.services.communities.reinstate(trx, {
      accountId: exclusion.account_id,
      communityId: exclusion.community_id,
      reason: 'reinstated_on_appeal',
      decidedBy: admin.accountId,
    });
    if (!back) throw fail('REINSTATEMENT_IMPOSSIBLE');
    await trx('vv_exclusions')
      .where({ id: exclusion.id })
      .update({ status: 'reinstated', updated_at: new Date() });
  }
  const [row] = await trx('vv_exclusion_appeals')
    .where({ id: appeal.id })
    .update({
      status: decision === 'uphold' ? 'upheld' : 'reinstated',
      decided_by: admin.accountId,
      decided_at: new Date(),
      decision_reason: reason,
      updated_at: new Date(),
    })
    .returning('*');
  await record(ctx, trx, {
    action: decision === 'uphold' ? 'exclusion.upheld' : 'exclusion.reinstated',
    communityId: exclusion.community_id,
    target: { type: 'exclusion', id: exclusion.id },
    meta: { appealId: appeal.id, reason },
  });
  const referents = await ctx.services.roles.holders(trx, 'referent', exclusion.community_id);
  await notify(ctx.services, trx, {
    tenantId: admin.tenantId,
    accountIds: [exclusion.account_id],
    kind: 'exclusion_appeal_decided',
    ...texts.appealDecidedForResident(decision, reason),
    link: '/communaute',
  });
  await notify(ctx.services, trx, {
    tenantId: admin.tenantId,
    accountIds: referents,
    kind: 'exclusion_appeal_decided',
    ...texts.appealDecidedForReferents(decision, reason),
    link: null,
  });
  return row as AppealRow;
}

export async function listAppeals(ctx: VigieContext, trx: Trx, status: string): Promise<AppealRow[]> {
  ctx.authorize('voisins-vigilants.exclusion.appeal_decide');
  const q = trx('vv_exclusion_appeals').orderBy('created_at', 'asc').limit(200);
  if (status !== 'all') q.where({ status });
  return (await q) as AppealRow[];
}
