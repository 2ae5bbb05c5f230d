// The solidarity workflows' contract (names, inputs, states), shared by the
// workflow code and the plugin's server code. No imports: the workflow bundle
// must not pull server code in.

export const CHECK_IN_WORKFLOW = 'solidariteCheckIn';
/** Workflow id: `<commune slug>/check-in/<personId>`. */
export const CHECK_IN_KIND = 'check-in';
export const PLAN_ROUND_WORKFLOW = 'solidaritePlanRound';
/** Workflow id: `<commune slug>/plan-round/<activationId>`. */
export const PLAN_ROUND_KIND = 'plan-round';
/** Sent after every committed change: a sign of life, new settings, consent withdrawn, a plan deactivated. */
export const CHANGED_SIGNAL = 'changed';

export interface CheckInInput {
  tenantId: string;
  personId: string;
}

export type Step = 'person' | 'volunteer' | 'ccas' | 'police';

/** What the workflow reads of the entry each time it plans. */
export interface CheckInState {
  status: 'active' | 'missing' | 'plugin_disabled';
  /** ISO 8601: the last sign of life (or the registration). */
  lastSignAt: string;
  /** Milliseconds between two expected signs of life. */
  intervalMs: number;
  /** Delay before each step, in milliseconds from the previous one (the person is asked when the interval ends). */
  delaysMs: { person: number; volunteer: number; ccas: number; police: number };
  /** Whether the person asked for the police to be told. */
  escalatePolice: boolean;
  /**
   * The automatic call of this interval ended without a 1 (no answer, busy,
   * another key, a do-not-call number): the volunteers are due at once.
   * Absent from the histories of workflows started before calls existed.
   */
  personCallUnanswered?: boolean;
}

export interface CheckInResult {
  outcome: 'withdrawn' | 'plugin_disabled';
  steps: number;
}

export interface PlanRoundInput {
  tenantId: string;
  activationId: string;
}

export interface PlanState {
  active: boolean;
  /** The round's day, in milliseconds (the commune's `dayMinutes`). */
  dayMs: number;
}

export interface DayCounts {
  pending: number;
  answered: number;
  notAnswered: number;
  visited: number;
}

export interface PlanRoundResult {
  days: number;
}

/** Implemented by the plugin (activities prefixed with the plugin's name, to stay unique in the worker). */
export interface SolidariteActivities {
  solidariteLoadPerson(input: CheckInInput): Promise<CheckInState>;
  /** One escalation step for the interval that began at `since`; idempotent per (person, since, step). */
  solidariteEscalate(input: CheckInInput, step: Step, since: string): Promise<void>;
  solidariteLoadPlan(input: PlanRoundInput): Promise<PlanState>;
  /** Opens day `day` of the round: one contact per person of the register, and the messages. */
  solidariteOpenDay(input: PlanRoundInput, day: number): Promise<DayCounts>;
  /** Closes the day: who was not reached is "not answered", the counts go to the summary. */
  solidariteCloseDay(input: PlanRoundInput, day: number): Promise<DayCounts>;
}
