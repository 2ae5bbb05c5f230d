// Plan canicule / grand froid: a CCAS agent activates the plan for the
// commune (recording the prefecture's level if there is one); its round
// workflow then reaches every person of the register each day, and the CCAS
// console shows, live, who answered, who did not, and who was visited. The
// deactivation ends the round; the activation keeps its counts for the report.
import type { Trx, VigieContext } from '@vigie/platform/plugin';
import { Type } from '@sinclair/typebox';
import { fail } from './errors.js';
import { audit, isId, parseInput, type PersonRow } from './model.js';
import { pairedVolunteer, recordSign } from './register.js';
import {
  CHANGED_SIGNAL,
  PLAN_ROUND_KIND,
  PLAN_ROUND_WORKFLOW,
  type PlanRoundInput,
} from './workflows/contract.js';

export interface ActivationRow {
  id: string;
  tenant_id: string;
  kind: 'canicule' | 'grand_froid';
  prefecture_level: string | null;
  started_by: string | null;
  started_at: Date;
  ended_at: Date | null;
  days: number;
  summary: Record<string, number>;
}

export interface ContactRow {
  id: string;
  activation_id: string;
  day: number;
  person_id: string;
  channel: 'landline' | 'mobile' | 'visit';
  status: 'pending' | 'answered' | 'not_answered' | 'visited';
  updated_at: Date;
}

const Activate = Type.Object(
  {
    kind: Type.Union([Type.Literal('canicule'), Type.Literal('grand_froid')]),
    prefectureLevel: Type.Optional(Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
);

export async function activate(ctx: VigieContext, trx: Trx, raw: unknown): Promise<ActivationRow> {
  ctx.authorize('solidarite.plan.manage');
  const me = ctx.requireAccount();
  const a = parseInput(Activate, raw);
  if (await trx('sol_activations').whereNull('ended_at').first('id')) throw fail('SOL_PLAN_ALREADY_ACTIVE');
  const [row] = (await trx('sol_activations')
    .insert({
      tenant_id: me.tenantId,
      kind: a.kind,
      prefecture_level: a.prefectureLevel ?? null,
      started_by: me.accountId,
    })
    .returning('*')) as ActivationRow[];
  await audit(ctx, trx, 'plan.activated', null, {
    activationId: row!.id,
    kind: a.kind,
    level: a.prefectureLevel ?? null,
  });
  return row!;
}

export async function deactivate(ctx: VigieContext, trx: Trx): Promise<ActivationRow> {
  ctx.authorize('solidarite.plan.manage');
  const me = ctx.requireAccount();
  const [row] = (await trx('sol_activations')
    .whereNull('ended_at')
    .update({ ended_at: new Date(), ended_by: me.accountId, updated_at: new Date() })
    .returning('*')) as ActivationRow[];
  if (!row) throw fail('SOL_PLAN_NOT_ACTIVE');
  await audit(ctx, trx, 'plan.deactivated', null, { activationId: row.id });
  return row;
}

export function planStart(ctx: VigieContext, activationId: string) {
  const tenant = ctx.requireTenant();
  const input: PlanRoundInput = { tenantId: tenant.id, activationId };
  return {
    ...ctx.services.workflows.options({ id: tenant.id, slug: tenant.slug }, PLAN_ROUND_KIND, activationId),
    args: [input] as [PlanRoundInput],
  };
}

/** After the commit: the round starts (activation) or hears it must end (deactivation). */
export async function signalRound(ctx: VigieContext, activationId: string): Promise<void> {
  await ctx.services.workflows.client().workflow.signalWithStart(PLAN_ROUND_WORKFLOW, {
    ...planStart(ctx, activationId),
    signal: CHANGED_SIGNAL,
    signalArgs: [],
  });
}

const OUTCOME = Type.Union([Type.Literal('answered'), Type.Literal('not_answered'), Type.Literal('visited')]);

/**
 * The outcome of one contact of today's round, recorded by the CCAS (a call
 * made), a paired volunteer (a visit, a call) or the person (« Je vais bien »).
 * Answered or visited is a sign of life for the check-in too.
 */
export async function recordContact(
  ctx: VigieContext,
  trx: Trx,
  contactId: string,
  outcome: unknown,
): Promise<{ contact: ContactRow; person: PersonRow }> {
  const me = ctx.requireAccount();
  const status = parseInput(OUTCOME, outcome);
  if (!isId(contactId)) throw fail('SOL_PERSON_NOT_FOUND');
  const c = (await trx('sol_round_contacts as c')
    .join('sol_activations as a', 'a.id', 'c.activation_id')
    .where('c.id', contactId)
    .forUpdate()
    .first('c.*', 'a.ended_at', 'a.days')) as
    (ContactRow & { ended_at: Date | null; days: number }) | undefined;
  if (!c) throw fail('SOL_PERSON_NOT_FOUND');
  const person = (await trx('sol_people').where({ id: c.person_id }).first()) as PersonRow | undefined;
  if (!person) throw fail('SOL_PERSON_NOT_FOUND');
  let source: 'ccas' | 'volunteer' | 'self';
  if (ctx.can('solidarite.plan.manage')) source = 'ccas';
  else if (person.account_id === me.accountId) source = 'self';
  else if (await pairedVolunteer(trx, person.id, me.accountId)) source = 'volunteer';
  else throw fail('SOL_PERSON_NOT_FOUND');
  // Only today's contact of a plan still active; the person only says they answered.
  if (c.ended_at || c.day !== c.days) throw fail('SOL_PLAN_NOT_ACTIVE');
  if (source === 'self' && status !== 'answered') throw fail('FORBIDDEN');
  const [contact] = (await trx('sol_round_contacts')
    .where({ id: c.id })
    .update({ status, by_account_id: me.accountId, updated_at: new Date() })
    .returning('*')) as ContactRow[];
  const next = status === 'not_answered' ? person : await recordSign(trx, person, 'round', me.accountId);
  await audit(ctx, trx, 'round.contact_recorded', person.id, {
    activationId: c.activation_id,
    day: c.day,
    status,
    source,
  });
  return { contact: contact!, person: next };
}

export async function counts(trx: Trx, activationId: string, day: number) {
  const rows = (await trx('sol_round_contacts')
    .where({ activation_id: activationId, day })
    .groupBy('status')
    .select('status')
    .count({ n: '*' })) as Array<{ status: ContactRow['status']; n: string }>;
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
  return {
    pending: by.pending ?? 0,
    answered: by.answered ?? 0,
    notAnswered: by.not_answered ?? 0,
    visited: by.visited ?? 0,
  };
}
