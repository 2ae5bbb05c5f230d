// Community events (fête des voisins, welcome of a new neighbour): a date, a
// place, RSVPs, and a durable reminder the day before (reminders.ts).
import { Type } from '@sinclair/typebox';
import { fail } from '../errors.js';
import {
  type PluginLoaders,
  type PluginResolvers,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { notify, record } from '../context.js';
import { requireCommunityReader, requireMember, requirePoster } from '../community/membership.js';
import { neighbourLoader } from '../loaders.js';
import { asId, Id, isId, parseInput } from '../validate.js';
import type { Slice } from '../slice.js';
import { EVENT_KINDS, eventObj, type EventObj, type EventRow } from './model.js';
import { texts } from './texts.js';
import { eventReminderActivities, replanReminder, startReminder } from './reminders.js';

const typeDefs = /* GraphQL */ `
  enum CommunityEventKind {
    "Fête des voisins"
    neighbours_day
    "Accueil d'un nouveau voisin"
    welcome
    gathering
    other
  }

  enum RsvpAnswer {
    yes
    no
    maybe
  }

  type RsvpCounts {
    yes: Int!
    no: Int!
    maybe: Int!
  }

  type CommunityEvent {
    id: ID!
    communityId: ID!
    kind: CommunityEventKind!
    kindLabel: String!
    title: String!
    description: String!
    place: String!
    startsAt: String!
    endsAt: String
    cancelled: Boolean!
    cancelReason: String
    createdAt: String!
    organiser: Neighbour!
    rsvpCounts: RsvpCounts!
    "The caller's answer, if any."
    myRsvp: RsvpAnswer
    "Who answered yes (display names)."
    attendees: [Neighbour!]!
  }

  input EventInput {
    kind: CommunityEventKind!
    title: String!
    description: String
    place: String!
    "ISO 8601 date and time, e.g. 2025-06-20T18:30:00+02:00"
    startsAt: String!
    endsAt: String
  }

  input EventUpdateInput {
    title: String
    description: String
    place: String
    startsAt: String
    endsAt: String
  }

  extend type Community {
    upcomingEvents(limit: Int = 5): [CommunityEvent!]!
  }

  extend type Query {
    "Events of the caller's community (staff: of the given community), soonest first."
    communityEvents(communityId: ID, includePast: Boolean = false, limit: Int = 20): [CommunityEvent!]!
    communityEvent(id: ID!): CommunityEvent
  }

  extend type Mutation {
    createEvent(input: EventInput!): CommunityEvent!
    "The organiser changes the event; attendees are told of a new date or place, and the reminder follows the new date."
    updateEvent(id: ID!, input: EventUpdateInput!): CommunityEvent!
    "The organiser (or a referent of the community) cancels; attendees are told."
    cancelEvent(id: ID!, reason: String!): CommunityEvent!
    rsvpEvent(eventId: ID!, answer: RsvpAnswer!): CommunityEvent!
  }
`;

const YEAR = 366 * 86_400_000;
const DateTime = (msg: string) =>
  Type.String({ minLength: 10, maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T', errorMessage: msg });
const Title = Type.String({
  minLength: 3,
  maxLength: 120,
  errorMessage: 'Le titre doit compter de 3 à 120 caractères.',
});
const Description = Type.String({
  maxLength: 3000,
  errorMessage: 'La description ne doit pas dépasser 3 000 caractères.',
});
const Place = Type.String({
  minLength: 2,
  maxLength: 200,
  errorMessage: 'Le lieu doit compter de 2 à 200 caractères.',
});

const EventInput = Type.Object({
  kind: Type.Union(Object.keys(EVENT_KINDS).map((k) => Type.Literal(k))),
  title: Title,
  description: Type.Optional(Description),
  place: Place,
  startsAt: DateTime('Date de début invalide (format ISO 8601 attendu).'),
  endsAt: Type.Optional(DateTime('Date de fin invalide (format ISO 8601 attendu).')),
});
const EventUpdate = Type.Partial(Type.Omit(EventInput, ['kind']));
const CancelReason = Type.String({
  minLength: 3,
  maxLength: 500,
  errorMessage: "Indiquez le motif de l'annulation (3 à 500 caractères).",
});

/** A new date must be to come (within a year); an unchanged one is only checked against the end. */
function checkDates(
  startsAt: string,
  endsAt: string | undefined,
  newDate = true,
  now = Date.now(),
): { starts: Date; ends: Date | null } {
  const starts = new Date(startsAt);
  const ends = endsAt ? new Date(endsAt) : null;
  if (Number.isNaN(starts.getTime()) || (ends && Number.isNaN(ends.getTime())))
    throw fail('VALIDATION_FAILED', 'Date invalide (format ISO 8601 attendu).');
  if (newDate && starts.getTime() <= now) throw fail('EVENT_IN_PAST');
  if (newDate && starts.getTime() > now + YEAR)
    throw fail('VALIDATION_FAILED', "L'événement doit avoir lieu dans l'année qui vient.");
  if (ends && ends.getTime() <= starts.getTime())
    throw fail('VALIDATION_FAILED', 'La fin doit suivre le début.');
  return { starts, ends };
}

/** An event the caller may see: a member of its community, its referents, or staff. */
async function visibleEvent(ctx: VigieContext, trx: Trx, id: string, lock = false): Promise<EventRow> {
  const q = trx('vv_events')
    .where({ id: asId(id, 'EVENT_NOT_FOUND') })
    .whereNull('hidden_at');
  if (lock) q.forUpdate();
  const ev = (await q.first()) as EventRow | undefined;
  if (!ev) throw fail('EVENT_NOT_FOUND');
  try {
    await requireCommunityReader(ctx, trx, ev.community_id);
  } catch (err) {
    if ((err as { code?: string }).code === 'COMMUNITY_NOT_FOUND') throw fail('EVENT_NOT_FOUND');
    throw err;
  }
  return ev;
}

async function attendeesOf(trx: Trx, ev: EventRow, except: string): Promise<string[]> {
  const ids: string[] = await trx('vv_event_rsvps')
    .where({ event_id: ev.id })
    .whereIn('answer', ['yes', 'maybe'])
    .pluck('account_id');
  return ids.filter((id) => id !== except);
}

async function createEvent(ctx: VigieContext, trx: Trx, input: unknown) {
  const { account, community } = await requirePoster(ctx, trx, 'voisins-vigilants.event.create');
  const i = parseInput(EventInput, input);
  const { starts, ends } = checkDates(i.startsAt, i.endsAt);
  const [row] = await trx('vv_events')
    .insert({
      tenant_id: account.tenantId,
      community_id: community.id,
      author_id: account.accountId,
      kind: i.kind,
      title: i.title,
      description: i.description ?? '',
      place: i.place,
      starts_at: starts,
      ends_at: ends,
    })
    .returning('*');
  await trx('vv_event_rsvps').insert({
    tenant_id: account.tenantId,
    event_id: row.id,
    account_id: account.accountId,
    answer: 'yes',
  });
  await startReminder(ctx, row.id);
  return eventObj(row as EventRow);
}

async function updateEvent(ctx: VigieContext, trx: Trx, id: string, input: unknown) {
  const { account } = await requireMember(ctx, trx);
  const ev = await visibleEvent(ctx, trx, id, true);
  if (ev.author_id !== account.accountId) throw fail('EVENT_NOT_ORGANISER');
  if (ev.cancelled_at) throw fail('EVENT_CANCELLED');
  const i = parseInput(EventUpdate, input);
  const moved = i.startsAt !== undefined && new Date(i.startsAt).getTime() !== ev.starts_at.getTime();
  const { starts, ends } = checkDates(
    i.startsAt ?? ev.starts_at.toISOString(),
    i.endsAt ?? ev.ends_at?.toISOString() ?? undefined,
    moved,
  );
  const patch = {
    title: i.title ?? ev.title,
    description: i.description ?? ev.description,
    place: i.place ?? ev.place,
    starts_at: starts,
    ends_at: ends,
    ...(moved ? { reminder_sent_at: null } : {}),
    updated_at: new Date(),
  };
  const [row] = await trx('vv_events').where({ id: ev.id }).update(patch).returning('*');
  if (moved || patch.place !== ev.place) {
    await notify(ctx.services, trx, {
      tenantId: account.tenantId,
      accountIds: await attendeesOf(trx, ev, account.accountId),
      kind: 'event_changed',
      ...texts.changed(patch.title, starts, patch.place),
      link: `/communaute/evenements/${ev.id}`,
    });
  }
  if (moved) await replanReminder(ctx, ev.id);
  return eventObj(row as EventRow);
}

async function cancelEvent(ctx: VigieContext, trx: Trx, id: string, reasonInput: unknown) {
  const account = ctx.requireAccount();
  const ev = await visibleEvent(ctx, trx, id, true);
  const asReferent = ev.author_id !== account.accountId;
  if (asReferent) ctx.authorize('voisins-vigilants.content.hide', { communityId: ev.community_id });
  if (ev.cancelled_at) throw fail('EVENT_CANCELLED');
  const reason = parseInput(CancelReason, reasonInput);
  const [row] = await trx('vv_events')
    .where({ id: ev.id })
    .update({ cancelled_at: new Date(), cancel_reason: reason, updated_at: new Date() })
    .returning('*');
  if (asReferent)
    await record(ctx, trx, {
      action: 'event.cancelled',
      communityId: ev.community_id,
      target: { type: 'event', id: ev.id },
      meta: { reason },
      asReferent: true,
    });
  await notify(ctx.services, trx, {
    tenantId: account.tenantId,
    accountIds: await attendeesOf(trx, ev, account.accountId),
    kind: 'event_cancelled',
    ...texts.cancelled(ev.title, ev.starts_at, reason),
    link: `/communaute/evenements/${ev.id}`,
  });
  await replanReminder(ctx, ev.id);
  return eventObj(row as EventRow);
}

async function rsvp(ctx: VigieContext, trx: Trx, eventId: string, answer: 'yes' | 'no' | 'maybe') {
  const { account, community } = await requireMember(ctx, trx);
  ctx.authorize('voisins-vigilants.event.create', { communityId: community.id });
  const ev = await visibleEvent(ctx, trx, eventId);
  if (ev.community_id !== community.id) throw fail('EVENT_NOT_FOUND');
  if (ev.cancelled_at) throw fail('EVENT_CANCELLED');
  if (ev.starts_at.getTime() <= Date.now()) throw fail('EVENT_IN_PAST');
  await trx('vv_event_rsvps')
    .insert({ tenant_id: account.tenantId, event_id: ev.id, account_id: account.accountId, answer })
    .onConflict(['tenant_id', 'event_id', 'account_id'])
    .merge({ answer, updated_at: new Date() });
  return eventObj(ev);
}

const resolvers: PluginResolvers = {
  Query: {
    communityEvents: (_r, a: { communityId?: string | null; includePast: boolean; limit: number }, ctx) =>
      ctx.tx(async (trx) => {
        const communityId = a.communityId
          ? (await requireCommunityReader(ctx, trx, asId(a.communityId, 'COMMUNITY_NOT_FOUND'))).id
          : (await requireMember(ctx, trx)).community.id;
        if (!a.communityId) ctx.authorize('voisins-vigilants.community.read', { communityId });
        const q = trx('vv_events')
          .where({ community_id: communityId })
          .whereNull('hidden_at')
          .orderBy('starts_at', 'asc')
          .limit(Math.min(Math.max(a.limit, 1), 100));
        if (!a.includePast) q.where('starts_at', '>', new Date());
        return ((await q) as EventRow[]).map(eventObj);
      }),
    communityEvent: (_r, { id }: { id: string }, ctx) =>
      ctx.tx(async (trx) => {
        if (!isId(id)) return null;
        try {
          return eventObj(await visibleEvent(ctx, trx, id));
        } catch (err) {
          if ((err as { code?: string }).code === 'EVENT_NOT_FOUND') return null;
          throw err;
        }
      }),
  },
  Mutation: {
    createEvent: (_r, { input }: { input: unknown }, ctx) => ctx.tx((trx) => createEvent(ctx, trx, input)),
    updateEvent: (_r, a: { id: string; input: unknown }, ctx) =>
      ctx.tx((trx) => updateEvent(ctx, trx, a.id, a.input)),
    cancelEvent: (_r, a: { id: string; reason: string }, ctx) =>
      ctx.tx((trx) => cancelEvent(ctx, trx, a.id, a.reason)),
    rsvpEvent: (_r, a: { eventId: string; answer: 'yes' | 'no' | 'maybe' }, ctx) =>
      ctx.tx((trx) => rsvp(ctx, trx, a.eventId, a.answer)),
  },
};

type Rsvp = { event_id: string; account_id: string; answer: 'yes' | 'no' | 'maybe' };

function rsvpLoader<T>(pick: (rows: Rsvp[], ev: EventObj, ctx: VigieContext) => T) {
  return async (queries: Array<{ obj: EventObj }>, ctx: VigieContext) =>
    ctx.tx(async (trx) => {
      const rows = (await trx('vv_event_rsvps')
        .whereIn(
          'event_id',
          queries.map((q) => q.obj.id),
        )
        .select('event_id', 'account_id', 'answer')) as Rsvp[];
      return queries.map((q) =>
        pick(
          rows.filter((r) => r.event_id === q.obj.id),
          q.obj,
          ctx,
        ),
      );
    });
}

const loaders: PluginLoaders = {
  CommunityEvent: {
    organiser: neighbourLoader<EventObj>((e) => e.authorId),
    rsvpCounts: rsvpLoader((rows) => ({
      yes: rows.filter((r) => r.answer === 'yes').length,
      no: rows.filter((r) => r.answer === 'no').length,
      maybe: rows.filter((r) => r.answer === 'maybe').length,
    })),
    myRsvp: rsvpLoader(
      (rows, _ev, ctx) => rows.find((r) => r.account_id === ctx.principal?.accountId)?.answer ?? null,
    ),
    attendees: async (queries: Array<{ obj: EventObj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('vv_event_rsvps')
          .whereIn(
            'event_id',
            queries.map((q) => q.obj.id),
          )
          .where({ answer: 'yes' })
          .select('event_id', 'account_id')) as Rsvp[];
        const names = await ctx.services.accounts.displayNames(
          trx,
          rows.map((r) => r.account_id),
        );
        return queries.map((q) =>
          rows
            .filter((r) => r.event_id === q.obj.id)
            .map((r) => ({ id: r.account_id, displayName: names.get(r.account_id) ?? 'ancien membre' }))
            .sort((x, y) => x.displayName.localeCompare(y.displayName, 'fr')),
        );
      }),
  },
  Community: {
    upcomingEvents: async (
      queries: Array<{ obj: { id: string }; params: { limit: number } }>,
      ctx: VigieContext,
    ) =>
      ctx.tx((trx) =>
        Promise.all(
          queries.map(async (q) =>
            (
              (await trx('vv_events')
                .where({ community_id: q.obj.id })
                .whereNull('hidden_at')
                .whereNull('cancelled_at')
                .where('starts_at', '>', new Date())
                .orderBy('starts_at', 'asc')
                .limit(Math.min(Math.max(q.params.limit, 1), 50))) as EventRow[]
            ).map(eventObj),
          ),
        ),
      ),
  },
};

export const events: Slice = {
  name: 'events',
  typeDefs,
  resolvers,
  loaders,
  activities: (deps) => ({ ...eventReminderActivities(deps) }),
};
