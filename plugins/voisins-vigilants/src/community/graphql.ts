// GraphQL of the community: its page (members by display name, referents,
// coverage), membership (automatic through a verified address, or requested
// by hand), leaving, exclusion and appeal, and the referents' shared log.
import {
  type PluginLoaders,
  type PluginResolvers,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { iso } from '../context.js';
import { communitySummaryLoader, neighbourLoader, type Loader } from '../loaders.js';
import { asId } from '../validate.js';
import { membershipOf, requireCommunityReader } from './membership.js';
import { createRequest, decideRequest, listRequests, withdrawRequest, type RequestRow } from './requests.js';
import {
  appealExclusion,
  decideAppeal,
  excludeMember,
  leaveCommunity,
  listAppeals,
  type AppealRow,
  type ExclusionRow,
} from './exclusions.js';

export const communityTypeDefs = /* GraphQL */ `
  "A neighbour as other residents see them: a display name, never an address, a phone number or an email."
  type Neighbour {
    id: ID!
    displayName: String!
  }

  type CommunityCoverage {
    "Members' households (distinct addresses)."
    households: Int!
    "The community's addresses in the commune's BAN import."
    addresses: Int!
    "households / addresses, from 0 to 1; null when the community has no address."
    ratio: Float
  }

  "A community of voisins vigilants: one sector of the commune, seen as a social group."
  type Community {
    id: ID!
    name: String!
    memberCount: Int!
    referents: [Neighbour!]!
    coverage: CommunityCoverage!
    members(limit: Int = 50, offset: Int = 0): [Neighbour!]!
  }

  type CommunitySummary {
    id: ID!
    name: String!
  }

  enum MembershipStatus {
    "Member of the community of their verified address."
    member
    "Excluded by a referent (an appeal to the mairie is possible)."
    excluded
    "A membership request awaits a referent's decision."
    pending
    none
  }

  type MyMembership {
    status: MembershipStatus!
    community: Community
    request: MembershipRequest
    exclusion: Exclusion
  }

  type MembershipRequest {
    id: ID!
    community: CommunitySummary!
    requester: Neighbour!
    "Shown to the requester and to the community's referents only."
    addressLabel: String
    message: String
    "pending, approved, refused or withdrawn"
    status: String!
    decisionReason: String
    createdAt: String!
    decidedAt: String
  }

  type Exclusion {
    id: ID!
    community: CommunitySummary!
    member: Neighbour!
    reason: String!
    "active or reinstated"
    status: String!
    createdAt: String!
    appeal: ExclusionAppeal
  }

  type ExclusionAppeal {
    id: ID!
    exclusion: Exclusion!
    statement: String!
    "pending, upheld or reinstated"
    status: String!
    decisionReason: String
    createdAt: String!
    decidedAt: String
  }

  "One audited action of a referent of the community."
  type ReferentAction {
    id: ID!
    at: String!
    actor: Neighbour
    action: String!
    targetType: String
    targetId: String
    reason: String
  }

  input MembershipRequestInput {
    communityId: ID!
    "The address as the resident writes it (it is not in the BAN import)."
    addressLabel: String!
    message: String
  }

  enum AppealDecision {
    uphold
    reinstate
  }

  extend type Query {
    "The caller's community, or null when they are not a member."
    myCommunity: Community
    "A community the caller belongs to (staff: any community)."
    community(id: ID!): Community
    "The commune's communities (names only), to ask for a membership by hand."
    communities: [CommunitySummary!]!
    myMembership: MyMembership!
    "Referents: the membership requests of their community."
    membershipRequests(communityId: ID!, status: String = "pending"): [MembershipRequest!]!
    "Mairie: appeals against exclusions."
    exclusionAppeals(status: String = "pending"): [ExclusionAppeal!]!
    "Referents of the community (and the mairie): every referent action, newest first."
    referentActivity(
      communityId: ID!
      limit: Int = 50
      before: ID @cursor(format: "integer")
    ): [ReferentAction!]!
  }

  extend type Mutation {
    requestMembership(input: MembershipRequestInput!): MembershipRequest!
    withdrawMembershipRequest(id: ID!): MembershipRequest!
    approveMembershipRequest(id: ID!): MembershipRequest!
    refuseMembershipRequest(id: ID!, reason: String!): MembershipRequest!
    leaveCommunity(reason: String): Boolean!
    excludeMember(communityId: ID!, accountId: ID!, reason: String!): Exclusion!
    appealExclusion(exclusionId: ID!, statement: String!): ExclusionAppeal!
    decideExclusionAppeal(appealId: ID!, decision: AppealDecision!, reason: String!): ExclusionAppeal!
  }
`;

interface CommunityObj {
  id: string;
  name: string;
}

function requestObj(r: RequestRow) {
  return {
    id: r.id,
    accountId: r.account_id,
    communityId: r.community_id,
    address: r.address_label,
    message: r.message,
    status: r.status,
    decisionReason: r.decision_reason,
    createdAt: iso(r.created_at),
    decidedAt: iso(r.decided_at),
  };
}
type RequestObj = ReturnType<typeof requestObj>;

function exclusionObj(r: ExclusionRow) {
  return {
    id: r.id,
    accountId: r.account_id,
    communityId: r.community_id,
    reason: r.reason,
    status: r.status,
    createdAt: iso(r.created_at),
  };
}
type ExclusionObj = ReturnType<typeof exclusionObj>;

function appealObj(r: AppealRow) {
  return {
    id: r.id,
    exclusionId: r.exclusion_id,
    statement: r.statement,
    status: r.status,
    decisionReason: r.decision_reason,
    createdAt: iso(r.created_at),
    decidedAt: iso(r.decided_at),
  };
}
type AppealObj = ReturnType<typeof appealObj>;

async function myMembership(ctx: VigieContext, trx: Trx) {
  const account = ctx.requireAccount();
  const community = await membershipOf(ctx.services, trx, account.accountId);
  if (community)
    return {
      status: 'member',
      community: { id: community.id, name: community.name },
      request: null,
      exclusion: null,
    };
  const request = (await trx('vv_membership_requests')
    .where({ account_id: account.accountId, status: 'pending' })
    .first()) as RequestRow | undefined;
  if (request) return { status: 'pending', community: null, request: requestObj(request), exclusion: null };
  const exclusion = (await trx('vv_exclusions')
    .where({ account_id: account.accountId, status: 'active' })
    .orderBy('created_at', 'desc')
    .first()) as ExclusionRow | undefined;
  if (exclusion)
    return { status: 'excluded', community: null, request: null, exclusion: exclusionObj(exclusion) };
  return { status: 'none', community: null, request: null, exclusion: null };
}

export const communityResolvers: PluginResolvers = {
  Query: {
    myCommunity: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        const account = ctx.requireAccount();
        ctx.authorize('voisins-vigilants.community.read');
        const c = await membershipOf(ctx.services, trx, account.accountId);
        return c ? { id: c.id, name: c.name } : null;
      }),
    community: (_r, { id }: { id: string }, ctx) =>
      ctx.tx(async (trx) => {
        const c = await requireCommunityReader(ctx, trx, asId(id, 'COMMUNITY_NOT_FOUND'));
        return { id: c.id, name: c.name };
      }),
    communities: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        ctx.requireAccount();
        return (await ctx.services.communities.list(trx)).map((c) => ({ id: c.id, name: c.name }));
      }),
    myMembership: (_r, _a, ctx) => ctx.tx((trx) => myMembership(ctx, trx)),
    membershipRequests: (_r, a: { communityId: string; status: string }, ctx) =>
      ctx.tx(async (trx) =>
        (await listRequests(ctx, trx, asId(a.communityId, 'COMMUNITY_NOT_FOUND'), a.status)).map(requestObj),
      ),
    exclusionAppeals: (_r, a: { status: string }, ctx) =>
      ctx.tx(async (trx) => (await listAppeals(ctx, trx, a.status)).map(appealObj)),
    referentActivity: (_r, a: { communityId: string; limit: number; before?: string | null }, ctx) =>
      ctx.tx(async (trx) => {
        const communityId = asId(a.communityId, 'COMMUNITY_NOT_FOUND');
        ctx.authorize('voisins-vigilants.referent_activity.read', { communityId });
        const entries = await ctx.services.auditLog(trx, {
          actionPrefix: 'voisins-vigilants.',
          meta: { communityId, byReferent: true },
          limit: a.limit,
          ...(a.before && /^\d+$/.test(a.before) ? { before: a.before } : {}),
        });
        return entries.map((e) => ({
          id: e.id,
          at: iso(e.at),
          actorId: e.actorId,
          action: e.action,
          targetType: e.targetType,
          targetId: e.targetId,
          reason: typeof e.meta.reason === 'string' ? e.meta.reason : null,
        }));
      }),
  },
  Mutation: {
    requestMembership: (_r, { input }: { input: unknown }, ctx) =>
      ctx.tx(async (trx) => requestObj(await createRequest(ctx, trx, input))),
    withdrawMembershipRequest: (_r, { id }: { id: string }, ctx) =>
      ctx.tx(async (trx) => requestObj(await withdrawRequest(ctx, trx, id))),
    approveMembershipRequest: (_r, { id }: { id: string }, ctx) =>
      ctx.tx(async (trx) => requestObj(await decideRequest(ctx, trx, id, { approve: true }))),
    refuseMembershipRequest: (_r, { id, reason }: { id: string; reason: string }, ctx) =>
      ctx.tx(async (trx) => requestObj(await decideRequest(ctx, trx, id, { approve: false, reason }))),
    leaveCommunity: (_r, { reason }: { reason?: string | null }, ctx) =>
      ctx.tx((trx) => leaveCommunity(ctx, trx, reason)),
    excludeMember: (_r, a: { communityId: string; accountId: string; reason: string }, ctx) =>
      ctx.tx(async (trx) => exclusionObj(await excludeMember(ctx, trx, a))),
    appealExclusion: (_r, a: { exclusionId: string; statement: string }, ctx) =>
      ctx.tx(async (trx) => appealObj(await appealExclusion(ctx, trx, a.exclusionId, a.statement))),
    decideExclusionAppeal: (
      _r,
      a: { appealId: string; decision: 'uphold' | 'reinstate'; reason: string },
      ctx,
    ) => ctx.tx(async (trx) => appealObj(await decideAppeal(ctx, trx, a.appealId, a.decision, a.reason))),
  },
  MembershipRequest: {
    // A referent needs the address to validate it; other residents never see it.
    addressLabel: (r: RequestObj, _a, ctx) => {
      if (
        ctx.principal?.accountId === r.accountId ||
        ctx.can('voisins-vigilants.membership.validate', { communityId: r.communityId })
      )
        return r.address;
      return null;
    },
  },
};

