// GraphQL of web push: the key a browser subscribes with, and the signed-in
// account's devices.
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { FastifyInstance } from 'fastify';
import { fail } from '../errors.js';
import {
  listPushSubscriptions,
  PushSubscriptionInvalid,
  removePushSubscription,
  savePushSubscription,
  validatePushSubscription,
  type PushSubscriptionRow,
} from './subscriptions.js';

export const pushTypeDefs = /* GraphQL */ `
  "A device on which the signed-in account allowed notifications."
  type PushSubscription {
    id: ID!
    endpoint: String!
    label: String
    createdAt: String!
    "The last time the push service accepted a notification for it."
    lastSuccessAt: String
  }

  input PushKeysInput {
    "The browser's P-256 public key, base64url (getKey('p256dh'))."
    p256dh: String!
    "The 16-byte auth secret, base64url (getKey('auth'))."
    auth: String!
  }

  input PushSubscriptionInput {
    endpoint: String!
    keys: PushKeysInput!
    "What the resident calls this device."
    label: String
  }

  extend type Query {
    "The VAPID public key (base64url) for PushManager.subscribe({ applicationServerKey }); null when web push is off."
    vapidPublicKey: String
    myPushSubscriptions: [PushSubscription!]!
  }

  extend type Mutation {
    "Registers this browser's subscription for the signed-in account (again: its keys and label are updated)."
    subscribePush(input: PushSubscriptionInput!): PushSubscription!
    "Forgets one of the signed-in account's devices. False when it was not theirs or not known."
    unsubscribePush(endpoint: String!): Boolean!
  }
`;

function app(ctx: MercuriusContext): FastifyInstance {
  return ctx.app as unknown as FastifyInstance;
}

function toGraphql(r: PushSubscriptionRow) {
  return {
    id: r.id,
    endpoint: r.endpoint,
    label: r.label,
    createdAt: r.created_at.toISOString(),
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
  };
}

export const pushResolvers: IResolvers = {
  Query: {
    vapidPublicKey: (_r, _a, ctx) => {
      ctx.requireTenant();
      return app(ctx).notifications.channels.push.publicKey;
    },
    myPushSubscriptions: async (_r, _a, ctx) => {
      const me = ctx.requireAccount();
      return (await ctx.tx((trx) => listPushSubscriptions(trx, me.accountId))).map(toGraphql);
    },
  },
  Mutation: {
    subscribePush: async (_r, args: { input: unknown }, ctx) => {
      const me = ctx.requireAccount();
      const a = app(ctx);
      if (a.notifications.channels.push.publicKey === null) throw fail('PUSH_NOT_CONFIGURED');
      let input;
      try {
        input = validatePushSubscription(args.input, a.config.env);
      } catch (err) {
        if (err instanceof PushSubscriptionInvalid)
          throw fail('PUSH_SUBSCRIPTION_INVALID', undefined, {
            field: err.field,
            problem: err.message,
          });
        throw err;
      }
      const ua = ctx.reply.request.headers['user-agent'] ?? null;
      const row = await ctx.tx((trx) => savePushSubscription(trx, me.tenantId, me.accountId, input, ua));
      return toGraphql(row);
    },
    unsubscribePush: async (_r, args: { endpoint: string }, ctx) => {
      const me = ctx.requireAccount();
      return ctx.tx((trx) => removePushSubscription(trx, me.accountId, args.endpoint));
    },
  },
};
