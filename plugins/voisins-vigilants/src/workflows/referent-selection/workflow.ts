import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  MAX_REFERENTS_PER_COMMUNITY as MAX,
  REFERENT_FAILURES as F,
  REFERENT_SELECTION as N,
  type CandidacySignal,
  type ChooseReferentsArgs,
  type ReferentPhase,
  type ReferentRoundStatus,
  type ReferentSelectionActivities,
  type ReferentSelectionInput,
  type ReopenSignal,
  type VacancySignal,
} from './contract.js';

const acts = proxyActivities<ReferentSelectionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const candidacySignal = defineSignal<[CandidacySignal]>(N.candidacySignal);
export const vacancySignal = defineSignal<[VacancySignal]>(N.vacancySignal);
export const reopenSignal = defineSignal<[ReopenSignal]>(N.reopenSignal);
export const chooseReferentsUpdate = defineUpdate<ReferentRoundStatus, [ChooseReferentsArgs]>(N.chooseUpdate);
export const referentRoundStatusQuery = defineQuery<ReferentRoundStatus>(N.statusQuery);

const refuse = (type: string, message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

/** One round of referent selection for one community, then the watch until a referent leaves. */
export async function referentSelection(input: ReferentSelectionInput): Promise<void> {
  const where = { tenantId: input.tenantId, communityId: input.communityId };
  let phase: ReferentPhase = 'opening';
  let roundId: string | null = null;
  let collectUntil: string | null = null;
  const after: { next?: ReferentSelectionInput } = {}; // the round a vacancy or a reopening asks for
  let referents = new Set<string>();
  let reserved = 0; // seats taken by choices whose appointment is still running
  const candidates = new Set<string>();
  const chosen: string[] = [];
  const status = (): ReferentRoundStatus => ({
    phase,
    roundId,
    reason: input.reason,
    collectUntil,
    candidates: [...candidates],
    referents: [...referents],
    chosen: [...chosen],
  });

  // Checked by the validator (refused before anything is written to history)
  // and again by the handler, because two updates can pass validation together.
  const refusal = ({ accountIds }: ChooseReferentsArgs): ApplicationFailure | undefined => {
    if (phase === 'opening' || phase === 'collecting')
      return refuse(F.collecting, 'Candidates are still being collected');
    if (accountIds.length === 0 || new Set(accountIds).size !== accountIds.length)
      return refuse(F.invalidChoice, 'Choose one or two distinct candidates');
    if (referents.size + reserved + accountIds.length > MAX)
      return refuse(F.tooMany, `A community has at most ${MAX} referents`);
    const already = accountIds.find((id) => referents.has(id));
    if (already) return refuse(F.alreadyReferent, `${already} is already a referent`);
    const outsider = accountIds.find((id) => !candidates.has(id));
    if (outsider) return refuse(F.notCandidate, `${outsider} is not a candidate of this round`);
    return undefined;
  };

  setHandler(referentRoundStatusQuery, status);
  setHandler(candidacySignal, ({ accountId, wanted }) => {
    if (wanted && !referents.has(accountId)) candidates.add(accountId);
    else candidates.delete(accountId);
  });
  setHandler(vacancySignal, async (v) => {
    referents.delete(v.accountId);
    // During a round the freed seat simply joins it; afterwards it takes a new round.
    if (phase === 'staffed')
      after.next = {
        ...input,
        reason: 'vacancy',
        openedBy: null,
        collectSeconds: v.collectSeconds,
        reminderSeconds: v.reminderSeconds,
      };
    await acts.referentVacancy({
      ...where,
      accountId: v.accountId,
      eventKey: `${workflowInfo().runId}:${v.accountId}:${referents.size}`,
    });
  });
  setHandler(reopenSignal, (r) => {
    // During a round, the round running is the one. Afterwards the next run recounts the seats from the database
    // (roles may have changed outside this workflow).
    if (phase === 'staffed')
      after.next = {
        ...input,
        reason: 'manual',
        openedBy: r.openedBy,
        collectSeconds: r.collectSeconds,
        reminderSeconds: r.reminderSeconds,
      };
  });
  setHandler(
    chooseReferentsUpdate,
    async (args) => {
      const refused = refusal(args);
      if (refused) throw refused;
      reserved += args.accountIds.length;
      try {
        const r = await acts.referentAppoint({
          ...where,
          roundId,
          accountIds: args.accountIds,
          chosenBy: args.chosenBy,
        });
        if (!r.ok) {
          if (r.code === F.ineligible) candidates.delete(r.accountId);
          throw refuse(r.code, `${r.accountId} cannot be appointed`);
        }
        for (const id of args.accountIds) {
          referents.add(id);
          candidates.delete(id);
          chosen.push(id);
        }
      } finally {
        reserved -= args.accountIds.length;
      }
      return status();
    },
    {
      validator: (args) => {
        const r = refusal(args);
        if (r) throw r;
      },
    },
  );

  const opened = await acts.referentOpenRound({
    ...where,
    reason: input.reason,
    openedBy: input.openedBy,
    roundKey: workflowInfo().runId,
    collectSeconds: input.collectSeconds,
  });
  referents = new Set(opened.referents);
  for (const id of opened.candidates) if (!referents.has(id)) candidates.add(id);
  if (opened.roundId && referents.size < MAX) {
    const round = (roundId = opened.roundId);
    phase = 'collecting';
    collectUntil = opened.collectUntil;
    await sleep(input.collectSeconds * 1000);
    // Nobody applied in time: keep collecting, the first candidate ends the wait.
    await condition(() => candidates.size > 0);
    phase = 'choosing';
    await acts.referentCollectionEnded({ ...where, roundId: round, candidates: [...candidates] });
    for (
      let reminder = 1;
      !(await condition(() => referents.size >= MAX, input.reminderSeconds * 1000));
      reminder++
    ) {
      await acts.referentRemindPolice({ ...where, roundId: round, candidates: candidates.size, reminder });
    }
    await condition(allHandlersFinished);
    await acts.referentRoundClosed({ ...where, roundId: round, chosen, unchosen: [...candidates] });
  }
  phase = 'staffed';
  await condition(() => after.next !== undefined && allHandlersFinished());
  await continueAsNew<typeof referentSelection>(after.next!);
}
