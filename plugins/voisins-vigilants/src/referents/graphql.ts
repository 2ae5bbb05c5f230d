// GraphQL of the referents: candidacy (residents), rounds and choices (police
// municipale), flags (mairie), and the referents' own tools (support requests,
// the community's boundary). The membership queue and the referents' shared log
// live with the community, the address-verification queue in the platform
// (verificationQueue), the moderation queue with moderation.
import {
  type Community,
  type PluginLoaders,
  type PluginResolvers,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { MAX_REFERENTS_PER_COMMUNITY, type ReferentRoundStatus } from '../workflows/contracts.js';
import { iso, record } from '../context.js';
import { neighbourLoader } from '../loaders.js';
import { asId } from '../validate.js';
import type { Loader } from '../graphql-types.js';
import { P } from './permissions.js';
import { candidacyOf, type CandidacyRow } from './candidacies.js';
import { chooseInRound, roundStatus } from './rounds.js';
import { openRound, requireCommunity, setCandidacy, settledRound, vacateSeat } from './seats.js';
import {
  close,
  communityRequests,
  messagesOf,
  reply,
  requestsOf,
  requireAccess,
  sendRequest,
  type SupportMessageRow,
  type SupportRequestRow,
} from './support.js';

export const referentTypeDefs = /* GraphQL */ `
  "The answer to « Souhaitez-vous devenir le référent de la communauté ? »."
  type ReferentCandidacy {
    "Yes: a candidacy is recorded (or the resident is a sitting referent)."
    wanted: Boolean!
    "none, active, withdrawn, chosen (sitting referent) or ended"
    status: String!
    "The community it is for; null until the resident's address is verified."
    community: CommunitySummary
    since: String
  }

  "A community's referent selection, as the police municipale see it."
  type ReferentRound {
    community: CommunitySummary!
    "none (no round ever ran), opening, collecting (candidates apply), choosing (the police choose) or staffed (round over)"
    phase: String!
    roundId: ID
    "manual, candidacy or vacancy"
    reason: String
    collectUntil: String
    candidates: [Neighbour!]!
    "Chosen in this round."
    chosen: [Neighbour!]!
    "Sitting referents."
    referents: [Neighbour!]!
    seatsLeft: Int!
  }

  type CommunityWithoutReferent {
    community: CommunitySummary!
    "Latest round: collecting, choosing or closed; null when none ever ran."
    roundStatus: String
    roundOpenedAt: String
    candidates: Int!
  }

  type BoundaryRedrawn {
    community: CommunitySummary!
    areaM2: Int!
    "Other communities the new outline overlaps (saved because confirmOverlap was true)."
    overlaps: [CommunitySummary!]!
    "Addresses that changed community."
    movedAddresses: Int!
  }

  "A member's request to the referents of their community, and its thread."
  type SupportRequest {
    id: ID!
    community: CommunitySummary!
    author: Neighbour!
    subject: String!
    "open (awaiting referents), answered or closed"
    status: String!
    createdAt: String!
    lastMessageAt: String!
    messages: [SupportMessage!]!
  }

  type SupportMessage {
    id: ID!
    author: Neighbour
    fromReferent: Boolean!
    body: String!
    createdAt: String!
  }

  extend type Query {
    myReferentCandidacy: ReferentCandidacy!
    "Communities where the caller is a referent."
    myReferentCommunities: [CommunitySummary!]!
    "Police and mairie: the community's round, candidates and referents."
    referentRound(communityId: ID!): ReferentRound!
    "Mairie: active communities that have no referent."
    communitiesWithoutReferent: [CommunityWithoutReferent!]!
    mySupportRequests: [SupportRequest!]!
    "Referents: the requests of their community, newest activity first."
    communitySupportRequests(communityId: ID!, status: String): [SupportRequest!]!
    supportRequest(id: ID!): SupportRequest!
  }

  extend type Mutation {
    """
    Records or withdraws the caller's candidacy. Registration clients call it right
    after the register mutation when the resident answered yes; the profile calls it
    whenever the answer changes. Before the address is verified the candidacy waits
    for the resident's community.
    """
    setReferentCandidacy(wanted: Boolean!): ReferentCandidacy!
    "Police chief or mairie: opens a round for a community with a free seat."
    openReferentRound(communityId: ID!): ReferentRound!
    "Police: chooses one or two referents among the round's candidates, once the collection period is over."
    chooseReferents(communityId: ID!, accountIds: [ID!]!): ReferentRound!
    "Police chief or mairie: ends a referent's role (a new round opens)."
    removeReferent(communityId: ID!, accountId: ID!, reason: String!): Boolean!
    "A referent leaves the role (a new round opens)."
    stepDownAsReferent(communityId: ID!, reason: String): Boolean!
    "Referent: redraws the community's boundary (GeoJSON Polygon or MultiPolygon, as text)."
    redrawCommunityBoundary(
      communityId: ID!
      geometry: String! @length(max: 1000000)
      confirmOverlap: Boolean = false
    ): BoundaryRedrawn!
    sendSupportRequest(subject: String!, body: String!): SupportRequest!
    "The member's follow-up or a referent's answer."
    replyToSupportRequest(id: ID!, body: String!): SupportRequest!
    closeSupportRequest(id: ID!): SupportRequest!
  }
`;

const summary = (c: Pick<Community, 'id' | 'name'>) => ({ id: c.id, name: c.name });

function candidacyObj(row: CandidacyRow | undefined, community: Community | undefined) {
  return {
    wanted: row?.status === 'active' || row?.status === 'chosen',
    status: row?.status ?? 'none',
    community: community ? summary(community) : null,
    since: iso(row?.status_at),
  };
}

async function candidacyView(ctx: VigieContext, trx: Trx, row: CandidacyRow | undefined) {
  const community = row?.community_id ? await ctx.services.communities.get(trx, row.community_id) : undefined;
  return candidacyObj(row, community);
}

async function roundView(ctx: VigieContext, trx: Trx, community: Community, s: ReferentRoundStatus | null) {
  const referents = await ctx.services.roles.holders(trx, 'referent', community.id);
  const names = await ctx.services.accounts.displayNames(trx, [
    ...(s?.candidates ?? []),
    ...(s?.chosen ?? []),
    ...referents,
  ]);
  const person = (id: string) => ({ id, displayName: names.get(id) ?? 'ancien membre' });
  return {
    community: summary(community),
    phase: s?.phase ?? 'none',
    roundId: s?.roundId ?? null,
    reason: s?.reason ?? null,
    collectUntil: s?.collectUntil ?? null,
    candidates: (s?.candidates ?? []).map(person),
    chosen: (s?.chosen ?? []).map(person),
    referents: referents.map(person),
    seatsLeft: Math.max(0, MAX_REFERENTS_PER_COMMUNITY - referents.length),
  };
}

/** Reads the live round (outside any transaction: no database connection is held during a Temporal call). */
async function currentRound(ctx: VigieContext, communityId: string, status?: ReferentRoundStatus | null) {
  const s = status !== undefined ? status : await roundStatus(ctx.services, ctx.requireTenant(), communityId);
  return ctx.tx(async (trx) => roundView(ctx, trx, await requireCommunity(ctx, trx, communityId), s));
}

const supportObj = (r: SupportRequestRow) => ({
  ...r,
  createdAt: iso(r.created_at),
  lastMessageAt: iso(r.last_message_at),
});
const messageObj = (m: SupportMessageRow) => ({
  id: m.id,
  author_id: m.author_id,
  fromReferent: m.from_referent,
  body: m.body,
  createdAt: iso(m.created_at),
});

async function flags(ctx: VigieContext, trx: Trx) {
  const out = [];
  for (const c of await ctx.services.communities.list(trx)) {
    if ((await ctx.services.roles.holders(trx, 'referent', c.id)).length > 0) continue;
    const round = await trx('vv_referent_rounds')
      .where({ community_id: c.id })
      .orderBy('created_at', 'desc')
      .first('status', 'created_at');
    const n = await trx('vv_referent_candidacies')
      .where({ community_id: c.id, status: 'active' })
      .count('* as n')
      .first();
    out.push({
      community: summary(c),
      roundStatus: round?.status ?? null,
      roundOpenedAt: iso(round?.created_at),
      candidates: Number(n?.n ?? 0),
    });
  }
  return out;
}

export const referentResolvers: PluginResolvers = {
  Query: {
    myReferentCandidacy: (_r, _a, ctx) =>
      ctx.tx(async (trx) => candidacyView(ctx, trx, await candidacyOf(trx, ctx.requireAccount().accountId))),
    myReferentCommunities: (_r, _a, ctx) => {
      const ids = ctx
        .requireAccount()
        .roles.filter((g) => g.role === 'referent' && g.scopeId)
        .map((g) => g.scopeId!);
      return ctx.tx(async (trx) =>
        (await Promise.all(ids.map((id) => ctx.services.communities.get(trx, id))))
          .filter((c): c is Community => !!c)
          .map(summary),
      );
    },
    referentRound: async (_r, a: { communityId: string }, ctx) => {
      ctx.authorize(P.roundRead);
      return currentRound(ctx, asId(a.communityId, 'COMMUNITY_NOT_FOUND'));
    },
    communitiesWithoutReferent: (_r, _a, ctx) => {
      ctx.authorize(P.flags);
      return ctx.tx((trx) => flags(ctx, trx));
    },
    mySupportRequests: (_r, _a, ctx) =>
      ctx.tx(async (trx) => (await requestsOf(trx, ctx.requireAccount().accountId)).map(supportObj)),
    communitySupportRequests: (_r, a: { communityId: string; status?: string | null }, ctx) => {
      const communityId = asId(a.communityId, 'COMMUNITY_NOT_FOUND');
      ctx.authorize(P.supportAnswer, { communityId });
      return ctx.tx(async (trx) =>
        (await communityRequests(trx, communityId, a.status ?? null)).map(supportObj),
      );
    },
    supportRequest: (_r, a: { id: string }, ctx) =>
      ctx.tx(async (trx) => supportObj((await requireAccess(ctx, trx, a.id)).request)),
  },
  Mutation: {
    setReferentCandidacy: async (_r, a: { wanted: boolean }, ctx) => {
      ctx.authorize(P.candidacy);
      const row = await setCandidacy(ctx, a.wanted);
      return ctx.tx((trx) => candidacyView(ctx, trx, row));
    },
    openReferentRound: async (_r, a: { communityId: string }, ctx) => {
      const communityId = asId(a.communityId, 'COMMUNITY_NOT_FOUND');
      ctx.authorize(P.roundOpen);
      await openRound(ctx, communityId);
      const s = await settledRound(
        ctx.services,
        ctx.requireTenant(),
        communityId,
        (x) => x.phase === 'collecting' || x.phase === 'choosing',
      );
      return currentRound(ctx, communityId, s);
    },
    chooseReferents: async (_r, a: { communityId: string; accountIds: string[] }, ctx) => {
      const communityId = asId(a.communityId, 'COMMUNITY_NOT_FOUND');
      ctx.authorize(P.choose);
      const accountIds = a.accountIds.map((id) => asId(id, 'NOT_A_CANDIDATE'));
      const s = await chooseInRound(ctx.services, ctx.requireTenant(), communityId, {
        accountIds,
        chosenBy: ctx.requireAccount().accountId,
      });
      return currentRound(ctx, communityId, s);
    },
    removeReferent: async (_r, a: { communityId: string; accountId: string; reason: string }, ctx) => {
      const communityId = asId(a.communityId, 'COMMUNITY_NOT_FOUND');
      ctx.authorize(P.remove);
      const reason = a.reason.trim();
      if (reason.length < 3 || reason.length > 500)
        throw fail('VALIDATION_FAILED', 'Le motif doit faire de 3 à 500 caractères.');
      const accountId = asId(a.accountId, 'NOT_A_REFERENT');
      await ctx.tx((trx) =>
        vacateSeat(ctx, trx, { communityId, accountId, action: 'referent.removed', reason }),
      );
      return true;
    },
    stepDownAsReferent: async (_r, a: { communityId: string; reason?: string | null }, ctx) => {
      const communityId = asId(a.communityId, 'NOT_A_REFERENT');
      ctx.authorize(P.stepDown, { communityId });
      const me = ctx.requireAccount().accountId;
      await ctx.tx((trx) =>
        vacateSeat(ctx, trx, {
          communityId,
          accountId: me,
          action: 'referent.stepped_down',
          reason: a.reason?.trim().slice(0, 500) || null,
        }),
      );
      return true;
    },
    redrawCommunityBoundary: async (
      _r,
      a: { communityId: string; geometry: string; confirmOverlap?: boolean | null },
      ctx,
    ) => {
      const communityId = asId(a.communityId, 'COMMUNITY_NOT_FOUND');
      ctx.authorize(P.boundary, { communityId });
      const geometry = parseGeometry(a.geometry);
      const tenant = ctx.requireTenant();
      return ctx.tx(async (trx) => {
        await requireCommunity(ctx, trx, communityId);
        const r = await ctx.services.sectors.redraw(trx, {
          tenantId: tenant.id,
          sectorId: communityId,
          geometry,
          confirmOverlap: a.confirmOverlap ?? false,
        });
        await record(ctx, trx, {
          action: 'boundary.redrawn',
          communityId,
          target: { type: 'community', id: communityId },
          asReferent: true,
          meta: { areaM2: r.areaM2, movedAddresses: r.movedAddresses, overlaps: r.overlaps.length },
        });
        return {
          community: summary(r),
          areaM2: r.areaM2,
          overlaps: r.overlaps.map(summary),
          movedAddresses: r.movedAddresses,
        };
      });
    },
    sendSupportRequest: (_r, a: { subject: string; body: string }, ctx) =>
      ctx.tx(async (trx) => supportObj(await sendRequest(ctx, trx, a))),
    replyToSupportRequest: (_r, a: { id: string; body: string }, ctx) =>
      ctx.tx(async (trx) => supportObj(await reply(ctx, trx, a.id, a))),
    closeSupportRequest: (_r, a: { id: string }, ctx) =>
      ctx.tx(async (trx) => supportObj(await close(ctx, trx, a.id))),
  },
};

function parseGeometry(text: string): unknown {
  // The sector API caps a shape at 5,000 positions; refuse far bigger text before parsing it.
  if (text.length > 400_000) throw fail('BOUNDARY_GEOMETRY_INVALID');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw fail('BOUNDARY_GEOMETRY_INVALID');
  }
}

type SupportObj = ReturnType<typeof supportObj>;

const communitiesLoader: Loader<SupportObj> = async (queries, ctx) =>
  ctx.tx(async (trx) => {
    const ids = [...new Set(queries.map((q) => q.obj.community_id))];
    const found = new Map(
      (await Promise.all(ids.map((id) => ctx.services.communities.get(trx, id))))
        .filter((c): c is Community => !!c)
        .map((c) => [c.id, summary(c)]),
    );
    return queries.map((q) => found.get(q.obj.community_id) ?? { id: q.obj.community_id, name: '' });
  });

const messagesLoader: Loader<SupportObj> = async (queries, ctx) =>
  ctx.tx(async (trx) => {
    const threads = await messagesOf(
      trx,
      queries.map((q) => q.obj.id),
    );
    return queries.map((q) => (threads.get(q.obj.id) ?? []).map(messageObj));
  });

export const referentLoaders: PluginLoaders = {
  SupportRequest: {
    author: neighbourLoader<SupportObj>((r) => r.author_id),
    community: communitiesLoader,
    messages: messagesLoader,
  },
  SupportMessage: {
    author: neighbourLoader<ReturnType<typeof messageObj>>((m) => m.author_id),
  },
} as PluginLoaders;
