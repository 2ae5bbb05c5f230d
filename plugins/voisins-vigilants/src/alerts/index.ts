// Alerts from neighbours: the structured form (behaviour first, 17 and the
// police municipale shown), raising through the core alert model and its
// guaranteed delivery, the hourly budget, duplicates merged, the neighbours'
// reactions, and the community page's latest alerts.
//
// The core Alert type gains two fields here (reactions, neighbourReport): they
// exist only for communes with the plugin, like everything else it adds.
import type {
  AlertCategory,
  PluginLoaders,
  PluginResolvers,
  PlatformAlert,
  Trx,
  VigieContext,
} from '@vigie/platform/plugin';
import { iso, settingsOf } from '../context.js';
import { neighbourLoader } from '../loaders.js';
import type { Slice } from '../slice.js';
import { P_RAISE, raiseNeighbourAlert } from './raise.js';
import { P_REACT, reactionsOf, reactToAlert, type ReactionKind } from './reactions.js';
import { formTexts, MERGE_WINDOW_MS, PHOTO, type Locale } from './texts.js';

const RESIDENTS = ['resident', 'referent'];
const STAFF_READ = 'alerts.alert.read_all';

const typeDefs = /* GraphQL */ `
  enum NeighbourAlertLocale {
    fr
    en
  }

  enum NeighbourReactionKind {
    "« J'ai vu aussi »"
    seen_too
    "« Je peux aider »"
    can_help
  }

  type NeighbourAlertField {
    name: String!
    label: String!
    help: String!
    maxLength: Int
    required: Boolean!
  }

  type PoliceMunicipaleContact {
    label: String!
    "The commune's police municipale, as its tenant definition gives it."
    phone: String
    hours: String
  }

  "What the alert form shows: behaviour first, never appearance or origin, and who to call first."
  type NeighbourAlertForm {
    locale: NeighbourAlertLocale!
    title: String!
    "« Danger immédiat ? Appelez le 17 »"
    emergency: String!
    policeEmergencyNumber: String!
    europeanEmergencyNumber: String!
    europeanEmergency: String!
    policeMunicipale: PoliceMunicipaleContact!
    "Against naming or accusing anyone, or describing what a person looks like or where they come from."
    warning: String!
    "What an urgent alert asks the author to confirm."
    urgentConfirmation: String!
    fields: [NeighbourAlertField!]!
    categories: [AlertCategory!]!
    alertsPerHour: Int!
    "Alerts the caller may still send this hour."
    alertsLeftThisHour: Int!
    mergeWindowMinutes: Int!
    "The optional photo: where to send it first, what it may be."
    photo: NeighbourAlertPhotoRules!
  }

  type NeighbourAlertPhotoRules {
    "POST, multipart, field « file »; the answer's photoKey goes into the alert."
    uploadUrl: String!
    acceptedTypes: [String!]!
    maxBytes: Int!
    help: String!
  }

  input NeighbourAlertInput {
    "What was seen: a behaviour, an action (500 characters at most)."
    what: String!
    "Where (150 characters at most)."
    place: String!
    "When it was seen (ISO 8601); now when omitted."
    seenAt: String
    "Type, colour, make, direction (150 characters at most)."
    vehicle: String
    "For the police only: neighbours never receive it."
    plate: String
    "Slug of a category (neighbourAlertForm.categories)."
    category: String!
    "Defaults to the category's severity."
    severity: AlertSeverity
    location: AlertLocationInput
    "Required for an urgent alert: the author has called, or will call, 17."
    called17: Boolean
    "From POST /alerts/photos (the form's photo rules): the caller's own upload, not used by another alert."
    photoKey: String
  }

  type NeighbourAlertRaised {
    alert: Alert!
    "A duplicate (same author and category within 10 minutes) added to the first alert: nothing was sent again."
    merged: Boolean!
  }

  type NeighbourReaction {
    neighbour: Neighbour!
    kind: NeighbourReactionKind!
    at: String!
  }

  type NeighbourAlertReactions {
    seenToo: Int!
    canHelp: Int!
    "The caller's own reactions."
    mine: [NeighbourReactionKind!]!
    "Who answered: the author and the police only (null for others)."
    neighbours: [NeighbourReaction!]
  }

  "What the neighbour's form said. The plate is shown to the author and the police only."
  type NeighbourAlertReport {
    what: String!
    place: String!
    seenAt: String!
    vehicle: String
    plate: String
    called17: Boolean!
    "Duplicates merged into this alert."
    mergedReports: Int!
  }

  "An alert on the community page: no personal data of a neighbour beyond their display name."
  type CommunityAlert {
    id: ID!
    ref: String!
    category: AlertCategory!
    severity: AlertSeverity!
    status: AlertStatus!
    closure: AlertClosure
    text: String!
    authorKind: AlertAuthorKind!
    "The neighbour who raised it (display name); null for the police and the mairie."
    author: Neighbour
    mine: Boolean!
    seenToo: Int!
    canHelp: Int!
    createdAt: String!
    closedAt: String
  }

  extend type Community {
    "Alerts that reached the community (its own and the whole commune's), newest first."
    latestAlerts(limit: Int = 5): [CommunityAlert!]!
  }

  extend type Alert {
    "Neighbours' answers (« j'ai vu aussi », « je peux aider »)."
    reactions: NeighbourAlertReactions!
    "The structured form of a neighbour's alert; null for other alerts."
    neighbourReport: NeighbourAlertReport
  }

  extend type Query {
    neighbourAlertForm(locale: NeighbourAlertLocale = fr): NeighbourAlertForm!
  }

  extend type Mutation {
    "Alerts one's own community, the police municipale and the mairie, through guaranteed delivery."
    raiseNeighbourAlert(input: NeighbourAlertInput!): NeighbourAlertRaised!
    "Answers a neighbour's alert of one's community; once per kind, again changes nothing."
    reactToNeighbourAlert(alertId: ID!, kind: NeighbourReactionKind!): Alert!
  }
`;

