// The GraphQL of the solidarity register. The CCAS (and the mairie agent at
// the counter) see the register, each view audited; health notes are opened
// for CCAS agents only; a volunteer sees the first name and how to reach the
// people paired with them; a resident sees the entries they made. Nothing is
// ever shown to the rest of the community.
import type { PluginResolvers, Trx, VigieContext } from '@vigie/platform/plugin';
import { fail } from './errors.js';
import { audit, displayPhone, isId, SEALED, settingsOf, type PersonRow, type VolunteerRow } from './model.js';
import {
  enrol,
  newsReceived,
  offer,
  pair,
  personFor,
  recordSign,
  signalCheckIn,
  stepBack,
  unpair,
  update,
  withdraw,
} from './register.js';
import {
  activate,
  counts,
  deactivate,
  recordContact,
  signalRound,
  type ActivationRow,
  type ContactRow,
} from './plan.js';
import { dayMs } from './settings.js';

export const typeDefs = /* GraphQL */ `
  enum SolContactMethod {
    "Un appel sur une ligne fixe"
    landline
    "Un appel ou un SMS sur un mobile"
    mobile
    "La visite d'un voisin"
    visit
  }
  enum SolVisibility {
    "Le CCAS seul"
    ccas
    "Le CCAS et les bénévoles associés (prénom et moyen de contact)"
    ccas_and_volunteers
  }
  enum SolConsentBy {
    self
    relative
    agent
  }
  enum SolEscalation {
    none
    "The person was asked (an SMS to answer OUI)"
    person
    volunteer
    ccas
    police
  }
  enum SolPlanKind {
    canicule
    grand_froid
  }
  enum SolContactStatus {
    pending
    answered
    not_answered
    visited
  }
  enum SolOutcome {
    answered
    not_answered
    visited
  }

  type SolVolunteerRef {
    id: ID!
    displayName: String!
  }

  "An entry of the register, as the CCAS and the mairie agents see it (the person and who entered them see their own)."
  type SolPerson {
    id: ID!
    firstName: String!
    lastName: String!
    addressLabel: String!
    "The community (sector) of the address: volunteers are paired from it."
    communityId: ID
    contactMethod: SolContactMethod!
    phone: String
    intervalDays: Int!
    escalatePolice: Boolean!
    visibility: SolVisibility!
    consentBy: SolConsentBy!
    consentName: String
    consentAt: String!
    lastSignAt: String!
    "When the next sign of life is expected."
    nextSignDueAt: String!
    escalation: SolEscalation!
    escalatedAt: String
    "CCAS agents only (decrypted, audited)."
    healthNotes: String
    hasHealthNotes: Boolean!
    "The person's own account is the entry's."
    ownAccount: Boolean!
    "The language of the automatic calls and texts when the person has no account."
    locale: Locale!
    volunteers: [SolVolunteerRef!]!
  }

  type SolVolunteer {
    id: ID!
    displayName: String!
    availability: String!
    communityId: ID!
    communityName: String!
    pairedCount: Int!
  }

  "What a volunteer sees of a person they keep in touch with."
  type SolPaired {
    id: ID!
    firstName: String!
    contactMethod: SolContactMethod!
    "The phone number, or the address for a visit."
    contact: String!
    lastSignAt: String!
    nextSignDueAt: String!
    escalation: SolEscalation!
    "Today's contact of an active plan, if one is still to be made."
    roundContactId: ID
  }

  type SolMyVolunteering {
    volunteer: Boolean!
    availability: String
    people: [SolPaired!]!
  }

  "An entry the caller made, for themselves or a relative."
  type SolMyEntry {
    id: ID!
    firstName: String!
    lastName: String!
    forSelf: Boolean!
    intervalDays: Int!
    lastSignAt: String!
    "Today's contact of an active plan, still to be answered (« Je vais bien »)."
    roundContactId: ID
  }

  type SolCounts {
    pending: Int!
    answered: Int!
    notAnswered: Int!
    visited: Int!
  }

  type SolContact {
    id: ID!
    personId: ID!
    firstName: String!
    lastName: String!
    channel: SolContactMethod!
    phone: String
    addressLabel: String!
    status: SolContactStatus!
    updatedAt: String!
  }

  type SolActivation {
    id: ID!
    kind: SolPlanKind!
    prefectureLevel: String
    startedAt: String!
    endedAt: String
    "The round's current day (1 on the first)."
    day: Int!
    "Today's contacts, by status."
    counts: SolCounts!
    "Every day closed so far, added up (what the report keeps)."
    summary: SolCounts!
    "Every day of the round is closed and counted (the summary is final once the plan has ended)."
    closed: Boolean!
    contacts: [SolContact!]!
  }

  type SolSign {
    personId: ID!
    lastSignAt: String!
  }

  input SolPersonInput {
    firstName: String!
    lastName: String!
    "A BAN address of the commune (not needed for oneself: the verified residence is used)."
    addressId: ID
    contactMethod: SolContactMethod!
    phone: String
    "Every 1 to 15 days."
    intervalDays: Int!
    escalatePolice: Boolean!
    visibility: SolVisibility!
    "Must be true: the person's explicit consent."
    consent: Boolean!
    consentBy: SolConsentBy!
    "Who gave the consent, when it is not the person themselves speaking (a relative's name)."
    consentName: String
    healthNotes: String
    "The language of the automatic calls and texts when the person has no account (French by default)."
    locale: Locale
  }

  input SolPersonUpdate {
    intervalDays: Int
    escalatePolice: Boolean
    visibility: SolVisibility
    healthNotes: String
    clearHealthNotes: Boolean
    locale: Locale
  }

  extend type Query {
    "CCAS and mairie agents: the register (audited)."
    solRegister: [SolPerson!]!
    "One entry: the CCAS and mairie agents, the person, who entered them (audited)."
    solPerson(id: ID!): SolPerson
    "CCAS: the neighbours who volunteered."
    solVolunteers: [SolVolunteer!]!
    "The caller as a volunteer: the people paired with them."
    solMyVolunteering: SolMyVolunteering!
    "The entries the caller made (themselves, a relative)."
    solMyEntries: [SolMyEntry!]!
    "CCAS and mairie agents: the plan under way, if any, with today's contacts (live)."
    solPlan: SolActivation
    "CCAS and mairie agents: past activations and their counts."
    solActivations: [SolActivation!]!
  }

  extend type Mutation {
    solRegisterPerson(input: SolPersonInput!): SolPerson!
    solUpdatePerson(id: ID!, input: SolPersonUpdate!): SolPerson!
    "Consent withdrawn: the entry and everything about it are deleted."
    solWithdrawConsent(id: ID!): ID!
    solOfferToVolunteer(availability: String): SolMyVolunteering!
    solStepBack: Boolean!
    solPair(personId: ID!, volunteerId: ID!): SolPerson!
    solUnpair(personId: ID!, volunteerId: ID!): SolPerson!
    "« Nouvelles reçues »: a paired volunteer, the CCAS or the person."
    solNewsReceived(personId: ID!): SolSign!
    solActivatePlan(kind: SolPlanKind!, prefectureLevel: String): SolActivation!
    solDeactivatePlan: SolActivation!
    "The outcome of a contact of today's round."
    solRecordContact(contactId: ID!, outcome: SolOutcome!): SolContact!
    "The person: « Je vais bien » (a sign of life, and today's round answered)."
    solImFine: SolSign!
  }
`;

