// Calls to a number that is not an account (a landline on the solidarity
// register, the contact person of a holiday absence): a module or plugin asks
// services.phoneCalls.place in its transaction; one workflow per call places
// it within the commune's calling hours, calls again after the commune's delay
// when nobody answered, and hands the outcome back to the asker's handler.
// The database row is the one source of truth: Twilio's webhooks write the key
// pressed and the call's end there and only wake the workflow, so a signal
// lost between the commit and the workflow is caught by the next look.

export const PHONE_CALL_WORKFLOW = 'phoneCall';
/** Workflow id: `<commune slug>/phone-call/<callId>`. */
export const PHONE_CALL_KIND = 'phone-call';
/** Sent by the webhooks after they recorded something on the call. */
export const PHONE_CALL_CHANGED_SIGNAL = 'phoneCallChanged';
export const PHONE_CALL_SWEEP_WORKFLOW = 'phoneCallSweep';
export const PHONE_CALL_SWEEP_SCHEDULE_ID = 'platform/phone-call-sweep';

export interface PhoneCallInput {
  tenantId: string;
  callId: string;
}

/** What the step activity decided: look again after `waitMs`, or the call is settled and its handler told. */
export type PhoneCallStep = { done: true; outcome: string | null } | { done: false; waitMs: number };

export interface PhoneCallResult {
  outcome: string | null;
  steps: number;
}

export interface PhoneCallActivities {
  /** Takes the next step of the call (place it, read what the webhooks wrote, ask Twilio, settle it); idempotent. */
  phoneCallStep(input: PhoneCallInput): Promise<PhoneCallStep>;
  /** Calls not settled for a while and whose workflow may never have started: started again (idempotent ids). */
  restartLostPhoneCalls(): Promise<{ restarted: number }>;
}
