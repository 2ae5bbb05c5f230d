import { condition, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import {
  EVENT_CHANGED_SIGNAL,
  type EventReminderActivities,
  type EventReminderInput,
  type EventReminderResult,
} from './contract.js';

const { voisinsVigilantsPlanEventReminder, voisinsVigilantsSendEventReminder } =
  proxyActivities<EventReminderActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });

export const eventChanged = defineSignal(EVENT_CHANGED_SIGNAL);

/** The event row may not be visible for an instant: the workflow starts in the transaction that creates it. */
const NOT_FOUND_RETRIES = 3;

export async function eventReminder(input: EventReminderInput): Promise<EventReminderResult> {
  let changed = false;
  setHandler(eventChanged, () => {
    changed = true;
  });
  let missing = 0;
  for (;;) {
    changed = false;
    const plan = await voisinsVigilantsPlanEventReminder(input);
    if (plan.action === 'stop') {
      if (plan.reason === 'not_found' && ++missing <= NOT_FOUND_RETRIES) {
        await sleep('2 seconds');
        continue;
      }
      return { outcome: plan.reason, recipients: 0 };
    }
    if (plan.action === 'wait') {
      const ms = Date.parse(plan.remindAt) - Date.now();
      // Woken early by a date change or a cancellation; otherwise plans again at the due time.
      if (ms > 0) await condition(() => changed, ms);
      continue;
    }
    const { recipients } = await voisinsVigilantsSendEventReminder(input);
    return { outcome: 'sent', recipients };
  }
}
