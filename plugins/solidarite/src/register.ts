// The register itself: entering a person with their consent (themselves, a
// relative, or a CCAS or mairie agent at the counter), withdrawing consent
// (the entry and everything about it deleted at once), neighbours volunteering,
// the CCAS pairing a person with one or two of them, and signs of life. Every
// change is audited without names, and signalled to the person's check-in
// workflow once it has committed.
import type { Trx, VigieContext } from '@vigie/platform/plugin';
import { fail } from './errors.js';
import {
  audit,
  callKeyOf,
  isId,
  normalisePhone,
  parseInput,
  PersonInput,
  SEALED,
  tell,
  type PersonRow,
  type VolunteerRow,
} from './model.js';
import { texts } from './texts.js';
import { PLUGIN_ID } from './settings.js';
import { Type } from '@sinclair/typebox';
import { CHANGED_SIGNAL, CHECK_IN_KIND, CHECK_IN_WORKFLOW, type CheckInInput } from './workflows/contract.js';

const MANAGE = 'solidarite.register.manage';
const JOIN = 'solidarite.register.join';

async function addressOf(trx: Trx, id: string) {
  if (!isId(id)) throw fail('SOL_ADDRESS_UNKNOWN');
  const a = (await trx('addresses').where({ id }).first('id', 'numero', 'rep', 'nom_voie', 'sector_id')) as
    | { id: string; numero: number; rep: string | null; nom_voie: string; sector_id: string | null }
    | undefined;
  if (!a) throw fail('SOL_ADDRESS_UNKNOWN');
  return {
    addressId: a.id,
    label: `${a.numero}${a.rep ? ` ${a.rep}` : ''} ${a.nom_voie}`,
    communityId: a.sector_id,
  };
}

async function residenceOf(trx: Trx, accountId: string) {
  const r = (await trx('residences')
    .where({ account_id: accountId, status: 'active' })
    .first('address_id', 'address_label', 'sector_id')) as
    { address_id: string | null; address_label: string | null; sector_id: string | null } | undefined;
  if (!r) return undefined;
  if (r.address_id) return { ...(await addressOf(trx, r.address_id)), communityId: r.sector_id };
  return { addressId: null, label: r.address_label ?? '', communityId: r.sector_id };
}

/** Enters a person in the register. Returns the row; the caller starts the workflow after the commit. */
export async function enrol(ctx: VigieContext, trx: Trx, raw: unknown): Promise<PersonRow> {
  const me = ctx.requireAccount();
  const staff = ctx.can(MANAGE);
  if (!staff) ctx.authorize(JOIN);
  const i = parseInput(PersonInput, raw);
  if (!i.consent) throw fail('SOL_CONSENT_REQUIRED');
  // Who consented: a resident enters themselves or a relative; an agent records it at the counter.
  if (!staff && i.consentBy === 'agent') throw fail('FORBIDDEN');
  if (i.consentBy !== 'self' && !i.consentName)
    throw fail('VALIDATION_FAILED', 'Indiquez qui a donné son consentement (la personne ou son proche).');
  let phone: string | null = null;
  if (i.contactMethod !== 'visit') {
    if (!i.phone) throw fail('SOL_PHONE_REQUIRED');
    phone = normalisePhone(i.phone, i.contactMethod);
  } else if (i.phone) phone = normalisePhone(i.phone, 'landline');

  // A resident who enters themselves is at their verified residence, with their account.
  const self = !staff && i.consentBy === 'self';
  const place = self
    ? await residenceOf(trx, me.accountId)
    : i.addressId
      ? await addressOf(trx, i.addressId)
      : undefined;
  if (!place) throw fail('SOL_ADDRESS_UNKNOWN');
  if (self && (await trx('sol_people').where({ account_id: me.accountId }).first('id')))
    throw fail('SOL_ALREADY_REGISTERED');

  const tenantId = me.tenantId;
  const seal = (purpose: string, v: string) => ctx.services.secrets.seal(tenantId, purpose, v);
  const now = new Date();
  const [row] = (await trx('sol_people')
    .insert({
      tenant_id: tenantId,
      account_id: self ? me.accountId : null,
      first_name: i.firstName,
      last_name: i.lastName,
      address_id: place.addressId,
      address_label: place.label,
      community_id: place.communityId,
      contact_method: i.contactMethod,
      phone_sealed: phone ? seal(SEALED.phone, phone) : null,
      interval_days: i.intervalDays,
      escalate_police: i.escalatePolice,
      visibility: i.visibility,
      consent_by: i.consentBy,
      consent_name: i.consentBy === 'self' ? null : i.consentName,
      consent_at: now,
      recorded_by: me.accountId,
      health_notes_sealed: i.healthNotes ? seal(SEALED.health, i.healthNotes) : null,
      health_notes_at: i.healthNotes ? now : null,
      last_sign_at: now,
      locale: i.locale ?? 'fr',
    })
    .returning('*')) as PersonRow[];
  await audit(ctx, trx, 'person.registered', row!.id, {
    consentBy: i.consentBy,
    contactMethod: i.contactMethod,
    intervalDays: i.intervalDays,
    escalatePolice: i.escalatePolice,
    visibility: i.visibility,
  });
  return row!;
}

