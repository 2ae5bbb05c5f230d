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
//   voice.ts                   what an alert's voice call says (asked by the TwiML webhook)
//   graphql.ts                 raise, triage, lists, report, subscriptions
//   follow-ups.ts              « suite » and « fin d'alerte », delivered to the first alert's recipients
//   delivery-export.ts         the delivery report as CSV (GET /alerts/:alertId/deliveries.csv)
//   photos.ts, routes.ts       alert photos: upload (metadata stripped), attach, short-lived links
//   events.ts                  what follows an alert's commit (delivery, live consoles), per instance
//   rates.ts                   the providers' default send rates (the module's task queues below)
import fp from 'fastify-plugin';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ALERT_HOUSEKEEPING_SCHEDULE_ID, ALERT_HOUSEKEEPING_WORKFLOW } from '@vigie/workflows/contracts';
import type { Temporal } from '../temporal/index.js';
import { defineCoreModule, workflowFile } from '../core/module.js';
import { createChannels } from '../notifications/index.js';
import { purgeAcrossTenants } from '../lib/purge.js';
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
import { alertBulkReceiptHandler, alertReceiptHandler } from './receipts.js';
import { alertVoiceScripts } from './voice.js';
import { signalAcknowledged, startAlertDelivery, type TenantRef } from './starter.js';
import type { ActivityFn } from '../plugins/index.js';
import { coreExtensions, coreServices } from '../core/refs.js';
import { alertsStatistics } from './statistics.js';
import { alertsErrors } from './errors.js';
import { alertsServices, createAlertEvents } from './events.js';
import { purgeUnattachedPhotos } from './photos.js';
import { alertPhotoRoutes } from './routes.js';
import { deliveryExportRoutes } from './delivery-export.js';
import { purgeClosedAlerts } from './retention.js';
import { DEFAULT_SEND_RATES } from './rates.js';

export interface AlertsService {
  /** After an alert's transaction committed: start its delivery and tell the staff consoles. */
  raised(tenant: TenantRef, alert: Alert): Promise<void>;
  /** After the police acknowledged an alert: cancel its escalation timer. */
  acknowledged(tenant: TenantRef, alertId: string): Promise<void>;
  /** After a status change: tell the author (and the staff consoles). */
  publishStatus(tenantId: string, alert: Alert): void;
  /**
   * After a follow-up's transaction committed: start its delivery (the first
   * alert's recipients), and tell whoever follows the first alert live.
   * Not announced as a new alert: the consoles show it with the first one.
   */
  followedUp(tenant: TenantRef, followUp: Alert, first: Alert): Promise<void>;
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
  const events = app.vigie.get(alertsServices.events);
  // Every alert this instance raises (a resident, an SMS, a plugin) reaches the staff consoles live.
  const off = events.onRaised((tenant, alert) =>
    publish(raisedTopic(tenant.id), { alertRaised: publishable(alert) }),
  );
  app.addHook('onClose', async () => void off());
  const service: AlertsService = {
    raised: (tenant, alert) => events.raised(tenant, alert),
    acknowledged: (tenant, alertId) => signalAcknowledged(app.temporal, tenant, alertId, app.log),
    publishStatus(tenantId, alert) {
      const payload = { alertStatusChanged: publishable(alert) };
      publish(statusTopic(tenantId, null), payload);
      if (alert.authorAccountId) publish(statusTopic(tenantId, alert.authorAccountId), payload);
    },
    async followedUp(tenant, followUp, first) {
      await startAlertDelivery(app.temporal, tenant, followUp.id, app.log);
      service.publishStatus(tenant.id, first);
    },
  };
  app.decorate('alerts', service);
  const onReceipt = alertReceiptHandler({
    temporal: () => app.temporal,
    log: app.log,
    metrics: app.vigie.metrics,
  });
  app.notifications.receipts.on(
    onReceipt,
    alertBulkReceiptHandler(onReceipt, { metrics: app.vigie.metrics }),
  );
  app.notifications.voiceScripts.provide(alertVoiceScripts(app.config));
  app.notifications.inbound.handle(
    inboundSmsHandler({
      db: app.db,
      config: app.config,
      log: app.log,
      onAlert: (tenant, alert) => service.raised(tenant, alert),
      replies: () => app.services.get(coreExtensions.smsReplies).handlers(),
    }),
  );
  await app.register(alertPhotoRoutes);
  await app.register(deliveryExportRoutes);
}

