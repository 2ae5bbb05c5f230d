// An anomaly calls the person to contact that the resident named in the
// declaration: a number typed in the form, not an account, so the call goes
// through the core's services.phoneCalls (urgent: it rings at any hour when
// the commune allows urgent calls then). How it went comes back here and is
// kept on the visit, for the police console. A number the form let through
// but no phone can reach is recorded `invalid_number`; the visit stands.
import { isVigieError, type PhoneCallHandler, type PlatformServices, type Trx } from '@vigie/platform/plugin';
import type { AbsenceRow } from './model.js';
import { OUTCOMES } from './texts.js';
import { PLUGIN_ID } from './settings.js';
import type { VisitOutcome } from './workflows/contract.js';

export const CONTACT_CALL_STATES = [
  'calling',
  'confirmed',
  'other_key',
  'heard',
  'no_answer',
  'busy',
  'refused',
  'failed',
  'invalid_number',
] as const;
export type ContactCall = (typeof CONTACT_CALL_STATES)[number];

/** « 01 64 17 47 00 » read digit pair by pair, as the French say a number. */
const spoken = (phone: string) =>
  phone
    .replace(/^\+33/, '0')
    .replace(/\D/g, '')
    .replace(/(\d{2})(?=\d)/g, '$1 ');

/** One call per anomaly visit; the visit's id is a UUID, so the key is also its own prefix. */
const callKey = (visitId: string) => `anomaly:${visitId}`;

/** What the call says, in the language the resident gave for the person to contact. */
function callWords(
  locale: 'fr' | 'en',
  commune: string,
  address: string,
  outcome: VisitOutcome,
  police: string | null,
): { message: string; prompt: string; confirmed: string } {
  if (locale === 'en')
    return {
      message:
        `Hello, this is the municipal police of ${commune}, with an automatic call. ` +
        `You are the person to contact for the home at ${address}, watched while its occupants are away. ` +
        `On our visit, we found: ${OUTCOMES[outcome].en}. ` +
        (police
          ? `Please call the municipal police back on ${police}.`
          : 'Please call the municipal police back.'),
      prompt: 'To confirm that you heard this message, press 1.',
      confirmed: 'Thank you, your confirmation is recorded. Goodbye.',
    };
  return {
    message:
      `Bonjour, ici la police municipale de ${commune}, par un appel automatique. ` +
      `Vous êtes la personne à prévenir pour le logement du ${address}, surveillé pendant l’absence de ses occupants. ` +
      `Lors de notre passage, nous avons constaté : ${OUTCOMES[outcome].fr}. ` +
      (police
        ? `Merci de rappeler la police municipale au ${police}.`
        : 'Merci de rappeler la police municipale.'),
    prompt: 'Pour confirmer que vous avez entendu ce message, appuyez sur 1.',
    confirmed: 'Merci, votre confirmation est enregistrée. Au revoir.',
  };
}

export async function callContact(
  services: PlatformServices,
  trx: Trx,
  row: AbsenceRow,
  visit: { id: string; outcome: VisitOutcome },
): Promise<ContactCall | null> {
  const to = row.details.contactPhone?.trim();
  if (!to) return null;
  const t = (await trx('tenants').where({ id: row.tenant_id }).first('name', 'settings')) as {
    name: string;
    settings: { police?: { phone?: string } } | null;
  };
  const police = t.settings?.police?.phone;
  const locale = row.details.contactLocale === 'en' ? 'en' : 'fr';
  const w = callWords(locale, t.name, row.address_label, visit.outcome, police ? spoken(police) : null);
  let state: ContactCall = 'calling';
  try {
    await services.phoneCalls.place(trx, {
      tenantId: row.tenant_id,
      handler: PLUGIN_ID,
      key: callKey(visit.id),
      to,
      locale,
      message: w.message,
      prompt: w.prompt,
      replies: { confirmed: w.confirmed },
      urgent: true,
      context: { visitId: visit.id, absenceId: row.id },
    });
  } catch (err) {
    if (!isVigieError(err) || err.code !== 'VOICE_NUMBER_INVALID') throw err;
    state = 'invalid_number';
  }
  await trx('tv_visits').where({ id: visit.id }).update({ contact_call: state, updated_at: new Date() });
  return state;
}

/** The calls to the persons to contact of these declarations' visits: forgotten with the declarations. */
export async function forgetContactCalls(
  services: PlatformServices,
  trx: Trx,
  absenceIds: string[],
): Promise<void> {
  if (absenceIds.length === 0) return;
  const visits = (await trx('tv_visits')
    .whereIn('absence_id', absenceIds)
    .whereNotNull('contact_call')
    .pluck('id')) as string[];
  for (const id of visits)
    await services.phoneCalls.forget(trx, { handler: PLUGIN_ID, keyPrefix: callKey(id) });
}

export function contactCallHandler(services: () => PlatformServices): PhoneCallHandler {
  return {
    id: PLUGIN_ID,
    pluginId: PLUGIN_ID,
    async settled(trx, call) {
      const { visitId, absenceId } = call.context as { visitId: string; absenceId: string };
      // Gone with the retention period or an erasure: nothing to keep.
      const n = await trx('tv_visits')
        .where({ id: visitId })
        .update({ contact_call: call.outcome, updated_at: new Date() });
      if (n === 0) return;
      await services().audit(trx, {
        tenantId: call.tenantId,
        actor: { type: 'system', id: null },
        action: `${PLUGIN_ID}.contact.called`,
        target: { type: 'absence', id: absenceId },
        meta: {
          visitId,
          callId: call.callId,
          outcome: call.outcome,
          reason: call.reason,
          attempts: call.attempts,
        },
      });
    },
  };
}
