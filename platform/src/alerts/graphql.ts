// GraphQL of the alert model: raise, triage, lists, the delivery report, and
// live subscriptions (staff: every alert raised in the commune; everyone: the
// status of their own alerts). Topics carry the tenant id: a subscriber only
// ever hears about their own commune.
import type { IResolvers, MercuriusContext, MercuriusLoaders } from 'mercurius';
import { fail } from './errors.js';
import type { FastifyInstance } from 'fastify';
import { VigieError } from '../lib/errors.js';
import { audit } from '../lib/audit.js';
import type { AccountPrincipal } from '../identity/index.js';
import type { Channel, Severity } from '../notifications/index.js';
import {
  alertRef,
  changeAlertStatus,
  checkSectors,
  communityOf,
  getAlert,
  historyOf,
  isRecipient,
  listAlerts,
  parseRaiseAlertInput,
  type Alert,
  type AlertClosure,
  type AlertStatus,
  type AuthorKind,
  type RaiseAlertInput,
  type Target,
} from './alerts.js';
import { categoriesById, listCategories, type Category } from './categories.js';
import { deliveryReport, deliverySummaries, type DeliveryStatus } from './deliveries.js';
import { recordAlert } from './raise.js';
import { followUpsOf, postFollowUp, type FollowUp, type FollowUpKind } from './follow-ups.js';
import { photosOf, photoUrl, receivedAmong } from './photos.js';
import { previewAlert } from './preview.js';
import { parseArea, sectorsOfArea } from './area.js';
import { alertSettings } from './settings.js';
import { onDutyOfficer, setOnDutyOfficer, type OnDuty } from './on-duty.js';
import { portalUrl } from '../identity/index.js';

