// Automatic calls to the register's landlines, through the core's
// services.phoneCalls: when an interval ends without news, and each day of a
// plan canicule / grand froid. The outcome comes back here (the core's
// phone-call workflow tells the handler in the commune's transaction): a 1 is
// a sign of life, as « OUI » by SMS is; anything else (no answer, busy,
// another key, a do-not-call number) moves the check-in to the volunteers at
// once. Neither the number nor the name travels in the call's context.
import type { PhoneCallHandler, PlatformServices, Trx } from '@vigie/platform/plugin';
import type { ActivationRow } from './plan.js';
import { recordSign } from './register.js';
import { callKeyOf, SEALED, type PersonRow } from './model.js';
import { PLUGIN_ID } from './settings.js';
import { texts } from './texts.js';
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

/** The person's landline, or null when they are reached another way. */
function landlineOf(services: PlatformServices, p: PersonRow): string | null {
  if (p.contact_method !== 'landline' || !p.phone_sealed) return null;
  return services.secrets.open(p.tenant_id, SEALED.phone, p.phone_sealed);
}

/** When an interval ended without news: « appuyez sur 1 si tout va bien ». False: no landline. */
export async function callForCheckIn(
  services: PlatformServices,
  trx: Trx,
  p: PersonRow,
  since: string,
): Promise<boolean> {
  const to = landlineOf(services, p);
  if (!to) return false;
  const t = texts.callPerson(p.first_name, (await communeOf(trx, p.tenant_id)).name);
  const context: CallContext = { kind: 'check-in', personId: p.id, since };
  await services.phoneCalls.place(trx, {
    tenantId: p.tenant_id,
    handler: PLUGIN_ID,
    key: `${callKeyOf(p.id)}check-in:${since}`,
    to,
    message: t.message,
    prompt: t.prompt,
    replies: t.replies,
    context,
  });
  return true;
}

/** A day of the plan: everyone with a landline is called. */
export async function callForRound(
  services: PlatformServices,
  trx: Trx,
  a: ActivationRow,
  day: number,
  people: PersonRow[],
): Promise<void> {
  const commune = (await communeOf(trx, a.tenant_id)).name;
  for (const p of people) {
    const to = landlineOf(services, p);
    if (!to) continue;
    const t = texts.callRound(p.first_name, commune, a.kind);
    const context: CallContext = { kind: 'round', personId: p.id, activationId: a.id, day };
    await services.phoneCalls.place(trx, {
      tenantId: p.tenant_id,
      handler: PLUGIN_ID,
      key: `${callKeyOf(p.id)}round:${a.id}:${day}`,
      to,
      message: t.message,
      prompt: t.prompt,
      replies: t.replies,
      context,
    });
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