/** Who may see and withdraw an entry: the CCAS and mairie agents, the person, who entered them. */
export async function personFor(ctx: VigieContext, trx: Trx, id: string, lock = false): Promise<PersonRow> {
  const me = ctx.requireAccount();
  if (!isId(id)) throw fail('SOL_PERSON_NOT_FOUND');
  const q = trx('sol_people').where({ id });
  if (lock) q.forUpdate();
  const row = (await q.first()) as PersonRow | undefined;
  if (!row) throw fail('SOL_PERSON_NOT_FOUND');
  if (ctx.can(MANAGE)) return row;
  // Anyone else is told "not found": an entry's existence is private.
  if (row.account_id === me.accountId || row.recorded_by === me.accountId) return row;
  throw fail('SOL_PERSON_NOT_FOUND');
}

/** Consent withdrawn: the entry, its pairings, signs, round contacts and calls are deleted at once. */
export async function withdraw(ctx: VigieContext, trx: Trx, id: string): Promise<string> {
  const row = await personFor(ctx, trx, id, true);
  await trx('sol_people').where({ id: row.id }).delete();
  // The calls to their landline (number sealed, their first name in the words) go with the entry.
  await ctx.services.phoneCalls.forget(trx, { handler: PLUGIN_ID, keyPrefix: callKeyOf(row.id) });
  await audit(ctx, trx, 'person.withdrawn', row.id, {
    byPerson: row.account_id === ctx.requireAccount().accountId,
  });
  return row.id;
}

const Update = Type.Object(
  {
    intervalDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 15, errorMessage: 'Des nouvelles tous les 1 à 15 jours.' }),
    ),
    escalatePolice: Type.Optional(Type.Boolean()),
    visibility: Type.Optional(Type.Union([Type.Literal('ccas'), Type.Literal('ccas_and_volunteers')])),
    healthNotes: Type.Optional(Type.String({ maxLength: 2000 })),
    clearHealthNotes: Type.Optional(Type.Boolean()),
    locale: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);

/** The person's settings; health notes only by the CCAS. */
export async function update(ctx: VigieContext, trx: Trx, id: string, raw: unknown): Promise<PersonRow> {
  const row = await personFor(ctx, trx, id, true);
  const u = parseInput(Update, raw);
  const patch: Record<string, unknown> = { updated_at: new Date() };
  if (u.intervalDays !== undefined) patch.interval_days = u.intervalDays;
  if (u.escalatePolice !== undefined) patch.escalate_police = u.escalatePolice;
  if (u.locale !== undefined) patch.locale = u.locale;
  if (u.visibility !== undefined) {
    patch.visibility = u.visibility;
    // Only the CCAS from now on: the volunteers let go at once.
    if (u.visibility === 'ccas') await trx('sol_pairings').where({ person_id: row.id }).delete();
  }
  if (u.healthNotes !== undefined || u.clearHealthNotes) {
    ctx.authorize('solidarite.health.read');
    patch.health_notes_sealed = u.clearHealthNotes
      ? null
      : ctx.services.secrets.seal(row.tenant_id, SEALED.health, u.healthNotes!);
    patch.health_notes_at = u.clearHealthNotes ? null : new Date();
  }
  const [next] = (await trx('sol_people').where({ id: row.id }).update(patch).returning('*')) as PersonRow[];
  await audit(ctx, trx, 'person.updated', row.id, {
    fields: Object.keys(u).filter((k) => k !== 'healthNotes'),
    healthNotes: u.healthNotes !== undefined || Boolean(u.clearHealthNotes),
  });
  return next!;
}