export const alertsTypeDefs = /* GraphQL */ `
  enum AlertSeverity {
    info
    important
    urgent
  }
  enum AlertStatus {
    received
    acknowledged
    in_progress
    closed
  }
  enum AlertClosure {
    solved
    unfounded
  }
  enum AlertFollowUpKind {
    "« Suite » : news of the same situation."
    update
    "« Fin d'alerte » : it is over; the alert is closed."
    end
  }
  enum AlertTargetKind {
    "The author's own community (or, for staff, the one sector given)."
    community
    sectors
    commune
    "A zone drawn on the map (staff): whoever lives inside it."
    area
  }
  enum AlertOrigin {
    web
    sms
    api
  }
  enum AlertAuthorKind {
    resident
    police
    mairie
    system
  }
  enum DeliveryStatus {
    pending
    held
    sending
    sent
    delivered
    undelivered
    bounced
    failed
    skipped
    "A voice call whose listener pressed 1: heard and confirmed (final)."
    acknowledged
  }

  type AlertCategory {
    id: ID!
    slug: String!
    "In the caller's language."
    label: String!
    labelFr: String!
    labelEn: String!
    defaultSeverity: AlertSeverity!
  }

  type AlertLocation {
    lon: Float!
    lat: Float!
  }

  type AlertStatusChange {
    status: AlertStatus!
    closure: AlertClosure
    at: String!
    "Staff only."
    note: String
  }

  type DeliveryStatusCount {
    status: DeliveryStatus!
    count: Int!
  }

  type DeliveryChannelCount {
    channel: NotificationChannel!
    status: DeliveryStatus!
    count: Int!
  }

  "Counts only: what the author of an alert sees of its delivery."
  type AlertDeliverySummary {
    recipients: Int!
    total: Int!
    byStatus: [DeliveryStatusCount!]!
    byChannel: [DeliveryChannelCount!]!
  }

  type Alert {
    id: ID!
    "Short reference to quote on the phone."
    ref: String!
    category: AlertCategory!
    severity: AlertSeverity!
    text: String!
    status: AlertStatus!
    closure: AlertClosure
    origin: AlertOrigin!
    authorKind: AlertAuthorKind!
    "Staff and the author only."
    authorName: String
    targetKind: AlertTargetKind!
    targetSectorIds: [ID!]!
    "kind area: the zone the alert was sent to, as GeoJSON."
    targetArea: String
    location: AlertLocation
    photoKey: String
    """
    The photo, through a link valid 10 minutes for the caller only (with their
    session); each view is audited. For the author, staff and the alert's
    recipients; null for others and for alerts without a photo.
    """
    photoUrl: String
    createdAt: String!
    acknowledgedAt: String
    closedAt: String
    "Is the caller the author?"
    mine: Boolean!
    history: [AlertStatusChange!]!
    "The author and staff with alerts.delivery.read; null for others."
    deliverySummary: AlertDeliverySummary
    "Its « suite » and « fin d'alerte » messages, oldest first, each sent to the alert's recipients."
    followUps: [AlertFollowUp!]!
    "For a follow-up: the alert it follows (whose page tells the whole story); null otherwise."
    followsAlertId: ID
    followUpKind: AlertFollowUpKind
    "May the caller post a follow-up or end this alert? (its author on the staff, or the police)"
    canFollowUp: Boolean!
  }

  "A follow-up, itself delivered as an alert (its id opens its own delivery report)."
  type AlertFollowUp {
    id: ID!
    kind: AlertFollowUpKind!
    "As its author wrote it."
    text: String!
    authorKind: AlertAuthorKind!
    createdAt: String!
  }

  type AlertPage {
    items: [Alert!]!
    nextCursor: String
  }

  "One recipient on one channel."
  type DeliveryRecord {
    id: ID!
    accountId: ID
    "Null for the on-duty police contact."
    recipientName: String
    purpose: String!
    channel: NotificationChannel!
    status: DeliveryStatus!
    reason: String
    attempts: Int!
    fallbackOf: ID
    "Push: the device's label as its owner named it (null once the push service dropped it, or unnamed)."
    device: String
    queuedAt: String!
    sendingAt: String
    sentAt: String
    deliveredAt: String
    failedAt: String
    "Held until then (quiet hours, digest)."
    notBefore: String
  }

  type AlertDeliveryReport {
    summary: AlertDeliverySummary!
    items: [DeliveryRecord!]!
    nextCursor: String
  }

  input AlertLocationInput {
    lon: Float!
    lat: Float!
  }

  input AlertTargetInput {
    kind: AlertTargetKind!
    sectorIds: [ID!]
    "kind area: the zone as GeoJSON (a Polygon, or a MultiPolygon), longitude then latitude."
    area: String @length(max: 200000)
  }

  input RaiseAlertInput {
    "Slug of a category (alertCategories)."
    category: String!
    "Defaults to the category's severity."
    severity: AlertSeverity
    text: String!
    location: AlertLocationInput
    "From POST /alerts/photos (JPEG or PNG, 10 MB at most), by the same author, not used by another alert yet."
    photoKey: String
    "Defaults to the author's own community."
    target: AlertTargetInput
    "Staff alerting down: only these channels (the in-app inbox always). Default: each recipient's own choice."
    channels: [NotificationChannel!]
  }

  input AlertFilter {
    statuses: [AlertStatus!]
    severities: [AlertSeverity!]
    sectorId: ID
    since: String
  }

  "One channel of an alert's preview: rows the delivery would create."
  type AlertPreviewChannel {
    channel: NotificationChannel!
    "Sent at once."
    now: Int!
    "Held for quiet hours or the daily digest."
    held: Int!
    "Not sent: opted out, or the month's SMS budget is spent."
    skipped: Int!
  }

  type AlertPreviewSms {
    "Of the text as typed."
    typedEncoding: String!
    "The typed characters outside GSM-7, each once: they would make it UCS-2."
    ucs2Characters: [String!]!
    "The text with those characters replaced where GSM-7 has a spelling; null when nothing to replace."
    suggestion: String
    "Of the SMS as sent (transliterated, fitted into two segments at most)."
    encoding: String!
    segmentsPerMessage: Int!
    messages: Int!
    "Segments of every SMS (each in its recipient's language)."
    segments: Int!
    "The commune's monthly budget, in segments (null: none)."
    budget: Int
    segmentsUsedThisMonth: Int!
    segmentsLeft: Int
    "The SMS as French-speaking recipients will read it."
    text: String!
  }

  "What an alert would do, computed as its delivery would plan it, with nothing written."
  type AlertPreview {
    "Accounts that would receive it on at least one channel."
    recipients: Int!
    "Their households (distinct addresses of active residences)."
    households: Int!
    byChannel: [AlertPreviewChannel!]!
    sms: AlertPreviewSms!
  }

  "The police officer on duty: urgent alerts nobody takes in charge are escalated to them (and the chief)."
  type PoliceOnDuty {
    accountId: ID!
    displayName: String!
    "ISO 8601: since when."
    since: String!
  }

  extend type Query {
    "Staff: the officer on duty, if one is set."
    policeOnDuty: PoliceOnDuty
    "Staff alerting down: recipients per channel, households and SMS segments before sending."
    alertPreview(input: RaiseAlertInput!): AlertPreview!
    alertCategories: [AlertCategory!]!
    "The caller's own alerts, newest first, with their current status."
    myAlerts(limit: Int = 20, before: String @cursor(format: "keyset")): AlertPage!
    "Staff: every alert of the commune."
    alerts(filter: AlertFilter, limit: Int = 50, before: String @cursor(format: "keyset")): AlertPage!
    "Staff, the author, or a recipient of the alert."
    alert(id: ID!): Alert
    "Staff: each recipient and channel with its status and timestamps."
    alertDeliveryReport(
      alertId: ID!
      status: DeliveryStatus
      channel: NotificationChannel
      limit: Int = 100
      "The previous page's nextCursor: pages go by recipient name, then channel."
      after: String @cursor(format: "recipient")
    ): AlertDeliveryReport!
  }

  extend type Mutation {
    "Raises an alert; residents target their own community, the police and the mairie any sector or the whole commune."
    raiseAlert(input: RaiseAlertInput!): Alert!
    "Police: takes the alert in charge (stops its escalation). Acknowledging twice changes nothing."
    acknowledgeAlert(id: ID!, note: String): Alert!
    "Police: moves the alert forward (in_progress, closed with a closure)."
    setAlertStatus(id: ID!, status: AlertStatus!, closure: AlertClosure, note: String): Alert!
    "Staff: news of an alert (their own, or any for the police), sent to the same recipients. Returns the alert."
    addAlertFollowUp(alertId: ID!, text: String!): Alert!
    "Staff: « fin d'alerte », sent to the same recipients; closes the alert (solved unless told) if still open."
    endAlert(alertId: ID!, text: String!, closure: AlertClosure = solved): Alert!
    "Chef de poste or mairie: sets the officer on duty (null: nobody, every agent is reached); audited."
    setPoliceOnDuty(accountId: ID): PoliceOnDuty
  }

  extend type Subscription {
    "Staff: every alert raised in the commune, as it is raised."
    alertRaised: Alert!
    "The caller's own alerts as their status changes (staff: every alert of the commune)."
    alertStatusChanged: Alert!
  }
`;

