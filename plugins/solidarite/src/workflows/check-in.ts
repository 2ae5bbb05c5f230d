import { condition, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import {
  CHANGED_SIGNAL,
  type CheckInInput,
  type CheckInResult,
  type CheckInState,
  type SolidariteActivities,
  type Step,
} from './contract.js';

const acts = proxyActivities<SolidariteActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const changed = defineSignal(CHANGED_SIGNAL);

const STEPS: Step[] = ['person', 'volunteer', 'ccas', 'police'];
/** A long look between two planned wakes: a lost signal is caught within it. */
const LOOK_MS = 6 * 3_600_000;

/**
 * One workflow per person of the register, for as long as their consent
 * stands. At each interval it expects a sign of life; without one it asks
 * the person (an automatic call to a landline, « appuyez sur 1 », or an SMS to
 * answer OUI), reminds the volunteers (at once when the call went
 * unanswered), then
 * tells the CCAS, then the police municipale if the
 * person asked for it, each after its delay. A sign of life at any moment
 * starts a new interval; withdrawn consent (the entry deleted) ends it. It
 * reads the entry after every change: the database is the one source of truth.
 */
export async function solidariteCheckIn(input: CheckInInput): Promise<CheckInResult> {
  let woken = false;
  setHandler(changed, () => {
    woken = true;
  });
  let steps = 0;
  /** Steps already taken for the interval that began at `doneFor`. */
  let doneFor = '';
  let done = 0;
  let missing = 0;
  let seen = false;
  for (;;) {
    woken = false;
    const s: CheckInState = await acts.solidariteLoadPerson(input);
    if (s.status === 'missing') {
      // Started after the registration committed, so a missing row was deleted
      // (consent withdrawn); one more look first, in case a replica lagged.
      if (!seen && ++missing <= 1) {
        await sleep('2 seconds');
        continue;
      }
      return { outcome: 'withdrawn', steps };
    }
    seen = true;
    if (s.status === 'plugin_disabled') return { outcome: 'plugin_disabled', steps };
    if (doneFor !== s.lastSignAt) {
      doneFor = s.lastSignAt;
      done = 0;
    }
    const wanted = STEPS.filter((st) => st !== 'police' || s.escalatePolice);
    if (done >= wanted.length) {
      // Every step taken: wait for a sign of life.
      await condition(() => woken, LOOK_MS);
      continue;
    }
    // The next step is due once the interval and every delay up to it have passed.
    let dueAt = Date.parse(s.lastSignAt) + s.intervalMs;
    for (let k = 0; k <= done; k++) dueAt += s.delaysMs[wanted[k]!];
    const now = Date.now();
    // The person's call went unanswered: the volunteers need not wait for their delay.
    if (wanted[done] === 'volunteer' && s.personCallUnanswered) dueAt = Math.min(dueAt, now);
    if (dueAt > now) {
      await condition(() => woken, Math.min(dueAt - now, LOOK_MS));
      continue;
    }
    await acts.solidariteEscalate(input, wanted[done]!, s.lastSignAt);
    done++;
    steps++;
  }
}
