// Triage beyond the core's status changes: assigning an alert to an agent and
// the staff's notes. Taking in charge, moving forward and closing with an
// outcome are the core's own mutations (acknowledgeAlert, setAlertStatus),
// which the console calls directly: one history, which the reporter reads in
// « Mes alertes ».
import type {
  PluginLoaders,
  PluginResolvers,
  PlatformAlert,
  Trx,
  VigieContext,
} from '@vigie/platform/plugin';
import { iso, record } from '../context.js';
import { fail } from '../errors.js';
import { P } from '../permissions.js';

const AGENT_ROLES = ['police_agent', 'police_chief'] as const;
const NOTE_MAX = 2000;

export const triageTypeDefs = /* GraphQL */ `
  "A police officer of the commune, who can be assigned an alert."
  type ConsoleAgent {
    id: ID!
    displayName: String!
    role: String!
  }

  "A staff note on an alert: never shown to the reporter."
  type ConsoleNote {
    id: ID!
    text: String!
    authorName: String!
    at: String!
  }

  extend type Alert {
    "Console: the officer the alert is assigned to (staff only; null otherwise)."
    assignee: ConsoleAgent
    "Console: the staff's notes, oldest first (staff only; empty otherwise)."
    consoleNotes: [ConsoleNote!]!
  }

  extend type Query {
    "Console: the police officers an alert can be assigned to."
    consoleAgents: [ConsoleAgent!]!
  }

  extend type Mutation {
    "Console: assigns the alert to an officer (the last assignment wins); audited."
    assignAlert(alertId: ID!, agentId: ID!): Alert!
    "Console: adds a staff note to the alert; audited."
    addAlertNote(alertId: ID!, text: String! @length(max: 2000)): Alert!
  }
`;

async function agents(ctx: VigieContext, trx: Trx) {
  const roleOf = new Map<string, string>();
  for (const role of AGENT_ROLES)
    for (const id of await ctx.services.roles.holders(trx, role, null))
      if (!roleOf.has(id)) roleOf.set(id, role);
  const names = await ctx.services.accounts.displayNames(trx, [...roleOf.keys()]);
  return [...roleOf.entries()]
    .map(([id, role]) => ({ id, role, displayName: names.get(id) ?? '' }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'fr'));
}

async function alertOrFail(ctx: VigieContext, trx: Trx, id: string): Promise<PlatformAlert> {
  const a = await ctx.services.alerts.get(trx, id);
  if (!a) throw fail('CONSOLE_ALERT_NOT_FOUND');
  return a;
}

const resolvers: PluginResolvers = {
  Query: {
    consoleAgents: (_r, _a, ctx) => {
      // Those who assign alerts, and those who choose who is on duty.
      if (!ctx.can('alerts.on_duty.set')) ctx.authorize(P.assign);
      return ctx.tx((trx) => agents(ctx, trx));
    },
  },
  Mutation: {
    assignAlert: (_r, a: { alertId: string; agentId: string }, ctx) => {
      ctx.authorize(P.assign);
      const me = ctx.requireAccount();
      return ctx.tx(async (trx) => {
        const alert = await alertOrFail(ctx, trx, a.alertId);
        if (alert.status === 'closed') throw fail('CONSOLE_ALERT_CLOSED');
        const agentId = a.agentId.toLowerCase();
        if (!(await agents(ctx, trx)).some((g) => g.id === agentId)) throw fail('CONSOLE_AGENT_INVALID');
        await trx('mv_alert_assignments')
          .insert({
            tenant_id: me.tenantId,
            alert_id: alert.id,
            assignee_id: agentId,
            assigned_by: me.accountId,
          })
          .onConflict(['tenant_id', 'alert_id'])
          .merge({ assignee_id: agentId, assigned_by: me.accountId, updated_at: trx.fn.now() });
        await record(ctx, trx, {
          action: 'alert.assigned',
          target: { type: 'alert', id: alert.id },
          meta: { assigneeId: agentId },
        });
        return alert;
      });
    },
    addAlertNote: (_r, a: { alertId: string; text: string }, ctx) => {
      ctx.authorize(P.note);
      const me = ctx.requireAccount();
      const text = a.text.trim();
      if (text.length < 1 || text.length > NOTE_MAX) throw fail('CONSOLE_NOTE_INVALID');
      return ctx.tx(async (trx) => {
        const alert = await alertOrFail(ctx, trx, a.alertId);
        const [row] = await trx('mv_alert_notes')
          .insert({ tenant_id: me.tenantId, alert_id: alert.id, author_id: me.accountId, text })
          .returning('id');
        await record(ctx, trx, {
          action: 'alert.noted',
          target: { type: 'alert', id: alert.id },
          meta: { noteId: (row as { id: string }).id },
        });
        return alert;
      });
    },
  },
};

type Q = { obj: PlatformAlert };

const loaders: PluginLoaders = {
  Alert: {
    assignee: async (queries: Q[], ctx) => {
      if (!ctx.can('alerts.alert.read_all')) return queries.map(() => null);
      const ids = queries.map((q) => q.obj.id);
      const rows = await ctx.tx(async (trx) => {
        const r: Array<{ alert_id: string; assignee_id: string }> = await trx('mv_alert_assignments')
          .whereIn('alert_id', ids)
          .select('alert_id', 'assignee_id');
        const staff = new Map((await agents(ctx, trx)).map((g) => [g.id, g]));
        const names = await ctx.services.accounts.displayNames(
          trx,
          r.map((x) => x.assignee_id),
        );
        // An officer who lost the role since keeps the assignment, shown by name.
        return r.map((x) => ({
          alertId: x.alert_id,
          agent: staff.get(x.assignee_id) ?? {
            id: x.assignee_id,
            displayName: names.get(x.assignee_id) ?? '',
            role: 'former',
          },
        }));
      });
      return queries.map((q) => rows.find((r) => r.alertId === q.obj.id)?.agent ?? null);
    },
    consoleNotes: async (queries: Q[], ctx) => {
      if (!ctx.can('alerts.alert.read_all')) return queries.map(() => []);
      const ids = queries.map((q) => q.obj.id);
      const notes = await ctx.tx(async (trx) => {
        const r: Array<{ id: string; alert_id: string; author_id: string; text: string; created_at: Date }> =
          await trx('mv_alert_notes')
            .whereIn('alert_id', ids)
            .orderBy('created_at')
            .select('id', 'alert_id', 'author_id', 'text', 'created_at');
        const names = await ctx.services.accounts.displayNames(
          trx,
          r.map((x) => x.author_id),
        );
        return r.map((x) => ({
          alertId: x.alert_id,
          note: { id: x.id, text: x.text, authorName: names.get(x.author_id) ?? '', at: iso(x.created_at) },
        }));
      });
      return queries.map((q) => notes.filter((n) => n.alertId === q.obj.id).map((n) => n.note));
    },
  },
};

export const triage = { typeDefs: triageTypeDefs, resolvers, loaders };
