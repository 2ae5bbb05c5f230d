// The absence-watch workflow's contract (names, inputs, the visit Update),
// shared by the workflow code and the plugin's server code. No imports: the
// workflow bundle must not pull server code in.

export const ABSENCE_WATCH_WORKFLOW = 'absenceWatch';
/** Workflow id: `<commune slug>/absence-watch/<absenceId>`. */
export const ABSENCE_WATCH_KIND = 'absence-watch';
/** Sent after every change of the declaration (validated, refused, new dates, early return, cancelled). */
export const ABSENCE_CHANGED_SIGNAL = 'absenceChanged';
/** A visit by the police, taken as an Update: its validator refuses a visit outside the watch. */
export const VISIT_UPDATE = 'visit';
/** ApplicationFailure type of a refused visit. */
export const VISIT_REFUSED = 'TV_VISIT_REFUSED';

export interface AbsenceWatchInput {
  tenantId: string;
  absenceId: string;
}

export type VisitOutcome = 'ras' | 'open_window' | 'forced_entry' | 'letterbox' | 'other';

export interface VisitInput {
  agentId: string;
  /** ISO 8601; the workflow checks it falls inside the absence. */
  visitedAt: string;
  outcome: VisitOutcome;
  note: string;
  requestId?: string;
}

/** What the workflow reads of the declaration each time it plans. */
export interface AbsenceState {
  status: 'pending' | 'validated' | 'refused' | 'cancelled' | 'missing' | 'plugin_disabled';
  departsAt: string;
  returnsAt: string;
  lastVisitAt: string | null;
  /** Milliseconds without a visit before the police are reminded (a setting). */
  noVisitMs: number;
}

export interface AbsenceWatchResult {
  outcome: 'summarised' | 'refused' | 'cancelled' | 'missing' | 'plugin_disabled';
  visits: number;
  reminders: number;
}

/** Implemented by the plugin (activities prefixed with the plugin's name, to stay unique in the worker). */
export interface AbsenceWatchActivities {
  tranquilliteLoadAbsence(input: AbsenceWatchInput): Promise<AbsenceState>;
  tranquilliteRecordVisit(input: AbsenceWatchInput, visit: VisitInput): Promise<{ visitId: string }>;
  tranquilliteRemindPolice(input: AbsenceWatchInput, since: string): Promise<void>;
  tranquilliteSendSummary(input: AbsenceWatchInput): Promise<{ visits: number }>;
}