/** Community fields read per community id, batched per request. */
function perCommunity<P = Record<string, unknown>>(
  fn: (ctx: VigieContext, trx: Trx, id: string, params: P) => Promise<unknown>,
): Loader<CommunityObj, P> {
  return async (queries, ctx) =>
    ctx.tx((trx) => Promise.all(queries.map((q) => fn(ctx, trx, q.obj.id, q.params))));
}

export const communityLoaders: PluginLoaders = {
  Community: {
    memberCount: perCommunity((ctx, trx, id) => ctx.services.communities.memberCount(trx, id)),
    referents: perCommunity(async (ctx, trx, id) => {
      const ids = await ctx.services.roles.holders(trx, 'referent', id);
      const names = await ctx.services.accounts.displayNames(trx, ids);
      return ids
        .map((a) => ({ id: a, displayName: names.get(a) ?? 'ancien membre' }))
        .sort((x, y) => x.displayName.localeCompare(y.displayName, 'fr'));
    }),
    coverage: perCommunity(async (ctx, trx, id) => {
      const c = await ctx.services.communities.coverage(trx, id);
      return { ...c, ratio: c.addresses > 0 ? Math.min(1, c.households / c.addresses) : null };
    }),
    members: perCommunity<{ limit: number; offset: number }>(async (ctx, trx, id, p) => {
      const rows = await ctx.services.communities.members(trx, id, {
        limit: Math.min(Math.max(p.limit, 1), 200),
        offset: Math.max(p.offset, 0),
      });
      const excluded = new Set<string>(
        await trx('vv_exclusions')
          .where({ community_id: id, status: 'active' })
          .whereIn(
            'account_id',
            rows.map((m) => m.accountId),
          )
          .pluck('account_id'),
      );
      return rows
        .filter((m) => !excluded.has(m.accountId))
        .map((m) => ({ id: m.accountId, displayName: m.displayName }));
    }),
  },
  MembershipRequest: {
    requester: neighbourLoader<RequestObj>((r) => r.accountId),
    community: communitySummaryLoader<RequestObj>((r) => r.communityId),
  },
  Exclusion: {
    member: neighbourLoader<ExclusionObj>((r) => r.accountId),
    community: communitySummaryLoader<ExclusionObj>((r) => r.communityId),
    appeal: async (queries: Array<{ obj: ExclusionObj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('vv_exclusion_appeals').whereIn(
          'exclusion_id',
          queries.map((q) => q.obj.id),
        )) as AppealRow[];
        const by = new Map(rows.map((r) => [r.exclusion_id, appealObj(r)]));
        return queries.map((q) => by.get(q.obj.id) ?? null);
      }),
  },
  ExclusionAppeal: {
    exclusion: async (queries: Array<{ obj: AppealObj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('vv_exclusions').whereIn(
          'id',
          queries.map((q) => q.obj.exclusionId),
        )) as ExclusionRow[];
        const by = new Map(rows.map((r) => [r.id, exclusionObj(r)]));
        return queries.map((q) => by.get(q.obj.exclusionId) ?? fail('EXCLUSION_NOT_FOUND'));
      }),
  },
  ReferentAction: {
    actor: neighbourLoader<{ actorId: string | null }>((r) => r.actorId),
  },
};
