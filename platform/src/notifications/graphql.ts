// GraphQL of the notifications module: a resident's inbox and preferences,
// the live in-app subscription, and the dev outbox for demos.
import type { IResolvers, MercuriusContext } from 'mercurius';
import { fail } from './errors.js';
import type { FastifyInstance } from 'fastify';

import { listDevOutbox } from './adapters/dev-outbox.js';
import { listInApp, markInAppRead, unreadInAppCount } from './adapters/in-app.js';
import { inAppTopic } from './live.js';
import { getPreferences, PreferencesInvalid, savePreferences, type Preferences } from './preferences.js';

export const notificationsTypeDefs = /* GraphQL */ `
  enum NotificationChannel {
    sms
    email
    "Web push, to every device the resident allowed notifications on."
    push
    "A text-to-speech call, to a landline or a mobile (the preferences' voicePhone); key 1 confirms it was heard."
    voice
    in_app
  }

  type InAppNotification {
    id: ID!
    kind: String!
    title: String!
    body: String!
    link: String
    readAt: String
    createdAt: String!
  }

  type NotificationPreferences {
    info: [NotificationChannel!]!
    important: [NotificationChannel!]!
    "Urgent alerts also always go by SMS to a verified phone."
    urgent: [NotificationChannel!]!
    quietHoursStart: String!
    quietHoursEnd: String!
    timezone: String!
    digestInfo: Boolean!
    "The number voice calls go to, E.164 (+33123456789); null: none."
    voicePhone: String
  }

  input NotificationPreferencesInput {
    info: [NotificationChannel!]!
    important: [NotificationChannel!]!
    urgent: [NotificationChannel!]!
    quietHoursStart: String!
    quietHoursEnd: String!
    timezone: String!
    digestInfo: Boolean!
    "A French landline (01–05, 09), a mobile, or E.164; required when voice is chosen; empty or null: none. Absent: kept as it is."
    voicePhone: String @length(max: 32)
  }

  "What would have been sent by SMS or email while no provider is configured."
  type DevOutboxMessage {
    id: ID!
    channel: String!
    recipient: String!
    subject: String
    body: String!
    html: String
    createdAt: String!
  }

  extend type Query {
    myNotifications(
      limit: Int = 30
      unreadOnly: Boolean = false
      before: String @cursor(format: "timestamp")
    ): [InAppNotification!]!
    myUnreadNotificationCount: Int!
    myNotificationPreferences: NotificationPreferences!
    "Outside production: anyone on the portal (the demo's mailbox). In production: staff with notifications.outbox.read."
    devOutbox(channel: NotificationChannel, recipient: String, limit: Int = 50): [DevOutboxMessage!]!
  }

  extend type Mutation {
    "Marks the given notifications read, or all of them without ids. Returns how many changed."
    markNotificationsRead(ids: [ID!]): Int!
    updateNotificationPreferences(input: NotificationPreferencesInput!): NotificationPreferences!
  }

  extend type Subscription {
    "The caller's in-app notifications, as they are stored."
    inAppNotification: InAppNotification!
  }
`;

function app(ctx: MercuriusContext): FastifyInstance {
  return ctx.app as unknown as FastifyInstance;
}

function toGraphql(p: Preferences) {
  return {
    ...p.channels,
    quietHoursStart: p.quietHoursStart,
    quietHoursEnd: p.quietHoursEnd,
    timezone: p.timezone,
    digestInfo: p.digestInfo,
    voicePhone: p.voicePhone ?? null,
  };
}

interface PreferencesInput {
  info: string[];
  important: string[];
  urgent: string[];
  quietHoursStart: string;
  quietHoursEnd: string;
  timezone: string;
  digestInfo: boolean;
  voicePhone?: string | null;
}

export const notificationsResolvers: IResolvers = {
  Query: {
    myNotifications: async (
      _r,
      args: { limit: number; unreadOnly: boolean; before?: string | null },
      ctx,
    ) => {
      const me = ctx.requireAccount();
      return ctx.tx((trx) =>
        listInApp(trx, me.accountId, {
          limit: args.limit,
          unreadOnly: args.unreadOnly,
          before: args.before ?? null,
        }),
      );
    },
    myUnreadNotificationCount: async (_r, _a, ctx) => {
      const me = ctx.requireAccount();
      return ctx.tx((trx) => unreadInAppCount(trx, me.accountId));
    },
    myNotificationPreferences: async (_r, _a, ctx) => {
      const me = ctx.requireAccount();
      return toGraphql(await ctx.tx((trx) => getPreferences(trx, me.accountId)));
    },
    devOutbox: async (
      _r,
      args: {
        channel?: 'sms' | 'email' | 'push' | 'voice' | 'in_app' | null;
        recipient?: string | null;
        limit: number;
      },
      ctx,
    ) => {
      ctx.requireTenant();
      if (app(ctx).config.env === 'production') ctx.authorize('notifications.outbox.read');
      const channel = args.channel;
      if (channel === 'in_app' || channel === 'push') return [];
      return ctx.tx((trx) =>
        listDevOutbox(trx, {
          channel: channel ?? undefined,
          recipient: args.recipient ?? undefined,
          limit: args.limit,
        }),
      );
    },
  },
  Mutation: {
    markNotificationsRead: async (_r, args: { ids?: string[] | null }, ctx) => {
      const me = ctx.requireAccount();
      return ctx.tx((trx) => markInAppRead(trx, me.accountId, args.ids ?? undefined));
    },
    updateNotificationPreferences: async (_r, args: { input: PreferencesInput }, ctx) => {
      const me = ctx.requireAccount();
      const { info, important, urgent, voicePhone, ...rest } = args.input;
      try {
        return toGraphql(
          await ctx.tx(async (trx) =>
            savePreferences(trx, me.tenantId, me.accountId, {
              ...rest,
              channels: { info, important, urgent },
              // Absent from the input (an older client): the number already given stays.
              voicePhone:
                voicePhone === undefined ? (await getPreferences(trx, me.accountId)).voicePhone : voicePhone,
            }),
          ),
        );
      } catch (err) {
        if (err instanceof PreferencesInvalid)
          throw fail('NOTIFICATION_PREFERENCES_INVALID', undefined, { problem: err.message });
        throw err;
      }
    },
  },
  Subscription: {
    inAppNotification: {
      subscribe: async (_r, _a, ctx) => {
        const me = ctx.requireAccount();
        const events = await ctx.pubsub.subscribe(inAppTopic(me.tenantId, me.accountId));
        // The relay reads from the database only what someone subscribed here will receive.
        const unwatch = (ctx.app as unknown as FastifyInstance).notifications.relay.watch(
          me.tenantId,
          me.accountId,
        );
        return untilClosed((events as AsyncIterable<unknown>)[Symbol.asyncIterator](), unwatch);
      },
    },
  },
};

/** The same events, with `onEnd` called once when the subscription ends (client stop, socket closed). */
function untilClosed<T>(source: AsyncIterator<T>, onEnd: () => void): AsyncIterableIterator<T> {
  return {
    async next() {
      const r = await source.next();
      if (r.done) onEnd();
      return r;
    },
    async return(value?: unknown) {
      onEnd();
      return source.return ? source.return(value) : { done: true, value: undefined as T };
    },
    async throw(err?: unknown) {
      onEnd();
      if (source.throw) return source.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
