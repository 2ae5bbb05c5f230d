// The discussion board of a community: threads and comments for everything
// that is not security (an alert is the right tool for that). Hidden content
// disappears from the board; the moderation queue and log keep track of it.
import { Type } from '@sinclair/typebox';
import { fail } from '../errors.js';
import {
  type PluginLoaders,
  type PluginResolvers,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { iso, notify } from '../context.js';
import { texts } from './texts.js';
import { requireCommunityReader, requireMember, requirePoster } from '../community/membership.js';
import { neighbourLoader } from '../loaders.js';
import { asId, Id, isId, parseInput } from '../validate.js';
import type { Slice } from '../slice.js';

export const CATEGORIES = {
  lost_animals: 'Animaux perdus ou trouvés',
  mutual_aid: 'Entraide (aide à un voisin âgé, courses…)',
  loans: 'Prêts et échanges',
  neighbourhood_life: 'Vie du quartier',
  other: 'Autre',
} as const;
type Category = keyof typeof CATEGORIES;

const typeDefs = /* GraphQL */ `
  "Discussion topics. Security has no category: suspicious facts go through an alert."
  enum DiscussionCategory {
    lost_animals
    mutual_aid
    loans
    neighbourhood_life
    other
  }

  type DiscussionCategoryInfo {
    value: DiscussionCategory!
    label: String!
  }

  type DiscussionThread {
    id: ID!
    communityId: ID!
    category: DiscussionCategory!
    categoryLabel: String!
    title: String!
    body: String!
    author: Neighbour!
    createdAt: String!
    lastActivityAt: String!
    commentCount: Int!
    comments(limit: Int = 100): [DiscussionComment!]!
  }

  type DiscussionComment {
    id: ID!
    threadId: ID!
    body: String!
    author: Neighbour!
    createdAt: String!
  }

  input ThreadInput {
    category: DiscussionCategory!
    title: String!
    body: String!
  }

  extend type Community {
    "The latest discussions, most recently active first."
    latestThreads(limit: Int = 5): [DiscussionThread!]!
  }

  extend type Query {
    discussionCategories: [DiscussionCategoryInfo!]!
    "The board of the caller's community (staff: of the given community)."
    threads(
      communityId: ID
      category: DiscussionCategory
      limit: Int = 20
      before: String @cursor(format: "timestamp")
    ): [DiscussionThread!]!
    thread(id: ID!): DiscussionThread
  }

  extend type Mutation {
    createThread(input: ThreadInput!): DiscussionThread!
    addComment(threadId: ID!, body: String!): DiscussionComment!
  }
`;

const ThreadInput = Type.Object({
  category: Type.Union(Object.keys(CATEGORIES).map((c) => Type.Literal(c))),
  title: Type.String({
    minLength: 3,
    maxLength: 120,
    errorMessage: 'Le titre doit compter de 3 à 120 caractères.',
  }),
  body: Type.String({
    minLength: 1,
    maxLength: 5000,
    errorMessage: 'Le message doit compter de 1 à 5 000 caractères.',
  }),
});
const CommentBody = Type.String({
  minLength: 1,
  maxLength: 2000,
  errorMessage: 'Le commentaire doit compter de 1 à 2 000 caractères.',
});
const ListArgs = Type.Object({
  communityId: Type.Optional(Id('Communauté invalide.')),
  limit: Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'Entre 1 et 100 éléments.' }),
});

interface ThreadRow {
  id: string;
  community_id: string;
  author_id: string;
  category: Category;
  title: string;
  body: string;
  created_at: Date;
  last_activity_at: Date;
}
interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  body: string;
  created_at: Date;
}

function threadObj(r: ThreadRow) {
  return {
    id: r.id,
    communityId: r.community_id,
    authorId: r.author_id,
    category: r.category,
    categoryLabel: CATEGORIES[r.category],
    title: r.title,
    body: r.body,
    createdAt: iso(r.created_at),
    lastActivityAt: iso(r.last_activity_at),
  };
}
type ThreadObj = ReturnType<typeof threadObj>;

function commentObj(r: CommentRow) {
  return {
    id: r.id,
    threadId: r.thread_id,
    authorId: r.author_id,
    body: r.body,
    createdAt: iso(r.created_at),
  };
}
type CommentObj = ReturnType<typeof commentObj>;

/** The community whose board is read: the caller's own, or (staff, referents) the one asked for. */
async function boardCommunity(ctx: VigieContext, trx: Trx, communityId: string | undefined): Promise<string> {
  if (communityId) return (await requireCommunityReader(ctx, trx, communityId)).id;
  ctx.authorize('voisins-vigilants.community.read');
  return (await requireMember(ctx, trx)).community.id;
}

export async function visibleThread(ctx: VigieContext, trx: Trx, id: string): Promise<ThreadRow> {
  const row = (await trx('vv_threads')
    .where({ id: asId(id, 'THREAD_NOT_FOUND') })
    .whereNull('hidden_at')
    .first()) as ThreadRow | undefined;
  if (!row) throw fail('THREAD_NOT_FOUND');
  try {
    await requireCommunityReader(ctx, trx, row.community_id);
  } catch (err) {
    if ((err as { code?: string }).code === 'COMMUNITY_NOT_FOUND') throw fail('THREAD_NOT_FOUND');
    throw err;
  }
  return row;
}