export const ALERT_MUTATIONS_WHEN_SUSPENDED = [
  'raiseAlert',
  'setPoliceOnDuty',
  'acknowledgeAlert',
  'setAlertStatus',
  'addAlertFollowUp',
  'endAlert',
];

export function raisedTopic(tenantId: string): string {
  return `ALERT_RAISED:${tenantId}`;
}
export function statusTopic(tenantId: string, accountId: string | null): string {
  return accountId ? `ALERT_STATUS:${tenantId}:${accountId}` : `ALERT_STATUS:${tenantId}`;
}

/** Payloads may cross processes (Redis pub/sub): dates travel as ISO strings, both forms are read. */
export function publishable(a: Alert): Alert {
  return JSON.parse(JSON.stringify(a)) as Alert;
}

function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : v.toISOString();
}

function app(ctx: MercuriusContext): FastifyInstance {
  return ctx.app as unknown as FastifyInstance;
}

function authorKindOf(p: AccountPrincipal): AuthorKind {
  if (p.roles.some((g) => g.role === 'police_agent' || g.role === 'police_chief')) return 'police';
  return 'mairie';
}

/** Chooses the target and checks it is this caller's to choose: the one place "who may target what" is decided. */
async function authorizedTarget(
  ctx: MercuriusContext,
  own: string | null,
  input: RaiseAlertInput['target'],
): Promise<{ target: Target; kind: AuthorKind }> {
  const me = ctx.requireAccount();
  const kind = input?.kind ?? 'community';
  if (kind === 'community') {
    const sectorId = input?.sectorIds?.[0]?.toLowerCase() ?? own;
    if ((input?.sectorIds?.length ?? 0) > 1)
      throw fail('ALERT_TARGET_INVALID', 'Une communauté : un seul secteur.');
    if (!sectorId) throw fail('ALERT_NO_COMMUNITY');
    if (sectorId === own && ctx.can('alerts.alert.raise_own_community', { communityId: own }))
      return { target: { kind, sectorIds: [own] }, kind: 'resident' };
    ctx.authorize('alerts.alert.raise_any');
    return {
      target: { kind, sectorIds: await ctx.tx((trx) => checkSectors(trx, [sectorId])) },
      kind: authorKindOf(me),
    };
  }
  ctx.authorize('alerts.alert.raise_any');
  if (kind === 'commune') return { target: { kind, sectorIds: [] }, kind: authorKindOf(me) };
  if (kind === 'area') {
    if (input?.sectorIds?.length) throw fail('ALERT_TARGET_INVALID', 'Une zone dessinée, sans secteur.');
    const area = parseArea(input?.area);
    return {
      target: { kind, area, sectorIds: await ctx.tx((trx) => sectorsOfArea(trx, area)) },
      kind: authorKindOf(me),
    };
  }
  if (input?.area) throw fail('ALERT_TARGET_INVALID', 'Une zone va avec la cible « zone dessinée ».');
  return {
    target: { kind, sectorIds: await ctx.tx((trx) => checkSectors(trx, input?.sectorIds ?? [])) },
    kind: authorKindOf(me),
  };
}

