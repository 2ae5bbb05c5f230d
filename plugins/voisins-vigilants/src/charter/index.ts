// The community charter: accepted once per version, required before posting.
import { type PluginResolvers, type Trx, type VigieContext } from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { iso, record, settingsOf } from '../context.js';
import { requireMember } from '../community/membership.js';
import type { Slice } from '../slice.js';
import { DEFAULT_CHARTER } from './text.js';

const typeDefs = /* GraphQL */ `
  type CommunityCharter {
    "The version members must accept before posting."
    version: String!
    text: String!
    "The caller accepted this version."
    accepted: Boolean!
    "The last version the caller accepted."
    acceptedVersion: String
    acceptedAt: String
  }

  extend type Query {
    communityCharter: CommunityCharter!
  }

  extend type Mutation {
    "Accepts the charter; the version must be the current one (CHARTER_VERSION_OUTDATED otherwise)."
    acceptCharter(version: String!): CommunityCharter!
  }
`;

export function charterText(ctx: VigieContext): { version: string; text: string } {
  const s = settingsOf(ctx);
  return { version: s.charterVersion, text: s.charterText ?? DEFAULT_CHARTER };
}

async function charterFor(ctx: VigieContext, trx: Trx) {
  const account = ctx.requireAccount();
  const current = charterText(ctx);
  const last = (await trx('vv_charter_acceptances')
    .where({ account_id: account.accountId })
    .orderBy('accepted_at', 'desc')
    .first('version', 'accepted_at')) as { version: string; accepted_at: Date } | undefined;
  const accepted = !!(await trx('vv_charter_acceptances')
    .where({ account_id: account.accountId, version: current.version })
    .first('id'));
  return { ...current, accepted, acceptedVersion: last?.version ?? null, acceptedAt: iso(last?.accepted_at) };
}

const resolvers: PluginResolvers = {
  Query: {
    communityCharter: (_r, _a, ctx) => ctx.tx((trx) => charterFor(ctx, trx)),
  },
  Mutation: {
    acceptCharter: (_r, { version }: { version: string }, ctx) =>
      ctx.tx(async (trx) => {
        const { account, community } = await requireMember(ctx, trx);
        ctx.authorize('voisins-vigilants.charter.accept', { communityId: community.id });
        const current = charterText(ctx);
        if (version !== current.version)
          throw fail('CHARTER_VERSION_OUTDATED', undefined, { version: current.version });
        const inserted = await trx('vv_charter_acceptances')
          .insert({ tenant_id: account.tenantId, account_id: account.accountId, version })
          .onConflict(['tenant_id', 'account_id', 'version'])
          .ignore()
          .returning('id');
        if (inserted.length)
          await record(ctx, trx, {
            action: 'charter.accepted',
            communityId: community.id,
            meta: { version },
          });
        return charterFor(ctx, trx);
      }),
  },
};

export const charter: Slice = {
  name: 'charter',
  typeDefs,
  resolvers,
};
