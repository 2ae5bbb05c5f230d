// « OUI » by SMS: a person of the register who has an account answers the
// question they were sent (a missed interval, the plan's daily round) from
// their verified phone. The commune's number hands the text to this handler
// before it would become an alert (core/sms-replies.ts); anything else is not
// ours and goes on as usual.
import type { PlatformServices, SmsReplyHandler } from '@vigie/platform/plugin';
import { recordSign } from './register.js';
import { PLUGIN_ID } from './settings.js';
import type { PersonRow } from './model.js';
import { CHANGED_SIGNAL, CHECK_IN_KIND } from './workflows/contract.js';

/** OUI, oui !, Yes, OK, « ça va », « je vais bien », « tout va bien ». */
const FINE =
  /^\s*(oui|yes|ok|okay|ça va|ca va|je vais bien|tout va bien|all good|i am fine|i'm fine)\s*[.!]*\s*$/iu;

export function smsReplyHandler(services: () => PlatformServices): SmsReplyHandler {
  return {
    id: PLUGIN_ID,
    pluginId: PLUGIN_ID,
    async claim(trx, sms) {
      // A number that is no account answers through the call by SMS it was sent (call.ts).
      if (!sms.accountId || !FINE.test(sms.body)) return null;
      const person = (await trx('sol_people').where({ account_id: sms.accountId }).forUpdate().first()) as
        PersonRow | undefined;
      if (!person) return null;
      const open = (await trx('sol_round_contacts as c')
        .join('sol_activations as a', function () {
          this.on('a.id', '=', 'c.activation_id').andOn('a.days', '=', 'c.day');
        })
        .whereNull('a.ended_at')
        .where({ 'c.person_id': person.id, 'c.status': 'pending' })
        .first('c.id')) as { id: string } | undefined;
      if (open)
        await trx('sol_round_contacts')
          .where({ id: open.id })
          .update({ status: 'answered', by_account_id: sms.accountId, updated_at: new Date() });
      await recordSign(trx, person, 'self', sms.accountId);
      const s = services();
      await s.audit(trx, {
        tenantId: sms.tenantId,
        actor: { type: 'account', id: sms.accountId },
        action: `${PLUGIN_ID}.sign.recorded`,
        target: { type: 'sol_person', id: person.id },
        meta: { source: 'sms', roundContactId: open?.id ?? null },
      });
      const { slug } = (await trx('tenants').where({ id: sms.tenantId }).first('slug')) as { slug: string };
      const workflowId = s.workflows.options({ id: sms.tenantId, slug }, CHECK_IN_KIND, person.id).workflowId;
      return {
        reply:
          sms.locale === 'en'
            ? 'Thank you, noted: the CCAS knows you are fine.'
            : 'Merci, c’est noté : le CCAS sait que vous allez bien.',
        afterCommit: async () => {
          try {
            await s.workflows.client().workflow.getHandle(workflowId).signal(CHANGED_SIGNAL);
          } catch (err) {
            if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
          }
        },
      };
    },
  };
}
