// Automatic calls to the register's phones, through the core's
// services.phoneCalls: when an interval ends without news, and each day of a
// plan canicule / grand froid. A landline is called (« appuyez sur 1 »); a
// mobile with no Vigie account is texted (« répondez OUI »), the reply from
// that number standing for the key (an account is asked in Vigie and by
// notice instead). The outcome comes back here (the core's phone-call
// workflow tells the handler in the commune's transaction): a 1 or OUI is a
// sign of life; anything else (no answer, busy, another key or text, a
// do-not-call or opted-out number) moves the check-in to the volunteers at
// once. Neither the number nor the name travels in the call's context.
import type { PhoneCallHandler, PhoneCallRequest, PlatformServices, Trx } from '@vigie/platform/plugin';
import type { ActivationRow } from './plan.js';
import { recordSign } from './register.js';
import { callKeyOf, SEALED, type PersonRow } from './model.js';
import { dayMs, PLUGIN_ID, settingsFrom } from './settings.js';
import { texts, type CallWords } from './texts.js';
import { CHANGED_SIGNAL, CHECK_IN_KIND } from './workflows/contract.js';

type CallContext =
  | { kind: 'check-in'; personId: string; since: string }
  | { kind: 'round'; personId: string; activationId: string; day: number };

async function communeOf(trx: Trx, tenantId: string): Promise<{ name: string; slug: string }> {
  return (await trx('tenants').where({ id: tenantId }).first('name', 'slug')) as {
    name: string;
    slug: string;
  };
}

/** How the person is reached by the core: their landline called, their mobile texted (no account), or neither. */
function phoneOf(services: PlatformServices, p: PersonRow): { to: string; channel: 'voice' | 'sms' } | null {
  if (!p.phone_sealed) return null;
  const channel =
    p.contact_method === 'landline' ? 'voice' : p.contact_method === 'mobile' && !p.account_id ? 'sms' : null;
  if (!channel) return null;
  return { to: services.secrets.open(p.tenant_id, SEALED.phone, p.phone_sealed), channel };
}

/** The register's "day" in seconds, at least one: how long a text's reply is awaited, per day. */
async function daySeconds(services: PlatformServices, trx: Trx): Promise<number> {
  const s = settingsFrom(await services.plugins.settings(trx, PLUGIN_ID));
  return Math.max(1, Math.round(dayMs(s) / 1000));
}

function request(
  p: PersonRow,
  phone: { to: string; channel: 'voice' | 'sms' },
  words: CallWords,
  key: string,
  context: CallContext,
  replyWithinSeconds: number,
): PhoneCallRequest {
  return {
    tenantId: p.tenant_id,
    handler: PLUGIN_ID,
    key: `${callKeyOf(p.id)}${key}`,
    to: phone.to,
    channel: phone.channel,
    // The voice and the platform's own sentences (« Je répète. ») in the person's language.
    locale: p.locale,
    message: words.message,
    prompt: words.prompt,
    replies: words.replies,
    context,
    ...(phone.channel === 'sms' ? { replyWithinSeconds } : {}),
  };
}

/**
 * When an interval ended without news: « appuyez sur 1 » on a landline,
 * « répondez OUI » by SMS to a mobile with no account. False: neither.
 */
export async function callForCheckIn(
  services: PlatformServices,
  trx: Trx,
  p: PersonRow,
  since: string,
): Promise<boolean> {
  const phone = phoneOf(services, p);
  if (!phone) return false;
  const commune = (await communeOf(trx, p.tenant_id)).name;
  const words =
    phone.channel === 'sms'
      ? texts.textPerson(p.first_name, commune, p.locale)
      : texts.callPerson(p.first_name, commune, p.locale);
  const context: CallContext = { kind: 'check-in', personId: p.id, since };
  // A reply counts until the next interval would begin: a late OUI is still news.
  const within = (await daySeconds(services, trx)) * p.interval_days;
  await services.phoneCalls.place(trx, request(p, phone, words, `check-in:${since}`, context, within));
  return true;
}

/** A day of the plan: every landline is called, every mobile with no account texted. */
export async function callForRound(
  services: PlatformServices,
  trx: Trx,
  a: ActivationRow,
  day: number,
  people: PersonRow[],
): Promise<void> {
  const commune = (await communeOf(trx, a.tenant_id)).name;
  const within = await daySeconds(services, trx);
  for (const p of people) {
    const phone = phoneOf(services, p);
    if (!phone) continue;
    const words =
      phone.channel === 'sms'
        ? texts.textRound(p.first_name, commune, a.kind, p.locale)
        : texts.callRound(p.first_name, commune, a.kind, p.locale);
    const context: CallContext = { kind: 'round', personId: p.id, activationId: a.id, day };
    await services.phoneCalls.place(trx, request(p, phone, words, `round:${a.id}:${day}`, context, within));
  }
}

async function wake(services: PlatformServices, trx: Trx, tenantId: string, kind: string, key: string) {
  const { slug } = await communeOf(trx, tenantId);
  const id = services.workflows.options({ id: tenantId, slug }, kind, key).workflowId;
  return async () => {
    try {
      await services.workflows.client().workflow.getHandle(id).signal(CHANGED_SIGNAL);
    } catch (err) {
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
    }
  };
}

export function phoneCallHandler(services: () => PlatformServices): PhoneCallHandler {
  return {
    id: PLUGIN_ID,
    pluginId: PLUGIN_ID,
    async settled(trx, call) {
      const s = services();
      const c = call.context as CallContext;
      const person = (await trx('sol_people').where({ id: c.personId }).forUpdate().first()) as
        PersonRow | undefined;
      // Consent withdrawn meanwhile: nothing is left to tell.
      if (!person) return;
      const audit = (action: string, meta: Record<string, unknown>) =>
        s.audit(trx, {
          tenantId: call.tenantId,
          actor: { type: 'system', id: null },
          action: `${PLUGIN_ID}.${action}`,
          target: { type: 'sol_person', id: person.id },
          meta: { callId: call.callId, ...meta },
        });
      if (c.kind === 'round') {
        if (call.outcome !== 'confirmed') return;
        const open = (await trx('sol_round_contacts as r')
          .join('sol_activations as a', 'a.id', 'r.activation_id')
          .whereNull('a.ended_at')
          .where({
            'r.activation_id': c.activationId,
            'r.day': c.day,
            'r.person_id': person.id,
            'r.status': 'pending',
          })
          .first('r.id')) as { id: string } | undefined;
        if (open)
          await trx('sol_round_contacts')
            .where({ id: open.id })
            .update({ status: 'answered', updated_at: new Date() });
        await recordSign(trx, person, 'self', null);
        await audit('sign.recorded', { source: 'call', roundContactId: open?.id ?? null });
        // A sign of life starts a new interval of the check-in too.
        return { afterCommit: await wake(s, trx, call.tenantId, CHECK_IN_KIND, person.id) };
      }
      // News came in meanwhile (a new interval): this call's answer is not needed any more.
      if (person.last_sign_at.toISOString() !== c.since) return;
      if (call.outcome === 'confirmed') {
        await recordSign(trx, person, 'self', null);
        await audit('sign.recorded', { source: 'call' });
      } else {
        await trx('sol_people')
          .where({ id: person.id })
          .update({ person_call_unanswered_for: person.last_sign_at, updated_at: new Date() });
        await audit('call.unanswered', {
          outcome: call.outcome,
          reason: call.reason,
          attempts: call.attempts,
        });
      }
      return { afterCommit: await wake(s, trx, call.tenantId, CHECK_IN_KIND, person.id) };
    },
  };
}