const resolvers: PluginResolvers = {
  Query: {
    discussionCategories: () => Object.entries(CATEGORIES).map(([value, label]) => ({ value, label })),
    threads: (
      _r,
      a: { communityId?: string | null; category?: Category | null; limit: number; before?: string | null },
      ctx,
    ) =>
      ctx.tx(async (trx) => {
        const args = parseInput(ListArgs, { communityId: a.communityId, limit: a.limit });
        const communityId = await boardCommunity(ctx, trx, args.communityId);
        const q = trx('vv_threads')
          .where({ community_id: communityId })
          .whereNull('hidden_at')
          .orderBy('last_activity_at', 'desc')
          .limit(args.limit);
        if (a.category) q.where({ category: a.category });
        if (a.before && !Number.isNaN(Date.parse(a.before)))
          q.where('last_activity_at', '<', new Date(a.before));
        return ((await q) as ThreadRow[]).map(threadObj);
      }),
    thread: (_r, { id }: { id: string }, ctx) =>
      ctx.tx(async (trx) => {
        if (!isId(id)) return null;
        try {
          return threadObj(await visibleThread(ctx, trx, id));
        } catch (err) {
          if ((err as { code?: string }).code === 'THREAD_NOT_FOUND') return null;
          throw err;
        }
      }),
  },
  Mutation: {
    createThread: (_r, { input }: { input: unknown }, ctx) =>
      ctx.tx(async (trx) => {
        const { account, community } = await requirePoster(ctx, trx, 'voisins-vigilants.post.create');
        const i = parseInput(ThreadInput, input);
        const [row] = await trx('vv_threads')
          .insert({
            tenant_id: account.tenantId,
            community_id: community.id,
            author_id: account.accountId,
            category: i.category,
            title: i.title,
            body: i.body,
          })
          .returning('*');
        return threadObj(row as ThreadRow);
      }),
    addComment: (_r, a: { threadId: string; body: string }, ctx) =>
      ctx.tx(async (trx) => {
        const { account, community } = await requirePoster(ctx, trx, 'voisins-vigilants.post.create');
        const thread = await visibleThread(ctx, trx, a.threadId);
        if (thread.community_id !== community.id) throw fail('THREAD_NOT_FOUND');
        const body = parseInput(CommentBody, a.body);
        const [row] = await trx('vv_comments')
          .insert({
            tenant_id: account.tenantId,
            thread_id: thread.id,
            community_id: community.id,
            author_id: account.accountId,
            body,
          })
          .returning('*');
        await trx('vv_threads').where({ id: thread.id }).update({ last_activity_at: new Date() });
        if (thread.author_id !== account.accountId) {
          await notify(ctx.services, trx, {
            tenantId: account.tenantId,
            accountIds: [thread.author_id],
            kind: 'thread_comment',
            ...texts.newComment(thread.title, account.displayName),
            link: `/communaute/discussions/${thread.id}`,
          });
        }
        return commentObj(row as CommentRow);
      }),
  },
};

const loaders: PluginLoaders = {
  DiscussionThread: {
    author: neighbourLoader<ThreadObj>((t) => t.authorId),
    commentCount: async (queries: Array<{ obj: ThreadObj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('vv_comments')
          .whereIn(
            'thread_id',
            queries.map((q) => q.obj.id),
          )
          .whereNull('hidden_at')
          .groupBy('thread_id')
          .select('thread_id')
          .count('* as n')) as Array<{ thread_id: string; n: string }>;
        const by = new Map(rows.map((r) => [r.thread_id, Number(r.n)]));
        return queries.map((q) => by.get(q.obj.id) ?? 0);
      }),
    comments: async (queries: Array<{ obj: ThreadObj; params: { limit: number } }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('vv_comments')
          .whereIn(
            'thread_id',
            queries.map((q) => q.obj.id),
          )
          .whereNull('hidden_at')
          .orderBy('created_at', 'asc')) as CommentRow[];
        return queries.map((q) =>
          rows
            .filter((r) => r.thread_id === q.obj.id)
            .slice(0, Math.min(Math.max(q.params.limit, 1), 500))
            .map(commentObj),
        );
      }),
  },
  DiscussionComment: {
    author: neighbourLoader<CommentObj>((c) => c.authorId),
  },
  Community: {
    latestThreads: async (
      queries: Array<{ obj: { id: string }; params: { limit: number } }>,
      ctx: VigieContext,
    ) =>
      ctx.tx((trx) =>
        Promise.all(
          queries.map(async (q) =>
            (
              (await trx('vv_threads')
                .where({ community_id: q.obj.id })
                .whereNull('hidden_at')
                .orderBy('last_activity_at', 'desc')
                .limit(Math.min(Math.max(q.params.limit, 1), 50))) as ThreadRow[]
            ).map(threadObj),
          ),
        ),
      ),
  },
};

export const discussions: Slice = {
  name: 'discussions',
  typeDefs,
  resolvers,
  loaders,
};
