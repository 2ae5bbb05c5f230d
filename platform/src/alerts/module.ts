// The alerts module: the alert model shared by every plugin (who raised it,
// what it targets, category, severity, status history), its delivery to
// every recipient and channel by a Temporal workflow, provider receipts,
// escalation of unacknowledged urgent alerts, and alerts raised by SMS.
//
//   alerts.ts, categories.ts   the model and its per-commune categories
//   recipients.ts              who receives an alert, on which channels, when
//   deliveries.ts              delivery rows and their guarded state machine
//   activities.ts              the workflow's steps (workflows/src/alert-delivery)
//   receipts.ts, inbound.ts    webhook hooks registered with notifications
//   graphql.ts                 raise, triage, lists, report, subscriptions
//   photos.ts, routes.ts       alert photos: upload (metadata stripped), attach, short-lived links
//   worker.ts                  the SMS and email send queues and their rate limits
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { defineCoreModule } from '../core/module.js';
import { createChannels } from '../notifications/channels.js';
import { purgeAcrossTenants } from '../identity/module.js';
import { createAlertActivities } from './activities.js';
import type { Alert } from './alerts.js';
import {
  alertsLoaders,
  alertsResolvers,
  alertsTypeDefs,
  ALERT_MUTATIONS_WHEN_SUSPENDED,
  publishable,
  raisedTopic,
  statusTopic,
} from './graphql.js';
import { inboundSmsHandler } from './inbound.js';
import { alertReceiptHandler } from './receipts.js';
import { signalAcknowledged, startAlertDelivery, type TenantRef } from './starter.js';
import type { ActivityFn } from '../plugins/contract.js';
import { attachAlertsRuntime } from '../plugins/services.js';
import { createFileStore } from '../files/index.js';
import { alertsErrors } from './errors.js';
import { photoStoreFor, purgeUnattachedPhotos, registerPhotoStore } from './photos.js';
import { alertPhotoRoutes } from './routes.js';
import { purgeClosedAlerts } from './retention.js';

export interface AlertsService {
  /** After an alert's transaction committed: start its delivery and tell the staff consoles. */
  raised(tenant: TenantRef, alert: Alert): Promise<void>;
  /** After the police acknowledged an alert: cancel its escalation timer. */
  acknowledged(tenant: TenantRef, alertId: string): Promise<void>;
  /** After a status change: tell the author (and the staff consoles). */
  publishStatus(tenantId: string, alert: Alert): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertsService;
  }
}

async function alerts(app: FastifyInstance): Promise<void> {
  const publish = (topic: string, payload: Record<string, unknown>) => {
    void app.graphql.pubsub.publish({ topic, payload });
  };
  const service: AlertsService = {
    async raised(tenant, alert) {
      await startAlertDelivery(app.temporal, tenant, alert.id, app.log);
      publish(raisedTopic(tenant.id), { alertRaised: publishable(alert) });
    },
    acknowledged: (tenant, alertId) => signalAcknowledged(app.temporal, tenant, alertId, app.log),
    publishStatus(tenantId, alert) {
      const payload = { alertStatusChanged: publishable(alert) };
      publish(statusTopic(tenantId, null), payload);
      if (alert.authorAccountId) publish(statusTopic(tenantId, alert.authorAccountId), payload);
    },
  };
  app.decorate('alerts', service);
  // Alerts that plugins raise (services.alerts.raise) go the same way as the core's.
  attachAlertsRuntime(app.services, { raised: (tenant, alert) => service.raised(tenant, alert) });
  app.notifications.receipts.on(alertReceiptHandler({ temporal: () => app.temporal, log: app.log }));
  app.notifications.inbound.handle(
    inboundSmsHandler({
      db: app.db,
      config: app.config,
      log: app.log,
      onAlert: (tenant, alert) => service.raised(tenant, alert),
    }),
  );
  await app.register(alertPhotoRoutes);
}

export const alertsModule = defineCoreModule({
  id: 'alerts',
  graphql: {
    typeDefs: alertsTypeDefs,
    resolvers: alertsResolvers,
    loaders: alertsLoaders,
    allowWhenSuspended: ALERT_MUTATIONS_WHEN_SUSPENDED,
  },
  routes: fp(alerts, { name: 'alerts', dependencies: ['notifications', 'graphql', 'residents'] }),
  permissions: [
    {
      name: 'alerts.alert.raise_own_community',
      description: 'Donner l’alerte dans sa propre communauté',
      roles: ['resident', 'referent'],
    },
    {
      name: 'alerts.alert.raise_any',
      description: 'Alerter un ou plusieurs secteurs, ou toute la commune',
      roles: ['police_agent', 'police_chief', 'mairie_admin'],
    },
    {
      name: 'alerts.alert.read_all',
      description: 'Voir toutes les alertes de la commune, en direct',
      roles: ['police_agent', 'police_chief', 'mairie_admin'],
    },
    {
      name: 'alerts.alert.triage',
      description: 'Prendre en charge, suivre et clôturer les alertes',
      roles: ['police_agent', 'police_chief'],
    },
    {
      name: 'alerts.delivery.read',
      description: 'Voir le rapport de diffusion de chaque alerte (par destinataire et canal)',
      roles: ['police_agent', 'police_chief', 'mairie_admin'],
    },
  ],
  activities: (deps) => {
    registerPhotoStore(deps.db, { files: createFileStore(deps.config.files), secret: deps.config.secret });
    return createAlertActivities({
      db: deps.db,
      config: deps.config,
      log: deps.log,
      channels: createChannels(deps.config, { db: deps.db, timeoutMs: 10_000 }),
    }) as unknown as Record<string, ActivityFn>;
  },
  errors: alertsErrors,
  retention: [
    {
      name: 'inbound_sms',
      // Replay protection needs days, not months; the alert itself keeps what matters.
      async purge(db, asOf) {
        const cutoff = new Date(asOf.getTime() - 30 * 86_400_000);
        return purgeAcrossTenants(db, (trx) => trx('inbound_sms').where('created_at', '<', cutoff).delete());
      },
    },
    {
      name: 'alerts.closed',
      purge: purgeClosedAlerts,
    },
    {
      name: 'alert_photos',
      // Photos uploaded but never attached to an alert: kept a day, bytes included.
      purge: (db, asOf) => purgeUnattachedPhotos(db, photoStoreFor(db), asOf),
    },
  ],
});
