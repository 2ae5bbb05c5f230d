// Calls to a number that is not an account: what a module or plugin that
// asked for one (services.phoneCalls.place) is told when it is settled. The
// asker contributes one handler under the id it names in its requests; the
// phone-call workflow runs it once per call, in the commune's transaction,
// after the call was recorded settled (the activity is retried until the
// handler succeeds, so a handler must not mind being asked again after a
// crash between its work and the commit).
import type { Knex } from 'knex';

/**
 * - `confirmed`: the person pressed 1 after the message;
 * - `other_key`: they pressed another key;
 * - `heard`: answered, no key pressed (or the call asked for none);
 * - `no_answer`, `busy`: still so after the commune's last attempt;
 * - `refused`: never placed (the do-not-call list, a number Twilio refuses, no caller number configured);
 * - `failed`: Twilio could not complete it.
 */
export type PhoneCallOutcome =
  'confirmed' | 'other_key' | 'heard' | 'no_answer' | 'busy' | 'refused' | 'failed';

export interface PhoneCallSettled {
  tenantId: string;
  callId: string;
  /** The asker's key, as given to place(). */
  key: string;
  /** The asker's context, as given to place(). */
  context: Record<string, unknown>;
  outcome: PhoneCallOutcome;
  /** DO_NOT_CALL, INVALID_NUMBER, CONFIGURATION, NO_ANSWER, BUSY, PROVIDER_ERROR…; null when confirmed or heard. */
  reason: string | null;
  /** Calls placed (0 when refused before any). */
  attempts: number;
}

export interface PhoneCallHandler {
  /** The id requests name (`handler`), unique across the instance, e.g. `solidarite`. */
  id: string;
  /** The plugin whose enablement for the commune decides whether the handler is told (omit for a core module). */
  pluginId?: string;
  settled(
    trx: Knex.Transaction,
    call: PhoneCallSettled,
  ): Promise<void | {
    /** Run once the transaction has committed (e.g. signal a workflow). */ afterCommit?: () => Promise<void>;
  }>;
}

export interface PhoneCallsExtension {
  contribute(handler: PhoneCallHandler): void;
  handler(id: string): PhoneCallHandler | undefined;
}

export function createPhoneCalls(): PhoneCallsExtension {
  const handlers = new Map<string, PhoneCallHandler>();
  return {
    contribute(h) {
      if (handlers.has(h.id)) throw new Error(`Phone call handler ${h.id} is contributed twice`);
      handlers.set(h.id, h);
    },
    handler: (id) => handlers.get(id),
  };
}
