import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  PHONE_CALL_CHANGED_SIGNAL,
  type PhoneCallActivities,
  type PhoneCallInput,
  type PhoneCallResult,
} from './contract.js';

const acts = proxyActivities<PhoneCallActivities>({
  // Above the SDK's 15 s request timeout, so that two attempts of one step never overlap.
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const phoneCallChanged = defineSignal(PHONE_CALL_CHANGED_SIGNAL);

/** A call lasts minutes, a wait for calling hours a night, retries a few: far below this. */
const MAX_STEPS = 500;

/**
 * One call to a number, from the request to the outcome handed back: each
 * step reads the row and does what is due; between steps the workflow sleeps
 * until the step's deadline or a webhook's wake-up, whichever comes first.
 */
export async function phoneCall(input: PhoneCallInput): Promise<PhoneCallResult> {
  let woken = false;
  setHandler(phoneCallChanged, () => {
    woken = true;
  });
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    woken = false;
    const s = await acts.phoneCallStep(input);
    if (s.done) return { outcome: s.outcome, steps };
    await condition(() => woken, Math.max(s.waitMs, 200));
  }
  return { outcome: null, steps: MAX_STEPS };
}

/** Every few minutes: a call whose workflow never started (Temporal down at the commit) is started. */
export async function phoneCallSweep(): Promise<{ restarted: number }> {
  return acts.restartLostPhoneCalls();
}
