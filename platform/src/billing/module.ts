// The billing module: Stripe customers and yearly subscriptions for communes
// (by population tier, invoiced with 30 days to pay as public bodies pay), the
// public price list, the signed Stripe webhook, and the state machine that
// warns, waits out a grace period, suspends and reactivates a commune.
// A core module, not a plugin: it acts outside any commune (the webhook names a
// Stripe customer), changes a commune's status (operator pool), and applies to
// every commune whatever it enabled (docs/decisions.md).
import {
  BILLING_SMS_USAGE_SCHEDULE_ID,
  BILLING_SMS_USAGE_WORKFLOW,
  BILLING_SWEEP_SCHEDULE_ID,
  BILLING_SWEEP_WORKFLOW,
} from '@vigie/workflows/contracts';
import { defineCoreModule, workflowFile } from '../core/module.js';
import { internalServices } from '../core/refs.js';
import type { ActivityFn } from '../plugins/index.js';
import { billingActivityDeps, createBillingActivities } from './activities.js';
import { billingCommand } from './cli.js';
import { createInvoiceActivities, loadIssuer } from './invoices.js';
import { createSmsMeterActivities } from './sms-meter-activities.js';
import { createDeletionActivities, deletionActivityDeps, deletionStarter } from './deletion.js';
import { billingErrors } from './errors.js';
import { loadPriceList } from './price-list.js';
import { billingRoutes, MANAGE } from './routes.js';

export const billingModule = defineCoreModule({
  id: 'billing',
  routes: billingRoutes,
  permissions: [
    {
      name: MANAGE,
      description: "Souscrire l'abonnement de la commune, l'arrêter à l'échéance, voir ses factures",
      roles: ['mairie_admin'],
    },
  ],
  errors: billingErrors,
  workflows: workflowFile('@vigie/workflows/billing-grace', import.meta.url),
  schedules: [
    {
      id: BILLING_SWEEP_SCHEDULE_ID,
      workflowType: BILLING_SWEEP_WORKFLOW,
      spec: { calendars: [{ hour: 6, minute: 40 }] },
      catchupWindow: '1 day',
    },
    {
      // SMS beyond the yearly allowance, to Stripe's meter: a missed hour is caught by the next.
      id: BILLING_SMS_USAGE_SCHEDULE_ID,
      workflowType: BILLING_SMS_USAGE_WORKFLOW,
      spec: { every: '1 hour' },
      catchupWindow: '1 hour',
    },
  ],
  activities: (deps) => {
    const operatorDb = deps.services.get(internalServices.operatorDb);
    const priceList = loadPriceList();
    return {
      ...createBillingActivities(
        billingActivityDeps(deps, operatorDb),
        priceList,
        deletionStarter(deps.services.workflows),
      ),
      ...createInvoiceActivities({ operatorDb, priceList, issuer: loadIssuer() }),
      ...createSmsMeterActivities(deps, priceList),
      ...createDeletionActivities(deletionActivityDeps(deps, operatorDb)),
    } as unknown as Record<string, ActivityFn>;
  },
  commands: { billing: billingCommand },
});
