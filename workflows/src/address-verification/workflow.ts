// Address verification: one workflow per request for a residence. It waits
// for a reviewer's decision (days, sometimes weeks), reminds the reviewers,
// escalates to the mairie, expires, and in every case deletes the proof.
import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  decideUpdate,
  verificationStatusQuery,
  withdrawUpdate,
  type AddressVerificationActivities,
  type AddressVerificationInput,
  type AddressVerificationResult,
  type DecideInput,
  type UpdateResult,
  type VerificationOutcome,
} from './contract.js';
import { refuseDecision, refuseWithdrawal, steps, type Claim, type Refusal } from './rules.js';

const acts = proxyActivities<AddressVerificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['RESIDENCE_GONE'],
  },
});

function refuse(r: Refusal | null): void {
  if (r) throw ApplicationFailure.create({ type: r.type, message: r.message, nonRetryable: true });
}

type Settlement =
  | { kind: 'decision'; decision: DecideInput }
  | { kind: 'withdrawal'; accountId: string }
  | { kind: 'expiry' };

export async function addressVerification(
  input: AddressVerificationInput,
): Promise<AddressVerificationResult> {
  const { tenantId, residenceId } = input;
  let claim: Claim = null;
  let settlement: Settlement | undefined;
  let result: UpdateResult | undefined;
  let failure: string | undefined;
  let reminded = false;
  let escalated = false;
  let proofDeleted = false;

  // The handler claims the request synchronously, before its first await:
  // the validator of any update that comes after sees the claim and refuses.
  const settle = async (s: Settlement): Promise<UpdateResult> => {
    claim = s.kind;
    settlement = s;
    await condition(() => result !== undefined || failure !== undefined);
    if (failure)
      throw ApplicationFailure.create({ type: 'DECISION_FAILED', message: failure, nonRetryable: true });
    return result!;
  };
  setHandler(decideUpdate, (d) => settle({ kind: 'decision', decision: d }), {
    validator: (d) => refuse(refuseDecision(claim, input.accountId, d)),
  });
  setHandler(withdrawUpdate, (w) => settle({ kind: 'withdrawal', accountId: w.accountId }), {
    validator: (w) => refuse(refuseWithdrawal(claim, input.accountId, w)),
  });
  setHandler(verificationStatusQuery, () => ({
    outcome: outcomeOf(settlement),
    reminded,
    escalated,
    proofDeleted,
  }));

  let outcome: VerificationOutcome | 'failed' = 'failed';
  // The proof was stored before this workflow started; deleting it is the
  // compensation of that step and runs however the request ends: decided,
  // withdrawn, expired, or failed. Cancellation cannot skip it.
  try {
    await acts.routeVerification({ tenantId, residenceId });
    const start = Date.now();
    const decided = () => settlement !== undefined;
    for (const s of steps(input.timings)) {
      if (await condition(decided, Math.max(1, start + s.atMs - Date.now()))) break;
      if (s.step === 'remind') {
        await acts.remindReviewers({ tenantId, residenceId });
        reminded = true;
      } else {
        await acts.escalateVerification({ tenantId, residenceId });
        escalated = true;
      }
    }
    if (
      !decided() &&
      !(await condition(decided, Math.max(1, start + input.timings.expireAfterMs - Date.now())))
    ) {
      claim = 'expiry';
      settlement = { kind: 'expiry' };
    }
    outcome = outcomeOf(settlement)!;
    result = await apply(input, settlement!);
  } catch (err) {
    failure = 'La demande n’a pas pu être traitée.';
    throw err;
  } finally {
    await CancellationScope.nonCancellable(() =>
      acts.deleteProof({ tenantId, residenceId, reason: outcome }),
    );
    proofDeleted = true;
  }
  const settled = outcomeOf(settlement)!;
  await acts.emailOutcome({ tenantId, residenceId, outcome: settled });
  await condition(allHandlersFinished);
  return { outcome: settled, reminded, escalated, proofDeleted };
}

function outcomeOf(s: Settlement | undefined): VerificationOutcome | null {
  if (!s) return null;
  if (s.kind === 'decision') return s.decision.decision === 'APPROVE' ? 'approved' : 'rejected';
  return s.kind === 'withdrawal' ? 'withdrawn' : 'expired';
}

function apply(input: AddressVerificationInput, s: Settlement): Promise<UpdateResult> {
  const { tenantId, residenceId } = input;
  if (s.kind === 'decision') return acts.applyDecision({ tenantId, residenceId, decision: s.decision });
  if (s.kind === 'withdrawal') return acts.applyWithdrawal({ tenantId, residenceId, accountId: s.accountId });
  return acts.applyExpiry({ tenantId, residenceId });
}