async function readableAlert(ctx: MercuriusContext, id: string): Promise<Alert | null> {
  const me = ctx.requireAccount();
  return ctx.tx(async (trx) => {
    const a = await getAlert(trx, id);
    if (!a) return null;
    if (a.authorAccountId === me.accountId || ctx.can('alerts.alert.read_all')) return a;
    return (await isRecipient(trx, id, me.accountId)) ? a : null;
  });
}

async function afterStatusChange(
  ctx: MercuriusContext,
  alert: Alert,
  acknowledgedNow: boolean,
): Promise<void> {
  const a = app(ctx);
  const tenant = ctx.requireTenant();
  if (acknowledgedNow) await a.alerts.acknowledged(tenant, alert.id);
  a.alerts.publishStatus(tenant.id, alert);
}

/** Who may follow an alert up: its author on the staff, or the police who handle every alert. */
function followUpPermission(ctx: MercuriusContext, a: Alert): string {
  return a.authorAccountId === ctx.principal?.accountId ? 'alerts.alert.follow_up' : 'alerts.alert.triage';
}

async function followUp(
  ctx: MercuriusContext,
  args: { alertId: string; text: string; closure?: AlertClosure | null },
  kind: FollowUpKind,
): Promise<Alert> {
  const me = ctx.requireAccount();
  const tenant = ctx.requireTenant();
  ctx.rateLimit('alert-follow-up', `${tenant.id}:${me.accountId}`, { max: 30, windowMs: 10 * 60_000 });
  const res = await ctx.tx(async (trx) => {
    const first = await getAlert(trx, args.alertId);
    if (!first) throw fail('ALERT_NOT_FOUND');
    ctx.authorize(followUpPermission(ctx, first));
    return postFollowUp(trx, tenant.id, args.alertId, {
      kind,
      text: args.text,
      by: { accountId: me.accountId, kind: authorKindOf(me) },
      ...(args.closure ? { closure: args.closure } : {}),
      requestId: ctx.requestId,
    });
  });
  await app(ctx).alerts.followedUp(tenant, res.followUp, res.alert);
  if (res.acknowledgedNow) await app(ctx).alerts.acknowledged(tenant, res.alert.id);
  return res.alert;
}

const onDutyView = (o: OnDuty | null) =>
  o ? { accountId: o.accountId, displayName: o.displayName, since: new Date(o.since).toISOString() } : null;

