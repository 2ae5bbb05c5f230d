// What happens once an alert's transaction has committed, whoever raised it
// (a resident on the portal, an SMS, a plugin through services.alerts.raise):
// its delivery starts, and the listeners of this instance hear of it (the API
// tells the staff consoles live). One per instance, provided by the alerts module.
import type { FastifyBaseLogger } from 'fastify';
import { createServiceRef } from '../core/lifecycle.js';
import type { Temporal } from '../temporal/index.js';
import type { Alert } from './alerts.js';
import { startAlertDelivery, type TenantRef } from './starter.js';

export type AlertRaisedListener = (tenant: TenantRef, alert: Alert) => void;

export interface AlertEvents {
  /** After the alert's transaction committed: start its delivery, then tell the listeners. */
  raised(tenant: TenantRef, alert: Alert): Promise<void>;
  /** Adds a listener; returns the function that removes it. */
  onRaised(listener: AlertRaisedListener): () => void;
}

export const alertsServices = {
  events: createServiceRef<AlertEvents>('alerts.events'),
};

export function createAlertEvents(deps: {
  temporal: () => Temporal | undefined;
  log: () => FastifyBaseLogger;
}): AlertEvents {
  const listeners = new Set<AlertRaisedListener>();
  return {
    async raised(tenant, alert) {
      await startAlertDelivery(deps.temporal(), tenant, alert.id, deps.log());
      for (const l of listeners) l(tenant, alert);
    },
    onRaised(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
