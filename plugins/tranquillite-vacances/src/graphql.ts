// The GraphQL of Opération Tranquillité Vacances. Residents see their own
// declarations; the police and the mairie agents holding the permission see
// the commune's, and every such view is audited. Door codes and key holders
// are opened only in the detail of one declaration, for staff.
import { isVigieError, type PluginResolvers, type Trx, type VigieContext } from '@vigie/platform/plugin';
import { fail } from './errors.js';
import { isId, parseInput, residenceOf, SEALED, type AbsenceRow } from './model.js';
import {
  audit,
  cancel,
  changeDates,
  decide,
  declare,
  earlyReturn,
  settingsOf,
  signalWatch,
  watchId,
} from './absences.js';
import { parisDay, parisToday, planRoute, suggestTimes } from './patrol.js';
import { OUTCOMES } from './texts.js';
import { VISIT_REFUSED, VISIT_UPDATE, type VisitInput, type VisitOutcome } from './workflows/contract.js';
import { Type } from '@sinclair/typebox';

export const typeDefs = /* GraphQL */ `
  enum TvKind {
    home
    shop
  }
  enum TvResidence {
    main
    secondary
  }
  enum TvDwelling {
    house
    flat
  }
  enum TvStatus {
    pending
    validated
    refused
    cancelled
  }
  enum TvNoticeChannel {
    in_app
    email
    sms
    push
  }
  enum TvVisitOutcome {
    "Rien à signaler"
    ras
    open_window
    forced_entry
    letterbox
    other
  }

  type TvDetails {
    awayPhone: String
    awayAddress: String
    contactName: String
    contactPhone: String
    "The language the person to contact is called in, when an anomaly is found (French by default)."
    contactLocale: Locale
    alarm: Boolean
    alarmCompany: String
    presenceSimulation: Boolean
    dwelling: TvDwelling
    floor: String
    vehicles: String
    pets: String
    notes: String
    businessName: String
    businessActivity: String
    businessPhone: String
  }

  type TvVisit {
    id: ID!
    visitedAt: String!
    outcome: TvVisitOutcome!
    outcomeLabel: String!
    "Staff only: residents see the time and the outcome, never who came."
    note: String
    "Staff only: the automatic call to the person to contact after an anomaly; null when none was named."
    contactCall: TvContactCall
  }

  enum TvContactCall {
    calling
    "Pressed 1 after the message"
    confirmed
    other_key
    "Answered without pressing a key"
    heard
    no_answer
    busy
    "Not placed (do-not-call list, no caller number)"
    refused
    failed
    "The number in the declaration cannot be called"
    invalid_number
  }

  type TvAbsence {
    id: ID!
    status: TvStatus!
    kind: TvKind!
    residence: TvResidence!
    addressLabel: String!
    departsAt: String!
    returnsAt: String!
    refusalReason: String
    earlyReturn: Boolean!
    declaredAtCounter: Boolean!
    noticeChannels: [TvNoticeChannel!]!
    lastVisitAt: String
    createdAt: String!
    "Owner and staff: what the form asked."
    details: TvDetails!
    "Decrypted for the detail view only (audited)."
    doorCode: String
    keyHolders: String
    visits: [TvVisit!]!
    "Staff: the resident's display name."
    residentName: String
  }

  type TvPatrolStop {
    order: Int!
    suggestedTime: String!
    absence: TvAbsence!
    visitedToday: Boolean!
  }

  type TvPatrol {
    date: String!
    stops: [TvPatrolStop!]!
  }

  type TvAnomaly {
    visit: TvVisit!
    absence: TvAbsence!
  }

  "A resident found by a mairie agent at the counter, to declare on their behalf."
  type TvResident {
    accountId: ID!
    displayName: String!
    "Their verified residence, if any."
    addressLabel: String
  }

  type TvRules {
    minNoticeDays: Float!
    earliestDays: Float!
    maxAbsenceDays: Float!
    secondaryHomes: Boolean!
  }

  input TvAbsenceInput {
    kind: TvKind!
    residence: TvResidence!
    "A BAN address of the commune (secondary home), or the resident's own to check it."
    addressId: ID
    "ISO 8601 date and time, e.g. 2026-07-14T08:00:00+02:00"
    departsAt: String!
    returnsAt: String!
    awayPhone: String
    awayAddress: String
    contactName: String
    contactPhone: String
    "The language the person to contact is called in, when an anomaly is found (French by default)."
    contactLocale: Locale
    keyHolders: String
    alarm: Boolean
    alarmCompany: String
    presenceSimulation: Boolean
    dwelling: TvDwelling
    floor: String
    doorCode: String
    vehicles: String
    pets: String
    notes: String
    businessName: String
    businessActivity: String
    businessPhone: String
    noticeChannels: [TvNoticeChannel!]
  }

  extend type Query {
    "The commune's rules, for the form."
    tvRules: TvRules!
    "The caller's declarations, newest first."
    myAbsences: [TvAbsence!]!
    "One declaration: its owner, or staff with the permission (audited)."
    tvAbsence(id: ID!): TvAbsence
    "Staff: declarations overlapping [from, to) (dates YYYY-MM-DD), or every pending one (audited)."
    tvAbsences(status: TvStatus, from: String, to: String): [TvAbsence!]!
    "Police: the homes under watch on a day (default today), as a route with suggested times (audited)."
    tvPatrol(date: String): TvPatrol!
    "Police: anomalies of homes still under watch, newest first."
    tvAnomalies: [TvAnomaly!]!
    "Mairie agent at the counter: the resident with this email (audited)."
    tvResident(email: String!): TvResident
  }

  extend type Mutation {
    "A resident declares; a mairie agent may declare at the counter for a resident (forAccountId)."
    declareAbsence(input: TvAbsenceInput!, forAccountId: ID): TvAbsence!
    changeAbsenceDates(id: ID!, departsAt: String, returnsAt: String!): TvAbsence!
    declareEarlyReturn(id: ID!): TvAbsence!
    cancelAbsence(id: ID!): TvAbsence!
    validateAbsence(id: ID!): TvAbsence!
    refuseAbsence(id: ID!, reason: String!): TvAbsence!
    "Police: a visit, taken by the absence's workflow (refused outside the watch)."
    logVisit(absenceId: ID!, outcome: TvVisitOutcome!, note: String): TvVisit!
  }
`;

