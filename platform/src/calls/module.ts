// Calls to numbers that are not accounts (services.phoneCalls), by voice or
// by SMS: the phone-call workflow and its activities, Twilio's signed
// webhooks for those calls, the replies to the texts, the sweep that starts a
// call whose start was lost, and the retention of the rows (30 days after the
// call was settled).
//   place.ts       the request, checked and recorded in the asker's transaction
//   activities.ts  the steps of a call: place, follow, call again, settle and tell the handler
//   webhooks.ts    TwiML, key pressed, status: signed, written on the row once, the workflow woken
//   twiml.ts       what a call says
//   replies.ts     the reply to a call by SMS (coreExtensions.smsReplies): OUI is the 1
import { PHONE_CALL_SWEEP_SCHEDULE_ID, PHONE_CALL_SWEEP_WORKFLOW } from '@vigie/workflows/contracts';
import { defineCoreModule, workflowFile } from '../core/module.js';
import { coreExtensions, coreServices } from '../core/refs.js';
import type { ActivityFn } from '../plugins/index.js';
import { createChannels } from '../notifications/index.js';
import { purgeAcrossTenants } from '../lib/purge.js';
import { createPhoneCallActivities } from './activities.js';
import { callsErrors } from './errors.js';
import { callWebhookRoutes } from './webhooks.js';
import { phoneCallReplies } from './replies.js';

const RETENTION_DAYS = 30;

export const callsModule = defineCoreModule({
  id: 'calls',
  register(env) {
    env.registerInit({
      deps: {
        smsReplies: coreExtensions.smsReplies,
        platform: coreServices.platform,
        temporal: coreServices.temporal,
      },
      init({ smsReplies, platform, temporal }) {
        // The reply to a call by SMS, from a number that is no account.
        smsReplies.contribute(phoneCallReplies({ open: platform.secrets.open, temporal: () => temporal }));
      },
    });
  },
  workflows: workflowFile('@vigie/workflows/phone-call', import.meta.url),
  schedules: [
    {
      id: PHONE_CALL_SWEEP_SCHEDULE_ID,
      workflowType: PHONE_CALL_SWEEP_WORKFLOW,
      spec: { every: '5 minutes' },
      catchupWindow: '10 minutes',
    },
  ],
  routes: callWebhookRoutes,
  errors: callsErrors,
  activities: (deps) =>
    createPhoneCallActivities({
      db: deps.db,
      config: deps.config,
      log: deps.log,
      channels: createChannels(deps.config, { db: deps.db, timeoutMs: 15_000 }),
      open: deps.services.secrets.open,
      handlers: () => deps.services.get(coreExtensions.phoneCalls),
      temporal: () => {
        const t = deps.services.get(coreServices.temporal);
        if (!t) throw new Error('Phone calls need Temporal');
        return t;
      },
    }) as unknown as Record<string, ActivityFn>,
  retention: [
    {
      name: 'phone_calls',
      // Settled calls are the asker's history now (its own tables keep what it needs).
      async purge({ db }, asOf) {
        const cutoff = new Date(asOf.getTime() - RETENTION_DAYS * 86_400_000);
        return purgeAcrossTenants(db, (trx) =>
          trx('phone_calls').where('status', 'done').where('settled_at', '<', cutoff).delete(),
        );
      },
    },
  ],
});