export const alertsModule = defineCoreModule({
  id: 'alerts',
  register(env) {
    let temporal: Temporal | undefined;
    let log: FastifyBaseLogger | undefined;
    env.provide(alertsServices.events, createAlertEvents({ temporal: () => temporal, log: () => log! }));
    env.registerInit({
      deps: { log: coreServices.log, temporal: coreServices.temporal, statistics: coreExtensions.statistics },
      init(d) {
        log = d.log;
        temporal = d.temporal;
        // Alerts, delivery and participation figures for the statistics console and the annual report.
        d.statistics.contribute(alertsStatistics);
      },
    });
  },
  workflows: workflowFile('@vigie/workflows/alert-delivery', import.meta.url),
  // Each provider gets its own queue and rate limit, enforced by the Temporal server across workers.
  taskQueues: [
    // Twilio: a Messaging Service sends about 10 segments per second per sender in France.
    { name: 'sms', perSecond: DEFAULT_SEND_RATES.smsPerSecond, concurrency: DEFAULT_SEND_RATES.concurrency },
    // Amazon SES: the account's sending rate (14/s out of the sandbox at first).
    {
      name: 'email',
      perSecond: DEFAULT_SEND_RATES.emailPerSecond,
      concurrency: DEFAULT_SEND_RATES.concurrency,
    },
    // Web push: the push services take far more; this keeps a city-wide alert from flooding one.
    {
      name: 'push',
      perSecond: DEFAULT_SEND_RATES.pushPerSecond,
      concurrency: DEFAULT_SEND_RATES.concurrency,
    },
    // Twilio Programmable Voice: an account starts 1 call per second unless raised (CPS).
    {
      name: 'voice',
      perSecond: DEFAULT_SEND_RATES.voicePerSecond,
      concurrency: DEFAULT_SEND_RATES.concurrency,
    },
  ],
  // Every five minutes: restart lost delivery starts, send due daily digests.
  schedules: [
    {
      id: ALERT_HOUSEKEEPING_SCHEDULE_ID,
      workflowType: ALERT_HOUSEKEEPING_WORKFLOW,
      spec: { every: '5 minutes' },
      catchupWindow: '1 hour',
    },
  ],
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
      name: 'alerts.on_duty.set',
      description: 'Choisir le policier de permanence, à qui vont les alertes urgentes non prises en charge',
      roles: ['police_chief', 'mairie_admin'],
    },
    {
      name: 'alerts.alert.triage',
      description: 'Prendre en charge, suivre et clôturer les alertes',
      roles: ['police_agent', 'police_chief'],
    },
    {
      name: 'alerts.alert.follow_up',
      description: 'Donner la suite et la fin d’une alerte que l’on a donnée (aux mêmes destinataires)',
      roles: ['police_agent', 'police_chief', 'mairie_admin'],
    },
    {
      name: 'alerts.delivery.read',
      description: 'Voir le rapport de diffusion de chaque alerte (par destinataire et canal)',
      roles: ['police_agent', 'police_chief', 'mairie_admin'],
    },
  ],
  activities: (deps) => {
    return createAlertActivities({
      db: deps.db,
      config: deps.config,
      log: deps.log,
      channels: createChannels(deps.config, { db: deps.db, timeoutMs: 10_000 }),
      metrics: deps.services.get(coreServices.metrics),
    }) as unknown as Record<string, ActivityFn>;
  },
  errors: alertsErrors,
  retention: [
    {
      name: 'inbound_sms',
      // Replay protection needs days, not months; the alert itself keeps what matters.
      async purge({ db }, asOf) {
        const cutoff = new Date(asOf.getTime() - 30 * 86_400_000);
        return purgeAcrossTenants(db, (trx) => trx('inbound_sms').where('created_at', '<', cutoff).delete());
      },
    },
    {
      name: 'alerts.closed',
      purge: ({ db }, asOf) => purgeClosedAlerts(db, asOf),
    },
    {
      name: 'alert_photos',
      // Photos uploaded but never attached to an alert: kept a day, bytes included.
      purge: ({ db, files }, asOf) => purgeUnattachedPhotos(db, files, asOf),
    },
  ],
});