type Obj = ReturnType<typeof toObj>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toObj(
  row: AbsenceRow,
  view: 'owner' | 'staff',
  open?: { doorCode: string | null; keyHolders: string | null },
) {
  return {
    id: row.id,
    status: row.status,
    kind: row.kind,
    residence: row.residence,
    addressLabel: row.address_label,
    departsAt: row.departs_at.toISOString(),
    returnsAt: row.returns_at.toISOString(),
    refusalReason: row.refusal_reason,
    earlyReturn: row.early_return_at !== null,
    declaredAtCounter: row.declared_by !== null,
    noticeChannels: row.notice_channels,
    lastVisitAt: iso(row.last_visit_at),
    createdAt: row.created_at.toISOString(),
    details: row.details ?? {},
    doorCode: open?.doorCode ?? null,
    keyHolders: open?.keyHolders ?? null,
    _view: view,
    _accountId: row.account_id,
  };
}

function opened(ctx: VigieContext, row: AbsenceRow) {
  const open = (purpose: string, v: string | null) =>
    v ? ctx.services.secrets.open(row.tenant_id, purpose, v) : null;
  return {
    doorCode: open(SEALED.doorCode, row.door_code_sealed),
    keyHolders: open(SEALED.keyHolders, row.key_holders_sealed),
  };
}

type VisitRow = {
  id: string;
  absence_id: string;
  visited_at: Date;
  outcome: VisitOutcome;
  note: string;
  contact_call: string | null;
};

function visitObj(v: VisitRow, staff: boolean) {
  return {
    id: v.id,
    visitedAt: v.visited_at.toISOString(),
    outcome: v.outcome,
    outcomeLabel: OUTCOMES[v.outcome].fr,
    note: staff ? v.note : null,
    contactCall: staff ? v.contact_call : null,
  };
}

/** Staff lists are audited once per view, with the declarations it showed. */
async function auditView(ctx: VigieContext, trx: Trx, what: string, rows: AbsenceRow[]) {
  await audit(ctx, trx, `absence.${what}`, null, { absenceIds: rows.map((r) => r.id) });
}

async function absenceFor(ctx: VigieContext, trx: Trx, id: string) {
  const me = ctx.requireAccount();
  if (!isId(id)) return null;
  const row = (await trx('tv_absences').where({ id }).first()) as AbsenceRow | undefined;
  if (!row) return null;
  if (row.account_id === me.accountId) {
    await audit(ctx, trx, 'absence.viewed', id, { byOwner: true });
    return toObj(row, 'owner', opened(ctx, row));
  }
  // Neighbours and referents get "not found", not "forbidden": a declaration's existence is private.
  if (!ctx.can('tranquillite-vacances.absence.read_any')) return null;
  ctx.authorize('tranquillite-vacances.absence.read_any');
  await audit(ctx, trx, 'absence.viewed', id);
  return toObj(row, 'staff', opened(ctx, row));
}

const VisitNote = Type.String({
  maxLength: 1000,
  errorMessage: 'La note ne doit pas dépasser 1 000 caractères.',
});

