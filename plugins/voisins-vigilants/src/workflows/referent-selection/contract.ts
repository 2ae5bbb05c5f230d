// Referent selection: one long-lived workflow per community, ID
// `<tenantSlug>/referent-selection/<communityId>`. Each run is one round:
// collect candidates for a period, let the police municipale choose up to two
// referents (an Update whose validator refuses bad choices synchronously), tell
// everyone, then stay as the community's watcher until a referent leaves, which
// continues-as-new into the next round. One ID per community means one round
// at a time, whatever the number of API instances sending signals.

export const REFERENT_SELECTION_WORKFLOW = 'referentSelection';
/** The `<kind>` part of the workflow ID. */
export const REFERENT_SELECTION_KIND = 'referent-selection';
export const MAX_REFERENTS_PER_COMMUNITY = 2;

/** Names of the signals, update and query (the client uses them as strings: contracts stay free of the SDK). */
export const REFERENT_SELECTION = {
  candidacySignal: 'referentCandidacy',
  vacancySignal: 'referentVacancy',
  reopenSignal: 'referentReopen',
  chooseUpdate: 'chooseReferents',
  statusQuery: 'referentRoundStatus',
} as const;

/** ApplicationFailure types thrown by the workflow; the plugin maps each to the GraphQL error code of the same name. */
export const REFERENT_FAILURES = {
  collecting: 'REFERENT_ROUND_COLLECTING',
  tooMany: 'TOO_MANY_REFERENTS',
  notCandidate: 'NOT_A_CANDIDATE',
  alreadyReferent: 'ALREADY_REFERENT',
  invalidChoice: 'REFERENT_CHOICE_INVALID',
  ineligible: 'REFERENT_CANDIDATE_INELIGIBLE',
} as const;

export type ReferentRoundReason = 'manual' | 'candidacy' | 'vacancy';

export interface ReferentSelectionInput {
  tenantId: string;
  communityId: string;
  reason: ReferentRoundReason;
  openedBy: string | null;
  /** How long candidates are collected (the tenant's candidacyPeriodDays, in seconds; tests use a few seconds). */
  collectSeconds: number;
  /** How often the police are reminded of a round awaiting their choice. */
  reminderSeconds: number;
}

export interface CandidacySignal {
  accountId: string;
  wanted: boolean;
}

export interface VacancySignal {
  accountId: string;
  /** Settings at the time of the vacancy, for the round it opens. */
  collectSeconds: number;
  reminderSeconds: number;
}

export interface ReopenSignal {
  openedBy: string;
  collectSeconds: number;
  reminderSeconds: number;
}

export interface ChooseReferentsArgs {
  accountIds: string[];
  chosenBy: string;
}

/** opening: loading; collecting: candidates apply; choosing: the police choose; staffed: the round is over. */
export type ReferentPhase = 'opening' | 'collecting' | 'choosing' | 'staffed';

export interface ReferentRoundStatus {
  phase: ReferentPhase;
  roundId: string | null;
  reason: ReferentRoundReason;
  /** ISO 8601 end of the collection period. */
  collectUntil: string | null;
  candidates: string[];
  referents: string[];
  chosen: string[];
}

export interface OpenRoundResult {
  /** Null when the community already has its referents (no round needed). */
  roundId: string | null;
  collectUntil: string | null;
  candidates: string[];
  referents: string[];
}

export type AppointResult = { ok: true } | { ok: false; code: string; accountId: string };

interface Where {
  tenantId: string;
  communityId: string;
}

/** Implemented by the voisins-vigilants plugin (activities run inside withTenant). */
export interface ReferentSelectionActivities {
  referentOpenRound(
    input: Where & {
      reason: ReferentRoundReason;
      openedBy: string | null;
      roundKey: string;
      collectSeconds: number;
    },
  ): Promise<OpenRoundResult>;
  referentCollectionEnded(input: Where & { roundId: string; candidates: string[] }): Promise<void>;
  referentRemindPolice(
    input: Where & { roundId: string; candidates: number; reminder: number },
  ): Promise<void>;
  referentAppoint(
    input: Where & { roundId: string | null; accountIds: string[]; chosenBy: string },
  ): Promise<AppointResult>;
  referentRoundClosed(
    input: Where & { roundId: string; chosen: string[]; unchosen: string[] },
  ): Promise<void>;
  /** A referent left: flags the community to the mairie when it has no referent left. */
  referentVacancy(input: Where & { accountId: string; eventKey: string }): Promise<{ remaining: number }>;
}
