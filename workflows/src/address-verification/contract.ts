// Contract of the address-verification workflow: one workflow per request for
// a residence, ID `<tenantSlug>/address-verification/<residenceId>`. Reviewers
// decide through the `decide` Update, whose validator refuses a second
// decision or a late one synchronously; the resident can `withdraw`.

export const ADDRESS_VERIFICATION_WORKFLOW = 'addressVerification';
export const ADDRESS_VERIFICATION_KIND = 'address-verification';

/** Why a proof is refused. Codes are stable; labels are what the resident reads. */
export const REJECTION_REASONS = {
  document_illisible: { fr: 'Document illisible', en: 'Unreadable document' },
  nom_different: {
    fr: 'Le nom ne correspond pas à celui du compte',
    en: 'The name does not match the account',
  },
  adresse_differente: {
    fr: "L'adresse ne correspond pas à celle indiquée",
    en: 'The address does not match the one given',
  },
  document_trop_ancien: {
    fr: 'Document trop ancien (plus de 3 mois)',
    en: 'Document too old (more than 3 months)',
  },
  type_non_accepte: { fr: 'Type de document non accepté', en: 'Document type not accepted' },
  autre: { fr: 'Autre motif', en: 'Other reason' },
} as const;
export type RejectionReason = keyof typeof REJECTION_REASONS;
export const REJECTION_REASON_CODES = Object.keys(REJECTION_REASONS) as RejectionReason[];

/** ApplicationFailure types the validators throw; the API maps each to an error code of the same name. */
export const VerificationFailure = {
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  REQUEST_EXPIRED: 'REQUEST_EXPIRED',
  REQUEST_WITHDRAWN: 'REQUEST_WITHDRAWN',
  REJECTION_REASON_REQUIRED: 'REJECTION_REASON_REQUIRED',
  REJECTION_REASON_UNKNOWN: 'REJECTION_REASON_UNKNOWN',
  SELF_REVIEW_FORBIDDEN: 'SELF_REVIEW_FORBIDDEN',
  DECISION_INVALID: 'DECISION_INVALID',
  NOT_REQUESTER: 'NOT_REQUESTER',
} as const;
export type VerificationFailureType = (typeof VerificationFailure)[keyof typeof VerificationFailure];

/** Periods, in milliseconds, from the commune's settings (hours and days there). */
export interface VerificationTimings {
  remindAfterMs: number;
  escalateAfterMs: number;
  expireAfterMs: number;
}

export interface AddressVerificationInput {
  tenantId: string;
  residenceId: string;
  /** The resident: a reviewer can never decide their own request. */
  accountId: string;
  timings: VerificationTimings;
}

export type VerificationDecision = 'APPROVE' | 'REJECT';

export interface Reviewer {
  accountId: string;
  /** How they may decide: as a referent of the community, or for the mairie. */
  role: 'referent' | 'mairie_admin';
}

export interface DecideInput {
  decision: VerificationDecision;
  reason?: RejectionReason | null;
  /** Free text, only with the `autre` reason; shown to the resident. */
  comment?: string | null;
  reviewer: Reviewer;
}

export interface WithdrawInput {
  accountId: string;
}

export type VerificationOutcome = 'approved' | 'rejected' | 'withdrawn' | 'expired';

export interface UpdateResult {
  outcome: VerificationOutcome;
  /** Status of the residence once the outcome is applied. */
  status: 'active' | 'rejected' | 'withdrawn' | 'expired';
}

export interface AddressVerificationResult {
  outcome: VerificationOutcome;
  reminded: boolean;
  escalated: boolean;
  proofDeleted: boolean;
}

export interface VerificationStatus {
  outcome: VerificationOutcome | null;
  reminded: boolean;
  escalated: boolean;
  proofDeleted: boolean;
}

/** Activities the workflow needs; implemented in platform/src/residents/activities.ts. */
export interface AddressVerificationActivities {
  /** Sends the request to the community's referents, or to the mairie when it has none. */
  routeVerification(i: {
    tenantId: string;
    residenceId: string;
  }): Promise<{ reviewLevel: 'referent' | 'mairie'; reviewers: number }>;
  remindReviewers(i: { tenantId: string; residenceId: string }): Promise<void>;
  escalateVerification(i: { tenantId: string; residenceId: string }): Promise<void>;
  /** Applies a decision in one transaction (status, move, audit, in-app message to the resident). */
  applyDecision(i: { tenantId: string; residenceId: string; decision: DecideInput }): Promise<UpdateResult>;
  applyWithdrawal(i: { tenantId: string; residenceId: string; accountId: string }): Promise<UpdateResult>;
  applyExpiry(i: { tenantId: string; residenceId: string }): Promise<UpdateResult>;
  /** Deletes the proof's bytes from the file store and marks its row deleted; idempotent. */
  deleteProof(i: {
    tenantId: string;
    residenceId: string;
    reason: VerificationOutcome | 'failed';
  }): Promise<{ deleted: number }>;
  /** Emails the resident the outcome (the in-app message is written with the outcome itself). */
  emailOutcome(i: { tenantId: string; residenceId: string; outcome: VerificationOutcome }): Promise<void>;
}

// Definitions shared by the workflow (handlers) and the API (client calls).
// defineUpdate/defineQuery only name things: importing them does no I/O.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const decideUpdate = defineUpdate<UpdateResult, [DecideInput]>('decide');
export const withdrawUpdate = defineUpdate<UpdateResult, [WithdrawInput]>('withdraw');
export const verificationStatusQuery = defineQuery<VerificationStatus>('status');
