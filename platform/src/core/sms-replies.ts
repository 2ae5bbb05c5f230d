// Replies by SMS: a module or plugin that asks people something by SMS (the
// solidarity register's « tout va bien ? ») claims the answers it expects
// before the commune's number treats a text as an alert. Each handler sees
// the texts of the commune's verified accounts, and those of numbers that are
// no account (`accountId` null: a person texted by services.phoneCalls with
// `channel: 'sms'`), and answers null when the text is not for it; the first
// that claims one answers the sender, and nothing is raised. STOP, START and
// AIDE are never offered to handlers.
import type { Knex } from 'knex';

export interface SmsReplyInput {
  tenantId: string;
  /** The sender's account (a verified phone), or null for a number that is no account. */
  accountId: string | null;
  /** The sender's number, E.164: to match a number the handler texted. Never logged or stored in clear. */
  from: string;
  body: string;
  locale: 'fr' | 'en';
}

export interface SmsReplyClaim {
  /** What the commune's number answers. */
  reply: string;
  /** Run once the transaction has committed (e.g. signal a workflow). */
  afterCommit?: () => Promise<void>;
}

export interface SmsReplyHandler {
  /** Unique across the instance, e.g. `solidarite`. */
  id: string;
  /** The plugin whose enablement for the commune decides whether the handler is asked (omit for a core module). */
  pluginId?: string;
  /** In the commune's transaction; null when the text is not an answer this handler expects. */
  claim(trx: Knex.Transaction, sms: SmsReplyInput): Promise<SmsReplyClaim | null>;
}

export interface SmsRepliesExtension {
  contribute(handler: SmsReplyHandler): void;
  handlers(): readonly SmsReplyHandler[];
}

export function createSmsReplies(): SmsRepliesExtension {
  const handlers: SmsReplyHandler[] = [];
  return {
    contribute(h) {
      if (handlers.some((x) => x.id === h.id))
        throw new Error(`SMS reply handler ${h.id} is contributed twice`);
      handlers.push(h);
    },
    handlers: () => handlers,
  };
}