export const alertsResolvers: IResolvers = {
  Query: {
    policeOnDuty: async (_r, _a, ctx) => {
      ctx.authorize('alerts.alert.read_all');
      return onDutyView(await ctx.tx((trx) => onDutyOfficer(trx)));
    },
    alertCategories: async (_r, _a, ctx) => {
      const tenant = ctx.requireTenant();
      return ctx.tx((trx) => listCategories(trx, tenant.id));
    },
    myAlerts: async (_r, args: { limit: number; before?: string | null }, ctx) => {
      const me = ctx.requireAccount();
      return ctx.tx((trx) =>
        listAlerts(trx, { authorAccountId: me.accountId }, { limit: args.limit, before: args.before }),
      );
    },
    alerts: async (
      _r,
      args: {
        filter?: {
          statuses?: AlertStatus[];
          severities?: Severity[];
          sectorId?: string;
          since?: string;
        } | null;
        limit: number;
        before?: string | null;
      },
      ctx,
    ) => {
      ctx.authorize('alerts.alert.read_all');
      const f = args.filter ?? {};
      const since = f.since ? new Date(f.since) : undefined;
      if (since && Number.isNaN(since.getTime()))
        throw new VigieError('VALIDATION_FAILED', undefined, { field: 'since' });
      return ctx.tx((trx) =>
        listAlerts(
          trx,
          { statuses: f.statuses, severities: f.severities, sectorId: f.sectorId?.toLowerCase(), since },
          { limit: args.limit, before: args.before },
        ),
      );
    },
    alert: async (_r, args: { id: string }, ctx) => readableAlert(ctx, args.id),
    alertPreview: async (_r, args: { input: unknown }, ctx) => {
      const me = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      ctx.authorize('alerts.alert.raise_any');
      const input = parseRaiseAlertInput(stripNulls(args.input));
      const own = await ctx.tx((trx) => communityOf(trx, me.accountId));
      const { target } = await authorizedTarget(ctx, own, input.target);
      const config = app(ctx).config;
      return ctx.tx(async (trx) => {
        const category = (await listCategories(trx, tenant.id)).find((c) => c.slug === input.category);
        if (!category) throw fail('ALERT_CATEGORY_UNKNOWN');
        const severity = input.severity ?? category.defaultSeverity;
        const portal = portalUrl(config, tenant.slug);
        return previewAlert(trx, {
          tenantId: tenant.id,
          target,
          severity,
          channels: input.channels ?? null,
          authorAccountId: me.accountId,
          now: new Date(),
          smsBudget: alertSettings(tenant.settings).smsMonthlyBudget,
          content: {
            communeName: tenant.name,
            severity,
            categoryFr: category.labelFr,
            categoryEn: category.labelEn,
            text: input.text,
            // The link's length counts in the SMS: an alert page's address, with an id of the same length.
            link: `${portal}/alertes/00000000-0000-0000-0000-000000000000`,
            preferencesUrl: `${portal}/preferences`,
            purpose: 'alert',
          },
        });
      });
    },
    alertDeliveryReport: async (
      _r,
      args: {
        alertId: string;
        status?: DeliveryStatus | null;
        channel?: Channel | null;
        limit: number;
        after?: string | null;
      },
      ctx,
    ) => {
      ctx.authorize('alerts.delivery.read');
      return ctx.tx(async (trx) => {
        if (!(await getAlert(trx, args.alertId))) throw fail('ALERT_NOT_FOUND');
        const report = await deliveryReport(trx, args.alertId, {
          limit: args.limit,
          after: args.after,
          status: args.status ?? undefined,
          channel: args.channel ?? undefined,
        });
        const summary = (await deliverySummaries(trx, [args.alertId])).get(args.alertId)!;
        return { summary, items: report.items, nextCursor: report.nextCursor };
      });
    },
  },
  Mutation: {
    setPoliceOnDuty: async (_r, a: { accountId?: string | null }, ctx) => {
      ctx.authorize('alerts.on_duty.set');
      const me = ctx.requireAccount();
      return onDutyView(
        await ctx.tx((trx) =>
          setOnDutyOfficer(trx, me.tenantId, a.accountId ?? null, {
            accountId: me.accountId,
            ...(ctx.reply?.request?.id ? { requestId: ctx.reply.request.id } : {}),
          }),
        ),
      );
    },
    raiseAlert: async (_r, args: { input: unknown }, ctx) => {
      const me = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      ctx.rateLimit('alert-raise', `${tenant.id}:${me.accountId}`, { max: 20, windowMs: 10 * 60_000 });
      const input = parseRaiseAlertInput(stripNulls(args.input));
      const own = await ctx.tx((trx) => communityOf(trx, me.accountId));
      const { target, kind } = await authorizedTarget(ctx, own, input.target);
      const alert = await ctx.tx((trx) =>
        recordAlert(
          trx,
          tenant.id,
          { author: { accountId: me.accountId, kind }, origin: 'web', target, input },
          { requestId: ctx.requestId },
        ),
      );
      await app(ctx).alerts.raised(tenant, alert);
      return alert;
    },
    acknowledgeAlert: async (_r, args: { id: string; note?: string | null }, ctx) => {
      const me = ctx.requireAccount();
      ctx.authorize('alerts.alert.triage');
      const tenant = ctx.requireTenant();
      const res = await ctx.tx(async (trx) => {
        const current = await getAlert(trx, args.id);
        if (!current) throw fail('ALERT_NOT_FOUND');
        if (current.status !== 'received') return { alert: current, acknowledgedNow: false, changed: false };
        const r = await changeAlertStatus(trx, tenant.id, args.id, {
          to: 'acknowledged',
          note: args.note ?? null,
          byAccountId: me.accountId,
        });
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: me.accountId },
          action: 'alert.acknowledged',
          target: { type: 'alert', id: args.id },
          requestId: ctx.requestId,
        });
        return { ...r, changed: true };
      });
      if (res.changed) await afterStatusChange(ctx, res.alert, res.acknowledgedNow);
      return res.alert;
    },
    setAlertStatus: async (
      _r,
      args: { id: string; status: AlertStatus; closure?: AlertClosure | null; note?: string | null },
      ctx,
    ) => {
      const me = ctx.requireAccount();
      ctx.authorize('alerts.alert.triage');
      const tenant = ctx.requireTenant();
      const res = await ctx.tx(async (trx) => {
        const r = await changeAlertStatus(trx, tenant.id, args.id, {
          to: args.status,
          closure: args.closure ?? null,
          note: args.note ?? null,
          byAccountId: me.accountId,
        });
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: me.accountId },
          action: 'alert.status_changed',
          target: { type: 'alert', id: args.id },
          meta: { status: args.status, closure: args.closure ?? null },
          requestId: ctx.requestId,
        });
        return r;
      });
      await afterStatusChange(ctx, res.alert, res.acknowledgedNow);
      return res.alert;
    },
    addAlertFollowUp: (_r, args: { alertId: string; text: string }, ctx) => followUp(ctx, args, 'update'),
    endAlert: (_r, args: { alertId: string; text: string; closure?: AlertClosure | null }, ctx) =>
      followUp(ctx, args, 'end'),
  },
  Subscription: {
    alertRaised: {
      subscribe: async (_r, _a, ctx) => {
        const tenant = ctx.requireTenant();
        ctx.authorize('alerts.alert.read_all');
        return ctx.pubsub.subscribe(raisedTopic(tenant.id));
      },
    },
    alertStatusChanged: {
      subscribe: async (_r, _a, ctx) => {
        const tenant = ctx.requireTenant();
        const me = ctx.requireAccount();
        return ctx.pubsub.subscribe(
          statusTopic(tenant.id, ctx.can('alerts.alert.read_all') ? null : me.accountId),
        );
      },
    },
  },
  Alert: {
    ref: (a: Alert) => alertRef(a.id),
    createdAt: (a: Alert) => iso(a.createdAt),
    acknowledgedAt: (a: Alert) => iso(a.acknowledgedAt),
    closedAt: (a: Alert) => iso(a.closedAt),
    targetArea: (a: Alert) => (a.targetArea ? JSON.stringify(a.targetArea) : null),
    mine: (a: Alert, _args, ctx) => !!ctx.principal && a.authorAccountId === ctx.principal.accountId,
    canFollowUp: (a: Alert, _args, ctx) =>
      !!ctx.principal && !a.followsAlertId && ctx.can(followUpPermission(ctx, a)),
  },
  AlertFollowUp: {
    createdAt: (f: FollowUp) => iso(f.createdAt),
  },
  AlertCategory: {
    // French first: the account's language is not in the session yet.
    label: (c: Category) => c.labelFr,
  },
  AlertStatusChange: {
    at: (h: { at: Date | string }) => iso(h.at),
  },
  DeliveryRecord: {
    recipientName: (d: { displayName: string | null }) => d.displayName,
    queuedAt: (d: { queuedAt: Date }) => iso(d.queuedAt),
    sendingAt: (d: { sendingAt: Date | null }) => iso(d.sendingAt),
    sentAt: (d: { sentAt: Date | null }) => iso(d.sentAt),
    deliveredAt: (d: { deliveredAt: Date | null }) => iso(d.deliveredAt),
    failedAt: (d: { failedAt: Date | null }) => iso(d.failedAt),
    notBefore: (d: { notBefore: Date | null }) => iso(d.notBefore),
  },
};

