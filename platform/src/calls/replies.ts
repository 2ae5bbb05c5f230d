// The reply to a call by SMS: a text from a number that a call awaits
// (channel `sms`, status `calling`) stands for the key it was asked to press.
// OUI (OK, 1…) is the 1; any other text is another key. YES never comes
// here: it is the START keyword (notifications), so English texts ask for OK. Every call
// awaiting that number's reply in the commune takes it (a check-in's text and
// the plan's daily round may both wait), and their workflows are woken once
// the reply has committed. The text itself is not stored: the key is.
import type { Knex } from 'knex';
import { PHONE_CALL_CHANGED_SIGNAL, PHONE_CALL_KIND } from '@vigie/workflows/contracts';
import type { SmsReplyHandler } from '../core/sms-replies.js';
import type { Temporal } from '../temporal/index.js';
import { tenantWorkflowOptions } from '../temporal/index.js';
import { NUMBER_PURPOSE } from './place.js';

export const PHONE_CALL_REPLIES_ID = 'phone-calls';

const YES =
  /^\s*(oui|yes|ok|okay|1|ça va|ca va|je vais bien|tout va bien|all good|i am fine|i'm fine)\s*[.!]*\s*$/iu;

interface Awaiting {
  id: string;
  number_sealed: string;
  locale: 'fr' | 'en';
  confirmed_reply: string | null;
  other_key_reply: string | null;
}

export function phoneCallReplies(deps: {
  open: (tenantId: string, purpose: string, sealed: string) => string;
  temporal: () => Temporal | undefined;
}): SmsReplyHandler {
  return {
    id: PHONE_CALL_REPLIES_ID,
    async claim(trx: Knex.Transaction, sms) {
      const rows = (await trx('phone_calls')
        .where({ channel: 'sms', status: 'calling' })
        .whereNull('digits')
        .orderBy('placed_at', 'desc')
        .select('id', 'number_sealed', 'locale', 'confirmed_reply', 'other_key_reply')) as Awaiting[];
      // Sealed with a random nonce, so compared opened: a commune awaits few replies at a time.
      const mine = rows.filter((r) => {
        try {
          return deps.open(sms.tenantId, NUMBER_PURPOSE, r.number_sealed) === sms.from;
        } catch {
          return false;
        }
      });
      if (mine.length === 0) return null;
      const yes = YES.test(sms.body);
      // Only the sender's rows are locked, by the update itself: still awaiting, not answered meanwhile.
      const answered = (await trx('phone_calls')
        .whereIn(
          'id',
          mine.map((r) => r.id),
        )
        .where({ status: 'calling' })
        .whereNull('digits')
        .update({ digits: yes ? '1' : '0', updated_at: new Date() })
        .returning('id')) as Array<{ id: string }>;
      if (answered.length === 0) return null;
      const first = mine[0]!;
      const en = first.locale === 'en';
      const reply = yes
        ? (first.confirmed_reply ?? (en ? 'Thank you, noted.' : 'Merci, c’est noté.'))
        : (first.other_key_reply ?? (en ? 'Noted.' : 'C’est noté.'));
      const { slug } = (await trx('tenants').where({ id: sms.tenantId }).first('slug')) as { slug: string };
      return {
        reply,
        afterCommit: async () => {
          const t = deps.temporal();
          if (!t) return;
          for (const r of answered) {
            const id = tenantWorkflowOptions(t, { id: sms.tenantId, slug }, PHONE_CALL_KIND, r.id).workflowId;
            try {
              await t.client.workflow.getHandle(id).signal(PHONE_CALL_CHANGED_SIGNAL);
            } catch (err) {
              // Its next look reads the row anyway.
              if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
            }
          }
        },
      };
    },
  };
}