const MANAGE = 'solidarite.register.manage';
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function phoneOf(ctx: VigieContext, row: PersonRow): string | null {
  return row.phone_sealed
    ? displayPhone(ctx.services.secrets.open(row.tenant_id, SEALED.phone, row.phone_sealed))
    : null;
}

function nextDue(ctx: VigieContext, row: PersonRow): string {
  return new Date(row.last_sign_at.getTime() + row.interval_days * dayMs(settingsOf(ctx))).toISOString();
}

function personObj(ctx: VigieContext, row: PersonRow) {
  const me = ctx.requireAccount();
  const health = ctx.can('solidarite.health.read') && row.health_notes_sealed;
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    addressLabel: row.address_label,
    communityId: row.community_id,
    contactMethod: row.contact_method,
    phone: phoneOf(ctx, row),
    intervalDays: row.interval_days,
    escalatePolice: row.escalate_police,
    visibility: row.visibility,
    consentBy: row.consent_by,
    consentName: row.consent_name,
    consentAt: row.consent_at.toISOString(),
    lastSignAt: row.last_sign_at.toISOString(),
    nextSignDueAt: nextDue(ctx, row),
    escalation: row.escalation,
    escalatedAt: iso(row.escalated_at),
    healthNotes: health
      ? ctx.services.secrets.open(row.tenant_id, SEALED.health, row.health_notes_sealed!)
      : null,
    hasHealthNotes: row.health_notes_sealed !== null,
    ownAccount: row.account_id === me.accountId,
    locale: row.locale,
    _id: row.id,
  };
}