/** A verified neighbour of a community offers to keep in touch. */
export async function offer(ctx: VigieContext, trx: Trx, availability: string): Promise<VolunteerRow> {
  ctx.authorize('solidarite.volunteer.offer');
  const me = ctx.requireAccount();
  const community = await ctx.services.communities.of(trx, me.accountId);
  if (!community) throw fail('SOL_VOLUNTEER_NOT_VERIFIED');
  const text = parseInput(Type.String({ maxLength: 500 }), availability || '-');
  const [row] = (await trx('sol_volunteers')
    .insert({
      tenant_id: me.tenantId,
      account_id: me.accountId,
      community_id: community.id,
      availability: text === '-' ? '' : text,
    })
    .onConflict(['tenant_id', 'account_id'])
    .merge(['community_id', 'availability', 'updated_at'])
    .returning('*')) as VolunteerRow[];
  await audit(ctx, trx, 'volunteer.offered', null, { volunteerId: row!.id });
  return row!;
}

/** A volunteer steps back: their pairings end; the CCAS is told which people are left without one. */
export async function stepBack(ctx: VigieContext, trx: Trx): Promise<boolean> {
  const me = ctx.requireAccount();
  const row = (await trx('sol_volunteers').where({ account_id: me.accountId }).first()) as
    VolunteerRow | undefined;
  if (!row) return false;
  const people: string[] = await trx('sol_pairings').where({ volunteer_id: row.id }).pluck('person_id');
  await trx('sol_volunteers').where({ id: row.id }).delete();
  await audit(ctx, trx, 'volunteer.withdrawn', null, { volunteerId: row.id, personIds: people });
  return true;
}

export async function pair(
  ctx: VigieContext,
  trx: Trx,
  personId: string,
  volunteerId: string,
): Promise<PersonRow> {
  ctx.authorize('solidarite.pairing.manage');
  const person = await personFor(ctx, trx, personId, true);
  if (person.visibility === 'ccas') throw fail('SOL_VOLUNTEERS_NOT_ALLOWED');
  if (!isId(volunteerId)) throw fail('SOL_NOT_A_VOLUNTEER');
  const v = (await trx('sol_volunteers').where({ id: volunteerId }).first()) as VolunteerRow | undefined;
  if (!v) throw fail('SOL_NOT_A_VOLUNTEER');
  // Still a verified member of the same community as the person.
  const community = await ctx.services.communities.of(trx, v.account_id);
  if (!community || community.id !== person.community_id || v.community_id !== person.community_id)
    throw fail('SOL_OTHER_COMMUNITY');
  if (v.account_id === person.account_id) throw fail('SOL_NOT_A_VOLUNTEER');
  const already = await trx('sol_pairings').where({ person_id: person.id }).pluck('volunteer_id');
  if (already.includes(v.id)) return person;
  if (already.length >= 2) throw fail('SOL_TOO_MANY_VOLUNTEERS');
  await trx('sol_pairings').insert({
    tenant_id: person.tenant_id,
    person_id: person.id,
    volunteer_id: v.id,
    paired_by: ctx.requireAccount().accountId,
  });
  await audit(ctx, trx, 'person.paired', person.id, { volunteerId: v.id });
  await tell(
    ctx.services,
    trx,
    person.tenant_id,
    [v.account_id],
    'paired',
    texts.paired(person.first_name),
    '/solidarite',
    { personId: person.id },
    `solidarite.paired:${person.id}:${v.id}`,
  );
  return person;
}

