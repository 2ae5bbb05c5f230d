// Moderation: members report, referents of the community hide (or restore)
// with a reason, every decision is logged for the mairie (moderation log) and
// in the core audit log, and the author is told.
import { Type } from '@sinclair/typebox';
import { fail } from '../errors.js';
import {
  type PluginLoaders,
  type PluginResolvers,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { iso, notify, record } from '../context.js';
import { requireMember } from '../community/membership.js';
import { communitySummaryLoader, neighbourLoader } from '../loaders.js';
import { asId, parseInput } from '../validate.js';
import type { Slice } from '../slice.js';
import { excerpts, findContent, setHidden, type Content, type ContentType } from './content.js';
import { notices, REPORT_REASONS, type ReportReason } from './texts.js';

const typeDefs = /* GraphQL */ `
  enum ModeratedContent {
    thread
    comment
    event
    message
  }

  enum ReportReason {
    harassment
    accusation
    personal_data
    discrimination
    spam
    off_topic
    other
  }

  type ReportReasonInfo {
    value: ReportReason!
    label: String!
  }

  type ContentReport {
    id: ID!
    contentType: ModeratedContent!
    contentId: ID!
    reason: ReportReason!
    "open, actioned (content hidden) or dismissed"
    status: String!
    createdAt: String!
  }

  "Reported content awaiting a referent's decision."
  type ModerationItem {
    contentType: ModeratedContent!
    contentId: ID!
    excerpt: String!
    author: Neighbour!
    reportCount: Int!
    reasons: [ReportReason!]!
    details: [String!]!
    firstReportedAt: String!
  }

  type ModerationLogEntry {
    id: ID!
    at: String!
    community: CommunitySummary!
    "The referent who decided."
    actor: Neighbour!
    "hide, restore or dismiss"
    action: String!
    contentType: ModeratedContent!
    contentId: ID!
    excerpt: String
    reason: String!
  }

  input ReportInput {
    contentType: ModeratedContent!
    contentId: ID!
    reason: ReportReason!
    details: String
  }

  extend type Query {
    reportReasons: [ReportReasonInfo!]!
    "Referents: reported content of their community."
    moderationQueue(communityId: ID!): [ModerationItem!]!
    "Mairie: every moderation decision, newest first (optionally for one community)."
    moderationLog(
      communityId: ID
      limit: Int = 50
      before: String @cursor(format: "timestamp")
    ): [ModerationLogEntry!]!
  }

  extend type Mutation {
    reportContent(input: ReportInput!): ContentReport!
    "Referents of the content's community: hides it, with a reason (logged, the author is told)."
    hideContent(contentType: ModeratedContent!, contentId: ID!, reason: String!): ModerationLogEntry!
    restoreContent(contentType: ModeratedContent!, contentId: ID!, reason: String!): ModerationLogEntry!
    "Referents: closes the open reports of a content left visible."
    dismissReports(contentType: ModeratedContent!, contentId: ID!, reason: String!): ModerationLogEntry!
  }
`;

const ReportInput = Type.Object({
  contentType: Type.String(),
  contentId: Type.String(),
  reason: Type.Union(Object.keys(REPORT_REASONS).map((r) => Type.Literal(r))),
  details: Type.Optional(
    Type.String({
      maxLength: 1000,
      errorMessage: 'Les précisions ne doivent pas dépasser 1 000 caractères.',
    }),
  ),
});
const Reason = Type.String({
  minLength: 3,
  maxLength: 1000,
  errorMessage: 'Indiquez un motif (3 à 1 000 caractères).',
});

interface LogRow {
  id: string;
  community_id: string;
  actor_id: string;
  action: 'hide' | 'restore' | 'dismiss';
  content_type: ContentType;
  content_id: string;
  reason: string;
  created_at: Date;
}

function logObj(r: LogRow) {
  return {
    id: r.id,
    at: iso(r.created_at),
    communityId: r.community_id,
    actorId: r.actor_id,
    action: r.action,
    contentType: r.content_type,
    contentId: r.content_id,
    reason: r.reason,
  };
}
type LogObj = ReturnType<typeof logObj>;

/** A member may report what they can see: content of their community, or a message written to them. */
async function report(ctx: VigieContext, trx: Trx, input: unknown) {
  const i = parseInput(ReportInput, input);
  const { account, community } = await requireMember(ctx, trx);
  ctx.authorize('voisins-vigilants.content.report', { communityId: community.id });
  const content = await findContent(trx, i.contentType as ContentType, i.contentId);
  const visible =
    content.type === 'message'
      ? content.recipientId === account.accountId
      : content.communityId === community.id;
  if (!visible || content.hiddenAt) throw fail('CONTENT_NOT_FOUND');
  if (content.authorId === account.accountId) throw fail('CANNOT_REPORT_OWN_CONTENT');
  const [row] = await trx('vv_reports')
    .insert({
      tenant_id: account.tenantId,
      community_id: content.communityId,
      content_type: content.type,
      content_id: content.id,
      reporter_id: account.accountId,
      reason: i.reason,
      details: i.details ?? null,
    })
    .onConflict(['tenant_id', 'reporter_id', 'content_type', 'content_id'])
    .ignore()
    .returning('*');
  if (!row) throw fail('ALREADY_REPORTED');
  await record(ctx, trx, {
    action: 'content.reported',
    communityId: content.communityId,
    target: { type: content.type, id: content.id },
    meta: { reason: i.reason },
  });
  await notify(ctx.services, trx, {
    tenantId: account.tenantId,
    accountIds: await ctx.services.roles.holders(trx, 'referent', content.communityId),
    kind: 'content_reported',
    ...notices.reported(i.reason as ReportReason),
    link: `/communaute/${content.communityId}/moderation`,
    // One notification per content, however many members report it.
    dedupeKey: `voisins-vigilants.report:${content.type}:${content.id}`,
  });
  return {
    id: row.id,
    contentType: row.content_type,
    contentId: row.content_id,
    reason: row.reason,
    status: row.status,
    createdAt: iso(row.created_at),
  };
}

/** A referent's decision on one content: hide, restore or dismiss its reports. */
async function decide(
  ctx: VigieContext,
  trx: Trx,
  action: 'hide' | 'restore' | 'dismiss',
  type: ContentType,
  id: string,
  reasonInput: unknown,
) {
  const referent = ctx.requireAccount();
  const content: Content = await findContent(trx, type, id, true);
  ctx.authorize('voisins-vigilants.content.hide', { communityId: content.communityId });
  const reason = parseInput(Reason, reasonInput);
  if (action === 'hide' && content.hiddenAt) throw fail('CONTENT_ALREADY_HIDDEN');
  if (action === 'restore' && !content.hiddenAt) throw fail('CONTENT_NOT_HIDDEN');
  if (action !== 'dismiss')
    await setHidden(trx, content, action === 'hide' ? { by: referent.accountId, reason } : null);
  if (action !== 'restore') {
    await trx('vv_reports')
      .where({ content_type: type, content_id: content.id, status: 'open' })
      .update({
        status: action === 'hide' ? 'actioned' : 'dismissed',
        resolved_by: referent.accountId,
        resolved_at: new Date(),
        updated_at: new Date(),
      });
  }
  const [row] = await trx('vv_moderation_log')
    .insert({
      tenant_id: referent.tenantId,
      community_id: content.communityId,
      actor_id: referent.accountId,
      action,
      content_type: type,
      content_id: content.id,
      author_id: content.authorId,
      reason,
    })
    .returning('*');
  await record(ctx, trx, {
    action: `content.${action === 'dismiss' ? 'reports_dismissed' : action === 'hide' ? 'hidden' : 'restored'}`,
    communityId: content.communityId,
    target: { type, id: content.id },
    meta: { reason },
    asReferent: true,
  });
  if (action !== 'dismiss') {
    await notify(ctx.services, trx, {
      tenantId: referent.tenantId,
      accountIds: [content.authorId],
      kind: `content_${action === 'hide' ? 'hidden' : 'restored'}`,
      ...notices.authorNotice(action, reason),
      link: null,
    });
  }
  return logObj(row as LogRow);
}

async function queue(ctx: VigieContext, trx: Trx, communityId: string) {
  ctx.authorize('voisins-vigilants.report.review', { communityId });
  const rows = (await trx('vv_reports')
    .where({ community_id: communityId, status: 'open' })
    .orderBy('created_at', 'asc')
    .limit(500)) as Array<{
    content_type: ContentType;
    content_id: string;
    reason: ReportReason;
    details: string | null;
    created_at: Date;
  }>;
  const items = new Map<
    string,
    {
      contentType: ContentType;
      contentId: string;
      reasons: Set<ReportReason>;
      details: string[];
      count: number;
      first: Date;
    }
  >();
  for (const r of rows) {
    const key = `${r.content_type}:${r.content_id}`;
    const item = items.get(key) ?? {
      contentType: r.content_type,
      contentId: r.content_id,
      reasons: new Set(),
      details: [],
      count: 0,
      first: r.created_at,
    };
    item.reasons.add(r.reason);
    if (r.details) item.details.push(r.details);
    item.count++;
    items.set(key, item);
  }
  const texts = await excerpts(
    trx,
    [...items.values()].map((i) => ({ type: i.contentType, id: i.contentId })),
  );
  return [...items].flatMap(([key, i]) => {
    const content = texts.get(key);
    if (!content) return [];
    return [
      {
        contentType: i.contentType,
        contentId: i.contentId,
        authorId: content.authorId,
        excerpt: content.excerpt,
        reportCount: i.count,
        reasons: [...i.reasons],
        details: i.details,
        firstReportedAt: iso(i.first),
      },
    ];
  });
}

const resolvers: PluginResolvers = {
  Query: {
    reportReasons: () => Object.entries(REPORT_REASONS).map(([value, label]) => ({ value, label })),
    moderationQueue: (_r, a: { communityId: string }, ctx) =>
      ctx.tx((trx) => queue(ctx, trx, asId(a.communityId, 'COMMUNITY_NOT_FOUND'))),
    moderationLog: (_r, a: { communityId?: string | null; limit: number; before?: string | null }, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize('voisins-vigilants.moderation.read_log');
        const q = trx('vv_moderation_log')
          .orderBy('created_at', 'desc')
          .limit(Math.min(Math.max(a.limit, 1), 200));
        if (a.communityId) q.where({ community_id: asId(a.communityId, 'COMMUNITY_NOT_FOUND') });
        if (a.before && !Number.isNaN(Date.parse(a.before))) q.where('created_at', '<', new Date(a.before));
        return ((await q) as LogRow[]).map(logObj);
      }),
  },
  Mutation: {
    reportContent: (_r, { input }: { input: unknown }, ctx) => ctx.tx((trx) => report(ctx, trx, input)),
    hideContent: (_r, a: { contentType: ContentType; contentId: string; reason: string }, ctx) =>
      ctx.tx((trx) => decide(ctx, trx, 'hide', a.contentType, a.contentId, a.reason)),
    restoreContent: (_r, a: { contentType: ContentType; contentId: string; reason: string }, ctx) =>
      ctx.tx((trx) => decide(ctx, trx, 'restore', a.contentType, a.contentId, a.reason)),
    dismissReports: (_r, a: { contentType: ContentType; contentId: string; reason: string }, ctx) =>
      ctx.tx((trx) => decide(ctx, trx, 'dismiss', a.contentType, a.contentId, a.reason)),
  },
};

const loaders: PluginLoaders = {
  ModerationItem: {
    author: neighbourLoader<{ authorId: string }>((i) => i.authorId),
  },
  ModerationLogEntry: {
    actor: neighbourLoader<LogObj>((e) => e.actorId),
    community: communitySummaryLoader<LogObj>((e) => e.communityId),
    excerpt: async (queries: Array<{ obj: LogObj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const texts = await excerpts(
          trx,
          queries.map((q) => ({ type: q.obj.contentType, id: q.obj.contentId })),
        );
        return queries.map((q) => texts.get(`${q.obj.contentType}:${q.obj.contentId}`)?.excerpt ?? null);
      }),
  },
};

export const moderation: Slice = {
  name: 'moderation',
  typeDefs,
  resolvers,
  loaders,
};