async function logVisit(ctx: VigieContext, absenceId: string, outcome: VisitOutcome, note: unknown) {
  ctx.authorize('tranquillite-vacances.visit.log');
  const me = ctx.requireAccount();
  const text = parseInput(VisitNote, note ?? '');
  if (!isId(absenceId)) throw fail('TV_ABSENCE_NOT_FOUND');
  // A quick look first, for a clear answer; the workflow's validator has the last word.
  const row = await ctx.tx(
    async (trx) => (await trx('tv_absences').where({ id: absenceId }).first()) as AbsenceRow | undefined,
  );
  if (!row) throw fail('TV_ABSENCE_NOT_FOUND');
  if (row.status !== 'validated') throw fail('TV_VISIT_REFUSED');
  const visit: VisitInput = {
    agentId: me.accountId,
    visitedAt: new Date().toISOString(),
    outcome,
    note: text,
    requestId: ctx.requestId,
  };
  let visitId: string;
  try {
    const handle = ctx.services.workflows.client().workflow.getHandle(watchId(ctx, absenceId));
    ({ visitId } = await handle.executeUpdate<{ visitId: string }, [VisitInput]>(VISIT_UPDATE, {
      args: [visit],
      updateId: `visit:${ctx.requestId}`,
    }));
  } catch (err) {
    if (isVigieError(err)) throw err;
    if (
      (err as Error).name === 'WorkflowUpdateFailedError' &&
      ((err as Error).cause as { type?: string } | undefined)?.type === VISIT_REFUSED
    )
      throw fail('TV_VISIT_REFUSED');
    // The watch has ended (its workflow closed): nothing to visit any more.
    if ((err as Error).name === 'WorkflowNotFoundError') throw fail('TV_VISIT_REFUSED');
    throw err;
  }
  return ctx.tx(async (trx) =>
    visitObj((await trx('tv_visits').where({ id: visitId }).first()) as VisitRow, true),
  );
}

function requireStaff(ctx: VigieContext) {
  ctx.authorize('tranquillite-vacances.absence.read_any');
}