type Obj = ReturnType<typeof personObj>;

function activationObj(row: ActivationRow) {
  const s = row.summary as Record<string, number>;
  const closedDays = ((row.summary as Record<string, unknown>).closedDays as number[] | undefined) ?? [];
  return {
    id: row.id,
    kind: row.kind,
    prefectureLevel: row.prefecture_level,
    startedAt: row.started_at.toISOString(),
    endedAt: iso(row.ended_at),
    day: row.days,
    closed: row.days === 0 || closedDays.map(Number).includes(row.days),
    summary: {
      pending: 0,
      answered: s.answered ?? 0,
      notAnswered: s.notAnswered ?? 0,
      visited: s.visited ?? 0,
    },
    _row: row,
  };
}
type ActivationObj = ReturnType<typeof activationObj>;

/** Today's pending contact of the active plan for these people. */
async function openContacts(trx: Trx, personIds: string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = (await trx('sol_round_contacts as c')
    .join('sol_activations as a', function () {
      this.on('a.id', '=', 'c.activation_id').andOn('a.days', '=', 'c.day');
    })
    .whereNull('a.ended_at')
    .where('c.status', 'pending')
    .whereIn('c.person_id', personIds)
    .select('c.id', 'c.person_id')) as Array<{ id: string; person_id: string }>;
  return new Map(rows.map((r) => [r.person_id, r.id]));
}

async function myVolunteering(ctx: VigieContext, trx: Trx) {
  const me = ctx.requireAccount();
  const v = (await trx('sol_volunteers').where({ account_id: me.accountId }).first()) as
    VolunteerRow | undefined;
  if (!v) return { volunteer: false, availability: null, people: [] };
  const rows = (await trx('sol_pairings as p')
    .join('sol_people as s', 's.id', 'p.person_id')
    .where('p.volunteer_id', v.id)
    .orderBy('s.first_name')
    .select('s.*')) as PersonRow[];
  const open = await openContacts(
    trx,
    rows.map((r) => r.id),
  );
  await audit(ctx, trx, 'volunteer.people_viewed', null, { personIds: rows.map((r) => r.id) });
  return {
    volunteer: true,
    availability: v.availability,
    people: rows.map((r) => ({
      id: r.id,
      firstName: r.first_name,
      contactMethod: r.contact_method,
      contact: r.contact_method === 'visit' ? r.address_label : (phoneOf(ctx, r) ?? r.address_label),
      lastSignAt: r.last_sign_at.toISOString(),
      nextSignDueAt: nextDue(ctx, r),
      escalation: r.escalation,
      roundContactId: open.get(r.id) ?? null,
    })),
  };
}

function contactObj(ctx: VigieContext, c: ContactRow, p: PersonRow) {
  return {
    id: c.id,
    personId: p.id,
    firstName: p.first_name,
    lastName: p.last_name,
    channel: c.channel,
    phone: phoneOf(ctx, p),
    addressLabel: p.address_label,
    status: c.status,
    updatedAt: c.updated_at.toISOString(),
  };
}

