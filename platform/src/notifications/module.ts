// The notifications module: channels (SMS, email, in-app, dev outbox), provider
// webhooks, opt-outs, preferences and quiet hours. It exposes, for the
// delivery layer built on top of it, `app.notifications` (the API process's
// channels and the receipt / inbound hooks) and `createChannels` (the worker's).
import fp from 'fastify-plugin';
import { notificationsErrors } from './errors.js';
import type { FastifyInstance } from 'fastify';
import type { IResolverObject } from 'mercurius';
import { defineCoreModule } from '../core/module.js';
import { createChannels } from './channels.js';
import { notificationsResolvers, notificationsTypeDefs } from './graphql.js';
import { pushResolvers, pushTypeDefs } from './push/graphql.js';
import { startInAppRelay, type Relay } from './live.js';
import { InboundRegistry, ReceiptRegistry } from './receipts.js';
import type { Channels } from './ports.js';
import { VoiceScriptRegistry } from './voice.js';
import { webhookRoutes } from './webhooks/routes.js';
import { countWebhookRefusals } from './webhooks/refusals.js';
import { purgeAcrossTenants } from '../lib/purge.js';

export interface NotificationsService {
  channels: Channels;
  /** Register with receipts.on(handler): Twilio and SES receipts, inside the webhook's tenant transaction. */
  receipts: ReceiptRegistry;
  /** Register with inbound.handle(handler): SMS texted to the commune's number. */
  inbound: InboundRegistry;
  /** Register with voiceScripts.provide(fn): what a voice call says, asked when Twilio fetches its TwiML. */
  voiceScripts: VoiceScriptRegistry;
  /** Resolves when live in-app pushes are being relayed. */
  relay: Relay;
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationsService;
  }
}

async function notifications(app: FastifyInstance): Promise<void> {
  const relay = startInAppRelay({
    db: app.db,
    publish: (topic, payload) => app.graphql.pubsub.publish({ topic, payload }),
    log: app.log,
  });
  app.addHook('onClose', async () => relay.close());
  const service: NotificationsService = {
    channels: createChannels(app.config, { db: app.db }),
    receipts: new ReceiptRegistry(),
    inbound: new InboundRegistry(),
    voiceScripts: new VoiceScriptRegistry(),
    relay,
  };
  app.decorate('notifications', service);
  // At the root (this plugin is not encapsulated): every webhook route registered after it is counted.
  countWebhookRefusals(app);
  await app.register(webhookRoutes, {
    receipts: service.receipts,
    inbound: service.inbound,
    voiceScripts: service.voiceScripts,
  });
}

export const notificationsModule = defineCoreModule({
  id: 'notifications',
  graphql: {
    typeDefs: notificationsTypeDefs + pushTypeDefs,
    resolvers: {
      ...notificationsResolvers,
      Query: {
        ...(notificationsResolvers.Query as IResolverObject),
        ...(pushResolvers.Query as IResolverObject),
      },
      Mutation: {
        ...(notificationsResolvers.Mutation as IResolverObject),
        ...(pushResolvers.Mutation as IResolverObject),
      },
    },
  },
  routes: fp(notifications, { name: 'notifications', dependencies: ['graphql'] }),
  permissions: [
    {
      name: 'notifications.outbox.read',
      description: 'Lire la boîte de développement (SMS et emails non envoyés)',
      roles: ['mairie_admin'],
    },
  ],
  errors: notificationsErrors,

  retention: [
    {
      name: 'in_app_notifications',
      // Read notifications are history the alert itself keeps; six months is enough to scroll back.
      async purge({ db }, asOf) {
        const cutoff = new Date(asOf.getTime() - 180 * 86_400_000);
        return purgeAcrossTenants(db, (trx) =>
          trx('in_app_notifications').where('created_at', '<', cutoff).delete(),
        );
      },
    },
    {
      name: 'dev_outbox',
      async purge({ db }, asOf) {
        const cutoff = new Date(asOf.getTime() - 7 * 86_400_000);
        return purgeAcrossTenants(db, (trx) => trx('dev_outbox').where('created_at', '<', cutoff).delete());
      },
    },
  ],
});