export const resolvers: PluginResolvers = {
  Query: {
    tvRules: (_r, _a, ctx) => {
      ctx.requireAccount();
      const s = settingsOf(ctx);
      return {
        minNoticeDays: s.minNoticeDays,
        earliestDays: s.earliestDays,
        maxAbsenceDays: s.maxAbsenceDays,
        secondaryHomes: s.secondaryHomes,
      };
    },
    myAbsences: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        const me = ctx.requireAccount();
        const rows = (await trx('tv_absences')
          .where({ account_id: me.accountId })
          .orderBy('departs_at', 'desc')
          .limit(50)) as AbsenceRow[];
        return rows.map((r) => toObj(r, 'owner'));
      }),
    tvAbsence: (_r, { id }: { id: string }, ctx) => ctx.tx((trx) => absenceFor(ctx, trx, id)),
    tvAbsences: (_r, a: { status?: string | null; from?: string | null; to?: string | null }, ctx) =>
      ctx.tx(async (trx) => {
        requireStaff(ctx);
        const q = trx('tv_absences').orderBy('departs_at', 'asc').limit(500);
        if (a.status) q.where({ status: a.status });
        if (a.from) q.where('returns_at', '>', parisDay(checkDay(a.from)).from);
        if (a.to) q.where('departs_at', '<', parisDay(checkDay(a.to)).from);
        if (!a.status && !a.from && !a.to)
          q.whereIn('status', ['pending', 'validated']).where('returns_at', '>', new Date());
        const rows = (await q) as AbsenceRow[];
        await auditView(ctx, trx, 'listed', rows);
        return rows.map((r) => toObj(r, 'staff'));
      }),
    tvPatrol: (_r, a: { date?: string | null }, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize('tranquillite-vacances.visit.log');
        const date = checkDay(a.date ?? parisToday());
        const { from, to } = parisDay(date);
        const rows = (await trx('tv_absences')
          .where({ status: 'validated' })
          .where('departs_at', '<', to)
          .where('returns_at', '>', from)
          .orderBy('id')) as AbsenceRow[];
        const s = settingsOf(ctx);
        const route = planRoute(s.station, rows);
        const times = suggestTimes(
          route.length,
          { start: s.patrolStart, end: s.patrolEnd },
          `${ctx.requireTenant().id}:${date}`,
        );
        const visited = new Set<string>(
          await trx('tv_visits')
            .whereIn(
              'absence_id',
              rows.map((r) => r.id),
            )
            .where('visited_at', '>=', from)
            .where('visited_at', '<', to)
            .pluck('absence_id'),
        );
        await auditView(ctx, trx, 'patrol_listed', rows);
        return {
          date,
          stops: route.map((r, i) => ({
            order: i + 1,
            suggestedTime: times[i],
            absence: toObj(r, 'staff', opened(ctx, r)),
            visitedToday: visited.has(r.id),
          })),
        };
      }),
    tvResident: (_r, { email }: { email: string }, ctx) =>
      ctx.tx(async (trx) => {
        ctx.authorize('tranquillite-vacances.absence.declare_for');
        const account = (await trx('accounts')
          .whereRaw('lower(email) = ?', [email.trim().toLowerCase()])
          .where({ status: 'active' })
          .first('id', 'display_name')) as { id: string; display_name: string } | undefined;
        await audit(ctx, trx, 'resident.looked_up', null, { found: account?.id ?? null });
        if (!account) return null;
        const home = await residenceOf(trx, account.id);
        return {
          accountId: account.id,
          displayName: account.display_name,
          addressLabel: home?.label ?? null,
        };
      }),
    tvAnomalies: (_r, _a, ctx) =>
      ctx.tx(async (trx) => {
        requireStaff(ctx);
        const visits = (await trx('tv_visits as v')
          .join('tv_absences as a', 'a.id', 'v.absence_id')
          .whereNot('v.outcome', 'ras')
          .where('a.status', 'validated')
          .where('a.returns_at', '>', new Date())
          .orderBy('v.visited_at', 'desc')
          .limit(50)
          .select('v.*')) as VisitRow[];
        const rows = (await trx('tv_absences').whereIn('id', [
          ...new Set(visits.map((v) => v.absence_id)),
        ])) as AbsenceRow[];
        await auditView(ctx, trx, 'anomalies_listed', rows);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return visits.map((v) => ({
          visit: visitObj(v, true),
          absence: toObj(byId.get(v.absence_id)!, 'staff'),
        }));
      }),
  },
  Mutation: {
    declareAbsence: (_r, a: { input: unknown; forAccountId?: string | null }, ctx) =>
      ctx.tx(async (trx) => toObj(await declare(ctx, trx, a.input, a.forAccountId), 'owner')),
    changeAbsenceDates: async (_r, a: { id: string; departsAt?: string | null; returnsAt: string }, ctx) =>
      afterCommit(ctx, await ctx.tx((trx) => changeDates(ctx, trx, a.id, a.departsAt, a.returnsAt)), 'owner'),
    declareEarlyReturn: async (_r, { id }: { id: string }, ctx) =>
      afterCommit(ctx, await ctx.tx((trx) => earlyReturn(ctx, trx, id)), 'owner'),
    cancelAbsence: async (_r, { id }: { id: string }, ctx) =>
      afterCommit(ctx, await ctx.tx((trx) => cancel(ctx, trx, id)), 'owner'),
    validateAbsence: async (_r, { id }: { id: string }, ctx) =>
      afterCommit(ctx, await ctx.tx((trx) => decide(ctx, trx, id, { validate: true })), 'staff'),
    refuseAbsence: async (_r, a: { id: string; reason: string }, ctx) =>
      afterCommit(
        ctx,
        await ctx.tx((trx) => decide(ctx, trx, a.id, { validate: false, reason: a.reason })),
        'staff',
      ),
    logVisit: (_r, a: { absenceId: string; outcome: VisitOutcome; note?: string | null }, ctx) =>
      logVisit(ctx, a.absenceId, a.outcome, a.note),
  },
};

/** The change is committed: the workflow reads the declaration again. */
async function afterCommit(ctx: VigieContext, row: AbsenceRow, view: 'owner' | 'staff') {
  await signalWatch(ctx, row.id);
  return toObj(row, view);
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
function checkDay(d: string): string {
  if (!DAY_RE.test(d) || Number.isNaN(Date.parse(d)))
    throw fail('VALIDATION_FAILED', 'Date attendue au format AAAA-MM-JJ.');
  return d;
}

export const loaders = {
  TvAbsence: {
    visits: async (queries: Array<{ obj: Obj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const rows = (await trx('tv_visits')
          .whereIn(
            'absence_id',
            queries.map((q) => q.obj.id),
          )
          .orderBy('visited_at', 'desc')) as VisitRow[];
        return queries.map((q) =>
          rows.filter((v) => v.absence_id === q.obj.id).map((v) => visitObj(v, q.obj._view === 'staff')),
        );
      }),
    residentName: async (queries: Array<{ obj: Obj }>, ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const names = await ctx.services.accounts.displayNames(
          trx,
          queries.map((q) => q.obj._accountId),
        );
        return queries.map((q) => (q.obj._view === 'staff' ? (names.get(q.obj._accountId) ?? null) : null));
      }),
  },
};