export const resolvers: PluginResolvers = {
  Query: {
    solRegister: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize(MANAGE);
        const rows = (await trx('sol_people')
          .orderBy(['last_name', 'first_name'])
          .limit(2000)) as PersonRow[];
        await audit(ctx, trx, 'register.listed', null, { count: rows.length });
        return rows.map((r) => personObj(ctx, r));
      }),
    solPerson: (_r, { id }: { id: string }, ctx) =>
      ctx.tx(async (trx) => {
        ctx.requireAccount();
        if (!isId(id)) return null;
        let row: PersonRow;
        try {
          row = await personFor(ctx, trx, id);
        } catch {
          return null;
        }
        await audit(ctx, trx, 'person.viewed', row.id, { healthNotes: ctx.can('solidarite.health.read') });
        return personObj(ctx, row);
      }),
    solVolunteers: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize('solidarite.pairing.manage');
        const rows = (await trx('sol_volunteers as v')
          .leftJoin('sectors as s', 's.id', 'v.community_id')
          .orderBy('v.created_at')
          .select(
            'v.*',
            's.name as community_name',
            trx.raw('(select count(*) from sol_pairings p where p.volunteer_id = v.id)::int as paired'),
          )) as Array<VolunteerRow & { community_name: string | null; paired: number }>;
        const names = await ctx.services.accounts.displayNames(
          trx,
          rows.map((r) => r.account_id),
        );
        return rows.map((r) => ({
          id: r.id,
          displayName: names.get(r.account_id) ?? '—',
          availability: r.availability,
          communityId: r.community_id,
          communityName: r.community_name ?? '—',
          pairedCount: r.paired,
        }));
      }),
    solMyVolunteering: (_r, _a, ctx) => ctx.tx((trx) => myVolunteering(ctx, trx)),
    solMyEntries: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        const me = ctx.requireAccount();
        const rows = (await trx('sol_people')
          .where({ account_id: me.accountId })
          .orWhere({ recorded_by: me.accountId })
          .orderBy('created_at')) as PersonRow[];
        const open = await openContacts(
          trx,
          rows.map((r) => r.id),
        );
        return rows.map((r) => ({
          id: r.id,
          firstName: r.first_name,
          lastName: r.last_name,
          forSelf: r.account_id === me.accountId,
          intervalDays: r.interval_days,
          lastSignAt: r.last_sign_at.toISOString(),
          roundContactId: r.account_id === me.accountId ? (open.get(r.id) ?? null) : null,
        }));
      }),
    solPlan: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize('solidarite.plan.manage');
        const row = (await trx('sol_activations').whereNull('ended_at').first()) as ActivationRow | undefined;
        return row ? activationObj(row) : null;
      }),
    solActivations: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize('solidarite.plan.manage');
        const rows = (await trx('sol_activations')
          .orderBy('started_at', 'desc')
          .limit(50)) as ActivationRow[];
        return rows.map(activationObj);
      }),
  },
  Mutation: {
    solRegisterPerson: async (_r, { input }: { input: unknown }, ctx) => {
      const row = await ctx.tx((trx) => enrol(ctx, trx, input));
      await signalCheckIn(ctx, row.id);
      return personObj(ctx, row);
    },
    solUpdatePerson: async (_r, a: { id: string; input: unknown }, ctx) => {
      const row = await ctx.tx((trx) => update(ctx, trx, a.id, a.input));
      await signalCheckIn(ctx, row.id);
      return personObj(ctx, row);
    },
    solWithdrawConsent: async (_r, { id }: { id: string }, ctx) => {
      const gone = await ctx.tx((trx) => withdraw(ctx, trx, id));
      await signalCheckIn(ctx, gone, false);
      return gone;
    },
    solOfferToVolunteer: (_r, a: { availability?: string | null }, ctx) =>
      ctx.tx(async (trx) => {
        await offer(ctx, trx, a.availability ?? '');
        return myVolunteering(ctx, trx);
      }),
    solStepBack: (_r, _a, ctx) => ctx.tx((trx) => stepBack(ctx, trx)),
    solPair: (_r, a: { personId: string; volunteerId: string }, ctx) =>
      ctx.tx(async (trx) => personObj(ctx, await pair(ctx, trx, a.personId, a.volunteerId))),
    solUnpair: (_r, a: { personId: string; volunteerId: string }, ctx) =>
      ctx.tx(async (trx) => personObj(ctx, await unpair(ctx, trx, a.personId, a.volunteerId))),
    solNewsReceived: async (_r, { personId }: { personId: string }, ctx) => {
      const row = await ctx.tx((trx) => newsReceived(ctx, trx, personId));
      await signalCheckIn(ctx, row.id);
      return { personId: row.id, lastSignAt: row.last_sign_at.toISOString() };
    },
    solActivatePlan: async (_r, a: { kind: string; prefectureLevel?: string | null }, ctx) => {
      const row = await ctx.tx((trx) =>
        activate(ctx, trx, {
          kind: a.kind,
          ...(a.prefectureLevel ? { prefectureLevel: a.prefectureLevel } : {}),
        }),
      );
      await signalRound(ctx, row.id);
      return activationObj(row);
    },
    solDeactivatePlan: async (_r, _a, ctx) => {
      const row = await ctx.tx((trx) => deactivate(ctx, trx));
      await signalRound(ctx, row.id);
      return activationObj(row);
    },
    solRecordContact: async (_r, a: { contactId: string; outcome: string }, ctx) => {
      const { contact, person } = await ctx.tx((trx) => recordContact(ctx, trx, a.contactId, a.outcome));
      if (contact.status !== 'not_answered') await signalCheckIn(ctx, person.id);
      return contactObj(ctx, contact, person);
    },
    solImFine: async (_r, _a, ctx) => {
      const me = ctx.requireAccount();
      const row = await ctx.tx(async (trx) => {
        const person = (await trx('sol_people').where({ account_id: me.accountId }).forUpdate().first()) as
          PersonRow | undefined;
        if (!person) throw fail('SOL_PERSON_NOT_FOUND');
        const open = await openContacts(trx, [person.id]);
        const contactId = open.get(person.id);
        if (contactId)
          await trx('sol_round_contacts')
            .where({ id: contactId })
            .update({ status: 'answered', by_account_id: me.accountId, updated_at: new Date() });
        const next = await recordSign(trx, person, 'self', me.accountId);
        await audit(ctx, trx, 'sign.recorded', person.id, {
          source: 'self',
          roundContactId: contactId ?? null,
        });
        return next;
      });
      await signalCheckIn(ctx, row.id);
      return { personId: row.id, lastSignAt: row.last_sign_at.toISOString() };
    },
  },
};

