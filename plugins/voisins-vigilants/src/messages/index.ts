// Private messages, only between members of the same community. The check is
// made against live memberships when a message is sent: a neighbour who moved,
// left or was excluded can no longer be written to, and someone from another
// community or another commune never could. One refusal code for every case,
// so the answer does not reveal whether the account exists.
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
import { membershipOf, requirePoster } from '../community/membership.js';
import { neighbourLoader } from '../loaders.js';
import { isId, parseInput } from '../validate.js';
import type { Slice } from '../slice.js';

const typeDefs = /* GraphQL */ `
  type PrivateMessage {
    id: ID!
    author: Neighbour!
    recipient: Neighbour!
    body: String!
    "The caller wrote it."
    mine: Boolean!
    createdAt: String!
    readAt: String
  }

  type Conversation {
    neighbour: Neighbour!
    lastMessage: PrivateMessage!
    unread: Int!
  }

  extend type Query {
    "The caller's conversations, most recent first."
    conversations(limit: Int = 30): [Conversation!]!
    "Messages exchanged with one neighbour, newest first."
    messagesWith(
      neighbourId: ID!
      limit: Int = 50
      before: String @cursor(format: "timestamp")
    ): [PrivateMessage!]!
  }

  extend type Mutation {
    "Only to a member of the caller's own community (MESSAGE_RECIPIENT_NOT_IN_COMMUNITY otherwise)."
    sendPrivateMessage(recipientId: ID!, body: String!): PrivateMessage!
    "Marks the messages received from this neighbour read; returns how many changed."
    markConversationRead(neighbourId: ID!): Int!
  }
`;

const Body = Type.String({
  minLength: 1,
  maxLength: 2000,
  errorMessage: 'Le message doit compter de 1 à 2 000 caractères.',
});

interface MessageRow {
  id: string;
  community_id: string;
  author_id: string;
  recipient_id: string;
  body: string;
  read_at: Date | null;
  created_at: Date;
}

function messageObj(r: MessageRow, me: string) {
  return {
    id: r.id,
    authorId: r.author_id,
    recipientId: r.recipient_id,
    body: r.body,
    mine: r.author_id === me,
    createdAt: iso(r.created_at),
    readAt: iso(r.read_at),
  };
}
type MessageObj = ReturnType<typeof messageObj>;

async function send(ctx: VigieContext, trx: Trx, recipientId: string, bodyInput: unknown) {
  const { account, community } = await requirePoster(ctx, trx, 'voisins-vigilants.message.send', 'messages');
  if (recipientId === account.accountId) throw fail('MESSAGE_TO_SELF');
  const theirs = isId(recipientId) ? await membershipOf(ctx.services, trx, recipientId) : undefined;
  if (theirs?.id !== community.id) throw fail('MESSAGE_RECIPIENT_NOT_IN_COMMUNITY');
  const body = parseInput(Body, bodyInput);
  const [row] = await trx('vv_messages')
    .insert({
      tenant_id: account.tenantId,
      community_id: community.id,
      author_id: account.accountId,
      recipient_id: recipientId,
      body,
    })
    .returning('*');
  await notify(ctx.services, trx, {
    tenantId: account.tenantId,
    accountIds: [recipientId],
    kind: 'private_message',
    ...texts.received(account.displayName),
    link: `/communaute/messages/${account.accountId}`,
  });
  return messageObj(row as MessageRow, account.accountId);
}

async function conversations(ctx: VigieContext, trx: Trx, limit: number) {
  const me = ctx.requireAccount().accountId;
  const latest = await trx.raw<{ rows: Array<MessageRow & { other: string }> }>(
    `select * from (
       select distinct on (other) m.*, case when m.author_id = ? then m.recipient_id else m.author_id end as other
       from vv_messages m
       where (m.author_id = ? or m.recipient_id = ?) and m.hidden_at is null
       order by other, m.created_at desc
     ) c order by c.created_at desc limit ?`,
    [me, me, me, Math.min(Math.max(limit, 1), 100)],
  );
  const unread = (await trx('vv_messages')
    .where({ recipient_id: me })
    .whereNull('read_at')
    .whereNull('hidden_at')
    .groupBy('author_id')
    .select('author_id')
    .count('* as n')) as Array<{
    author_id: string;
    n: string;
  }>;
  const unreadBy = new Map(unread.map((u) => [u.author_id, Number(u.n)]));
  return latest.rows.map((r) => ({
    neighbourId: r.other,
    lastMessage: messageObj(r, me),
    unread: unreadBy.get(r.other) ?? 0,
  }));
}

const resolvers: PluginResolvers = {
  Query: {
    conversations: (_r, a: { limit: number }, ctx) => ctx.tx((trx) => conversations(ctx, trx, a.limit)),
    messagesWith: (_r, a: { neighbourId: string; limit: number; before?: string | null }, ctx) =>
      ctx.tx(async (trx) => {
        const me = ctx.requireAccount().accountId;
        if (!isId(a.neighbourId)) return [];
        const q = trx('vv_messages')
          .where((w) =>
            w
              .where({ author_id: me, recipient_id: a.neighbourId })
              .orWhere({ author_id: a.neighbourId, recipient_id: me }),
          )
          .whereNull('hidden_at')
          .orderBy('created_at', 'desc')
          .limit(Math.min(Math.max(a.limit, 1), 200));
        if (a.before && !Number.isNaN(Date.parse(a.before))) q.where('created_at', '<', new Date(a.before));
        return ((await q) as MessageRow[]).map((r) => messageObj(r, me));
      }),
  },
  Mutation: {
    sendPrivateMessage: (_r, a: { recipientId: string; body: string }, ctx) =>
      ctx.tx((trx) => send(ctx, trx, a.recipientId, a.body)),
    markConversationRead: (_r, a: { neighbourId: string }, ctx) =>
      ctx.tx(async (trx) => {
        const me = ctx.requireAccount().accountId;
        if (!isId(a.neighbourId)) return 0;
        return trx('vv_messages')
          .where({ recipient_id: me, author_id: a.neighbourId })
          .whereNull('read_at')
          .update({ read_at: new Date() });
      }),
  },
};

const loaders: PluginLoaders = {
  PrivateMessage: {
    author: neighbourLoader<MessageObj>((m) => m.authorId),
    recipient: neighbourLoader<MessageObj>((m) => m.recipientId),
  },
  Conversation: {
    neighbour: neighbourLoader<{ neighbourId: string }>((c) => c.neighbourId),
  },
};

export const messages: Slice = {
  name: 'messages',
  typeDefs,
  resolvers,
  loaders,
};
