import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import {
  ABSENCE_CHANGED_SIGNAL,
  VISIT_REFUSED,
  VISIT_UPDATE,
  type AbsenceState,
  type AbsenceWatchActivities,
  type AbsenceWatchInput,
  type AbsenceWatchResult,
  type VisitInput,
} from './contract.js';

const acts = proxyActivities<AbsenceWatchActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const absenceChanged = defineSignal(ABSENCE_CHANGED_SIGNAL);
export const visit = defineUpdate<{ visitId: string }, [VisitInput]>(VISIT_UPDATE);

/** The row may not be visible for an instant: the workflow starts in the transaction that declares it. */
const MISSING_RETRIES = 3;

/**
 * One workflow per absence, for its whole life: it waits for the police's
 * decision, takes visits from the departure to the return, reminds the police
 * when a home goes N days without one, follows new dates, and sends the
 * resident a summary after the return. It reads the declaration again after
 * every change, so the database stays the one source of truth.
 */
export async function absenceWatch(input: AbsenceWatchInput): Promise<AbsenceWatchResult> {
  let changed = false;
  let state: AbsenceState | undefined;
  let visits = 0;
  let reminders = 0;
  setHandler(absenceChanged, () => {
    changed = true;
  });
  setHandler(
    visit,
    async (v) => {
      const r = await acts.tranquilliteRecordVisit(input, v);
      visits++;
      if (state) state = { ...state, lastVisitAt: v.visitedAt };
      changed = true;
      return r;
    },
    {
      validator: (v) => {
        const at = Date.parse(v.visitedAt);
        if (!state || state.status !== 'validated')
          throw ApplicationFailure.nonRetryable('The absence is not under watch', VISIT_REFUSED);
        if (!(at >= Date.parse(state.departsAt) && at <= Date.parse(state.returnsAt)))
          throw ApplicationFailure.nonRetryable('The visit falls outside the absence', VISIT_REFUSED);
      },
    },
  );

  let missing = 0;
  let remindedFor: string | null = null;
  for (;;) {
    changed = false;
    state = await acts.tranquilliteLoadAbsence(input);
    if (state.status === 'missing' && ++missing <= MISSING_RETRIES) {
      await sleep('2 seconds');
      continue;
    }
    if (state.status === 'missing' || state.status === 'plugin_disabled')
      return { outcome: state.status, visits, reminders };
    if (state.status === 'refused' || state.status === 'cancelled')
      return { outcome: state.status, visits, reminders };
    if (state.status === 'pending') {
      // Signals come after the decision commits; a lost one is caught by the hourly look.
      await condition(() => changed, '1 hour');
      continue;
    }
    const now = Date.now();
    const returnsAt = Date.parse(state.returnsAt);
    if (now >= returnsAt) break;
    // The no-visit reminder counts from the last visit, or from the departure.
    const since = state.lastVisitAt ?? state.departsAt;
    const dueAt = Date.parse(since) + state.noVisitMs;
    const remind = remindedFor !== since && dueAt < returnsAt;
    const wakeAt = remind ? Math.min(dueAt, returnsAt) : returnsAt;
    if (wakeAt > now) {
      const woken = await condition(() => changed, wakeAt - now);
      if (woken) continue;
    }
    if (remind && Date.now() >= dueAt) {
      await acts.tranquilliteRemindPolice(input, since);
      remindedFor = since;
      reminders++;
    }
  }
  // Let a visit that is still running finish before the summary counts them.
  await condition(allHandlersFinished);
  const { visits: total } = await acts.tranquilliteSendSummary(input);
  return { outcome: 'summarised', visits: total, reminders };
}
