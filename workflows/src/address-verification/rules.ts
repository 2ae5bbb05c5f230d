// The validators' rules, as plain functions: a decision or a withdrawal is
// refused, synchronously and before it enters the workflow's history, when
// the request is already settled or the input is wrong.
import {
  REJECTION_REASONS,
  VerificationFailure,
  type DecideInput,
  type VerificationFailureType,
  type WithdrawInput,
} from './contract.js';

/** What has settled the request, if anything: set the moment a decision, a withdrawal or the expiry is taken. */
export type Claim = 'decision' | 'withdrawal' | 'expiry' | null;

export interface Refusal {
  type: VerificationFailureType;
  message: string;
}

function settled(claim: Claim): Refusal | null {
  if (claim === 'decision')
    return { type: VerificationFailure.ALREADY_DECIDED, message: 'Cette demande a déjà été traitée.' };
  if (claim === 'expiry')
    return { type: VerificationFailure.REQUEST_EXPIRED, message: 'Cette demande a expiré.' };
  if (claim === 'withdrawal')
    return {
      type: VerificationFailure.REQUEST_WITHDRAWN,
      message: 'Cette demande a été retirée par le résident.',
    };
  return null;
}

export const MAX_COMMENT_LENGTH = 500;

export function refuseDecision(claim: Claim, residentAccountId: string, d: DecideInput): Refusal | null {
  const already = settled(claim);
  if (already) return already;
  if (d.reviewer.accountId === residentAccountId)
    return {
      type: VerificationFailure.SELF_REVIEW_FORBIDDEN,
      message: 'Vous ne pouvez pas valider votre propre demande.',
    };
  if (d.decision === 'REJECT') {
    if (!d.reason)
      return {
        type: VerificationFailure.REJECTION_REASON_REQUIRED,
        message: 'Choisissez le motif du refus.',
      };
    if (!Object.prototype.hasOwnProperty.call(REJECTION_REASONS, d.reason))
      return { type: VerificationFailure.REJECTION_REASON_UNKNOWN, message: 'Motif de refus inconnu.' };
    if (d.comment && d.comment.length > MAX_COMMENT_LENGTH)
      return {
        type: VerificationFailure.DECISION_INVALID,
        message: `Le commentaire dépasse ${MAX_COMMENT_LENGTH} caractères.`,
      };
  } else if (d.decision !== 'APPROVE') {
    return { type: VerificationFailure.DECISION_INVALID, message: 'Décision inconnue.' };
  }
  return null;
}

export function refuseWithdrawal(claim: Claim, residentAccountId: string, w: WithdrawInput): Refusal | null {
  const already = settled(claim);
  if (already) return already;
  if (w.accountId !== residentAccountId)
    return { type: VerificationFailure.NOT_REQUESTER, message: 'Seul le résident peut retirer sa demande.' };
  return null;
}

/** The reminder and escalation steps that come before expiry, in time order (settings may be odd). */
export function steps(t: {
  remindAfterMs: number;
  escalateAfterMs: number;
  expireAfterMs: number;
}): Array<{ step: 'remind' | 'escalate'; atMs: number }> {
  const all: Array<{ step: 'remind' | 'escalate'; atMs: number }> = [
    { step: 'remind', atMs: t.remindAfterMs },
    { step: 'escalate', atMs: t.escalateAfterMs },
  ];
  return all.filter((s) => s.atMs < t.expireAfterMs).sort((a, b) => a.atMs - b.atMs);
}