function policeContact(ctx: VigieContext, label: string) {
  const police = (ctx.requireTenant().settings as { police?: { phone?: unknown; hours?: unknown } }).police;
  return {
    label,
    phone: typeof police?.phone === 'string' ? police.phone : null,
    hours: typeof police?.hours === 'string' ? police.hours : null,
  };
}

async function sentThisHour(trx: Trx, accountId: string): Promise<number> {
  const row = (await trx('vv_alert_reports')
    .where({ author_id: accountId })
    .where('created_at', '>', trx.raw(`now() - interval '1 hour'`))
    .count('* as n')
    .first()) as { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}

const resolvers: PluginResolvers = {
  Query: {
    neighbourAlertForm: (_r, { locale }: { locale: Locale }, ctx) =>
      ctx.tx(async (trx) => {
        const account = ctx.requireAccount();
        const texts = formTexts(locale === 'en' ? 'en' : 'fr');
        const perHour = settingsOf(ctx).alertsPerHour;
        return {
          ...texts,
          policeMunicipale: policeContact(ctx, texts.policeMunicipale),
          categories: await ctx.services.alerts.categories(trx, account.tenantId),
          alertsPerHour: perHour,
          alertsLeftThisHour: Math.max(0, perHour - (await sentThisHour(trx, account.accountId))),
          mergeWindowMinutes: MERGE_WINDOW_MS / 60_000,
          photo: {
            uploadUrl: PHOTO.uploadUrl,
            acceptedTypes: PHOTO.acceptedTypes,
            maxBytes: PHOTO.maxBytes,
            help: texts.photoHelp,
          },
        };
      }),
  },
  Mutation: {
    raiseNeighbourAlert: (_r, { input }: { input: unknown }, ctx) =>
      ctx.tx((trx) => raiseNeighbourAlert(ctx, trx, input)),
    reactToNeighbourAlert: (_r, a: { alertId: string; kind: ReactionKind }, ctx) =>
      ctx.tx((trx) => reactToAlert(ctx, trx, a.alertId, a.kind)),
  },
  CommunityAlert: {
    ref: (a: CommunityAlertObj) => a.id.slice(0, 8).toUpperCase(),
  },
};

interface CommunityAlertObj {
  id: string;
  category: AlertCategory;
  severity: string;
  status: string;
  closure: string | null;
  text: string;
  authorKind: string;
  authorId: string | null;
  mine: boolean;
  seenToo: number;
  canHelp: number;
  createdAt: string | null;
  closedAt: string | null;
}

function retired(id: string): AlertCategory {
  return {
    id,
    slug: 'retiree',
    labelFr: 'Catégorie retirée',
    labelEn: 'Retired category',
    defaultSeverity: 'info',
    position: 0,
    active: false,
  };
}

type AlertQuery = { obj: PlatformAlert };

const loaders: PluginLoaders = {
  Community: {
    latestAlerts: async (
      queries: Array<{ obj: { id: string }; params: { limit: number } }>,
      ctx: VigieContext,
    ) =>
      ctx.tx(async (trx) => {
        const me = ctx.principal?.accountId;
        const categories = new Map(
          (await ctx.services.alerts.categories(trx, ctx.requireTenant().id, { includeRetired: true })).map(
            (c) => [c.id, c],
          ),
        );
        return Promise.all(
          queries.map(async (q) => {
            const alerts = await ctx.services.alerts.listForCommunity(trx, q.obj.id, {
              limit: Math.min(Math.max(q.params.limit, 1), 20),
            });
            const reactions = await reactionsOf(
              trx,
              alerts.map((a) => a.id),
            );
            return alerts.map((a): CommunityAlertObj => ({
              id: a.id,
              category: categories.get(a.categoryId) ?? retired(a.categoryId),
              severity: a.severity,
              status: a.status,
              closure: a.closure,
              text: a.text,
              authorKind: a.authorKind,
              // Staff who raise an alert speak for their service, not as a neighbour.
              authorId: a.authorKind === 'resident' ? a.authorAccountId : null,
              mine: !!me && a.authorAccountId === me,
              seenToo: (reactions.get(a.id) ?? []).filter((r) => r.kind === 'seen_too').length,
              canHelp: (reactions.get(a.id) ?? []).filter((r) => r.kind === 'can_help').length,
              createdAt: iso(a.createdAt),
              closedAt: iso(a.closedAt),
            }));
          }),
        );
      }),
  },
  CommunityAlert: {
    author: neighbourLoader<CommunityAlertObj>((a) => a.authorId),
  },
  Alert: {
    reactions: async (queries: AlertQuery[], ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const me = ctx.principal?.accountId;
        const staff = ctx.can(STAFF_READ);
        const all = await reactionsOf(
          trx,
          queries.map((q) => q.obj.id),
        );
        return queries.map((q) => {
          const rows = all.get(q.obj.id) ?? [];
          const seesWho = staff || (!!me && q.obj.authorAccountId === me);
          return {
            seenToo: rows.filter((r) => r.kind === 'seen_too').length,
            canHelp: rows.filter((r) => r.kind === 'can_help').length,
            mine: rows.filter((r) => r.accountId === me).map((r) => r.kind),
            neighbours: seesWho
              ? rows.map((r) => ({ accountId: r.accountId, kind: r.kind, at: iso(r.at) }))
              : null,
          };
        });
      }),
    neighbourReport: async (queries: AlertQuery[], ctx: VigieContext) =>
      ctx.tx(async (trx) => {
        const me = ctx.principal?.accountId;
        const staff = ctx.can(STAFF_READ);
        const rows = (await trx('vv_alert_reports')
          .whereIn(
            'alert_id',
            queries.map((q) => q.obj.id),
          )
          .orderBy(['created_at', 'id'])
          .select('alert_id', 'what', 'place', 'seen_at', 'vehicle', 'plate', 'called_17')) as Array<{
          alert_id: string;
          what: string;
          place: string;
          seen_at: Date;
          vehicle: string | null;
          plate: string | null;
          called_17: boolean;
        }>;
        return queries.map((q) => {
          const mine = rows.filter((r) => r.alert_id === q.obj.id);
          const first = mine[0];
          if (!first) return null;
          const seesPlate = staff || (!!me && q.obj.authorAccountId === me);
          return {
            what: first.what,
            place: first.place,
            seenAt: iso(first.seen_at),
            vehicle: first.vehicle,
            plate: seesPlate ? first.plate : null,
            called17: mine.some((r) => r.called_17),
            mergedReports: mine.length - 1,
          };
        });
      }),
  },
  NeighbourReaction: {
    neighbour: neighbourLoader<{ accountId: string }>((r) => r.accountId),
  },
};

export const alerts: Slice = {
  name: 'alerts',
  typeDefs,
  resolvers,
  loaders,
  // Like the core's raiseAlert: a suspended commune's residents can still alert the police.
  allowWhenSuspended: ['raiseNeighbourAlert'],
  permissions: [
    {
      name: P_RAISE,
      description: 'Alerter sa communauté, la police municipale et la mairie (formulaire structuré)',
      roles: RESIDENTS,
    },
    {
      name: P_REACT,
      description: "Répondre à l'alerte d'un voisin : « j'ai vu aussi », « je peux aider »",
      roles: RESIDENTS,
    },
  ],
};