/** GraphQL sends explicit nulls for omitted optional inputs; the schema treats absent and null alike. */
function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, stripNulls(x)]),
    );
  return v;
}

type Query<P = Record<string, never>> = { obj: Alert; params: P };

/** Relation fields of Alert, batched per request (a staff list of 50 alerts makes 4 queries, not 200). */
export const alertsLoaders: MercuriusLoaders = {
  Alert: {
    category: async (queries: Query[], ctx) => {
      const map = await ctx.tx((trx) =>
        categoriesById(
          trx,
          queries.map((q) => q.obj.categoryId),
        ),
      );
      return queries.map((q) => map.get(q.obj.categoryId));
    },
    history: async (queries: Query[], ctx) => {
      const staff = ctx.can('alerts.alert.read_all');
      const map = await ctx.tx((trx) =>
        historyOf(
          trx,
          queries.map((q) => q.obj.id),
        ),
      );
      return queries.map((q) =>
        (map.get(q.obj.id) ?? []).map((h) => ({ ...h, note: staff ? h.note : null })),
      );
    },
    authorName: async (queries: Query[], ctx) => {
      const me = ctx.principal;
      const staff = ctx.can('alerts.alert.read_all');
      const ids = queries
        .filter((q) => q.obj.authorAccountId && (staff || q.obj.authorAccountId === me?.accountId))
        .map((q) => q.obj.authorAccountId!);
      const names = ids.length
        ? await ctx.tx((trx) =>
            trx('accounts')
              .whereIn('id', [...new Set(ids)])
              .select('id', 'display_name'),
          )
        : [];
      const byId = new Map(
        (names as Array<{ id: string; display_name: string }>).map((n) => [n.id, n.display_name]),
      );
      return queries.map((q) =>
        q.obj.authorAccountId && ids.includes(q.obj.authorAccountId)
          ? (byId.get(q.obj.authorAccountId) ?? null)
          : null,
      );
    },
    photoUrl: async (queries: Query[], ctx) => {
      const me = ctx.principal;
      const withPhoto = queries.filter((q) => q.obj.photoKey);
      if (!me || withPhoto.length === 0) return queries.map(() => null);
      const tenant = ctx.requireTenant();
      const staff = ctx.can('alerts.alert.read_all');
      const ids = withPhoto.map((q) => q.obj.id);
      // Visibility as for alert(id): the author, staff, or a recipient. An Alert
      // reaching someone else (a plugin's field) carries no link.
      const { photos, received } = await ctx.tx(async (trx) => ({
        photos: await photosOf(trx, ids),
        received: staff ? new Set<string>() : await receivedAmong(trx, ids, me.accountId),
      }));
      const secret = app(ctx).config.secret;
      return queries.map((q) => {
        const photoId = photos.get(q.obj.id);
        if (!photoId) return null;
        if (!(staff || q.obj.authorAccountId === me.accountId || received.has(q.obj.id))) return null;
        return photoUrl(secret, { tenantId: tenant.id, photoId, accountId: me.accountId }).url;
      });
    },
    followUps: async (queries: Query[], ctx) => {
      const map = await ctx.tx((trx) =>
        followUpsOf(
          trx,
          queries.map((q) => q.obj.id),
        ),
      );
      return queries.map((q) => map.get(q.obj.id) ?? []);
    },
    deliverySummary: async (queries: Query[], ctx) => {
      const me = ctx.principal;
      const staff = ctx.can('alerts.delivery.read');
      const allowed = queries.filter((q) => staff || (me && q.obj.authorAccountId === me.accountId));
      const map = allowed.length
        ? await ctx.tx((trx) =>
            deliverySummaries(
              trx,
              allowed.map((q) => q.obj.id),
            ),
          )
        : new Map();
      return queries.map((q) => (allowed.includes(q) ? (map.get(q.obj.id) ?? null) : null));
    },
  },
};
