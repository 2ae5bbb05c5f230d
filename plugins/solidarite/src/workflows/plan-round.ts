import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  CHANGED_SIGNAL,
  type PlanRoundInput,
  type PlanRoundResult,
  type SolidariteActivities,
} from './contract.js';

const acts = proxyActivities<SolidariteActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const planChanged = defineSignal(CHANGED_SIGNAL);

/**
 * The daily round of a plan canicule / grand froid, from its activation to
 * its deactivation: each day every person of the register is called, messaged
 * or visited (their contact method), and at the end of the day whoever was not
 * reached counts as "not answered" and the CCAS is told. The deactivation
 * closes the day under way and ends the round.
 */
export async function solidaritePlanRound(input: PlanRoundInput): Promise<PlanRoundResult> {
  let woken = false;
  setHandler(planChanged, () => {
    woken = true;
  });
  let day = 0;
  for (;;) {
    const plan = await acts.solidariteLoadPlan(input);
    if (!plan.active) break;
    day++;
    await acts.solidariteOpenDay(input, day);
    const endsAt = Date.now() + plan.dayMs;
    let active = true;
    for (;;) {
      woken = false;
      const left = endsAt - Date.now();
      if (left <= 0) break;
      if (await condition(() => woken, left)) {
        active = (await acts.solidariteLoadPlan(input)).active;
        if (!active) break;
      }
    }
    await acts.solidariteCloseDay(input, day);
    if (!active) break;
  }
  return { days: day };
}