export const loaders = {
  SolPerson: {
    volunteers: async (queries: Array<{ obj: Obj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('sol_pairings as p')
          .join('sol_volunteers as v', 'v.id', 'p.volunteer_id')
          .whereIn(
            'p.person_id',
            queries.map((q) => q.obj._id),
          )
          .select('p.person_id', 'v.id', 'v.account_id')) as Array<{
          person_id: string;
          id: string;
          account_id: string;
        }>;
        // Names of volunteers only for who keeps the register.
        const names = ctx.can(MANAGE)
          ? await ctx.services.accounts.displayNames(
              trx,
              rows.map((r) => r.account_id),
            )
          : new Map<string, string>();
        return queries.map((q) =>
          rows
            .filter((r) => r.person_id === q.obj._id)
            .map((r) => ({ id: r.id, displayName: names.get(r.account_id) ?? 'Bénévole' })),
        );
      }),
  },
  SolActivation: {
    counts: async (queries: Array<{ obj: ActivationObj }>, ctx: VigieContext) =>
      ctx.tx((trx) => Promise.all(queries.map((q) => counts(trx, q.obj.id, q.obj.day)))),
    contacts: async (queries: Array<{ obj: ActivationObj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        ctx.authorize('solidarite.plan.manage');
        return Promise.all(
          queries.map(async (q) => {
            const rows = (await trx('sol_round_contacts as c')
              .join('sol_people as p', 'p.id', 'c.person_id')
              .where({ 'c.activation_id': q.obj.id, 'c.day': q.obj.day })
              .orderBy(['p.last_name', 'p.first_name'])
              .select('c.*', trx.raw('row_to_json(p.*) as person'))) as Array<
              ContactRow & { person: Record<string, unknown> }
            >;
            await audit(ctx, trx, 'round.listed', null, { activationId: q.obj.id, day: q.obj.day });
            return rows.map((r) => {
              const p = r.person as unknown as PersonRow;
              return contactObj(ctx, r, { ...p, tenant_id: p.tenant_id, phone_sealed: p.phone_sealed });
            });
          }),
        );
      }),
  },
};