export async function unpair(
  ctx: VigieContext,
  trx: Trx,
  personId: string,
  volunteerId: string,
): Promise<PersonRow> {
  ctx.authorize('solidarite.pairing.manage');
  const person = await personFor(ctx, trx, personId, true);
  if (isId(volunteerId))
    await trx('sol_pairings').where({ person_id: person.id, volunteer_id: volunteerId }).delete();
  await audit(ctx, trx, 'person.unpaired', person.id, { volunteerId });
  return person;
}

export type SignSource = 'volunteer' | 'ccas' | 'self' | 'round';

/** The volunteer paired with the person, if the caller is one. */
export async function pairedVolunteer(trx: Trx, personId: string, accountId: string): Promise<boolean> {
  return Boolean(
    await trx('sol_pairings as p')
      .join('sol_volunteers as v', 'v.id', 'p.volunteer_id')
      .where({ 'p.person_id': personId, 'v.account_id': accountId })
      .first('p.id'),
  );
}

/** Records news of the person: a new interval starts, and any escalation under way stops. */
export async function recordSign(
  trx: Trx,
  person: PersonRow,
  source: SignSource,
  byAccountId: string | null,
): Promise<PersonRow> {
  const now = new Date();
  await trx('sol_signs').insert({
    tenant_id: person.tenant_id,
    person_id: person.id,
    at: now,
    source,
    by_account_id: byAccountId,
  });
  const [next] = (await trx('sol_people')
    .where({ id: person.id })
    .update({ last_sign_at: now, escalation: 'none', escalated_at: null, updated_at: now })
    .returning('*')) as PersonRow[];
  return next!;
}

/** News recorded by a paired volunteer, the CCAS, or the person themselves. */
export async function newsReceived(ctx: VigieContext, trx: Trx, personId: string): Promise<PersonRow> {
  const me = ctx.requireAccount();
  if (!isId(personId)) throw fail('SOL_PERSON_NOT_FOUND');
  const person = (await trx('sol_people').where({ id: personId }).forUpdate().first()) as
    PersonRow | undefined;
  if (!person) throw fail(ctx.can(MANAGE) ? 'SOL_PERSON_NOT_FOUND' : 'SOL_NOT_PAIRED');
  let source: SignSource;
  if (person.account_id === me.accountId) source = 'self';
  else if (await pairedVolunteer(trx, person.id, me.accountId)) source = 'volunteer';
  else if (ctx.can(MANAGE)) source = 'ccas';
  else throw fail('SOL_NOT_PAIRED');
  const next = await recordSign(trx, person, source, me.accountId);
  await audit(ctx, trx, 'sign.recorded', person.id, { source });
  return next;
}

export function checkInStart(tenant: { id: string; slug: string }, ctx: VigieContext, personId: string) {
  const input: CheckInInput = { tenantId: tenant.id, personId };
  return {
    ...ctx.services.workflows.options(tenant, CHECK_IN_KIND, personId),
    args: [input] as [CheckInInput],
  };
}

/** After the change has committed: the person's workflow reads the entry again (started if need be). */
export async function signalCheckIn(ctx: VigieContext, personId: string, start = true): Promise<void> {
  const tenant = ctx.requireTenant();
  const client = ctx.services.workflows.client();
  if (start) {
    await client.workflow.signalWithStart(CHECK_IN_WORKFLOW, {
      ...checkInStart({ id: tenant.id, slug: tenant.slug }, ctx, personId),
      signal: CHANGED_SIGNAL,
      signalArgs: [],
    });
    return;
  }
  const id = ctx.services.workflows.options(
    { id: tenant.id, slug: tenant.slug },
    CHECK_IN_KIND,
    personId,
  ).workflowId;
  try {
    await client.workflow.getHandle(id).signal(CHANGED_SIGNAL);
  } catch (err) {
    // Already over (consent withdrawn twice, plugin switched off): nothing to tell.
    if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
  }
}
