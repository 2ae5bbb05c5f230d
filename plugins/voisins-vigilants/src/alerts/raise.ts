// A neighbour's alert: the structured form checked, the hourly budget counted
// in the database, a duplicate merged into the first alert, and everything
// else (recording, delivery to the community, the police and the mairie) left
// to the core alert model through services.alerts.
import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../errors.js';
import {
  alertsErrors,
  type AlertSeverity,
  type PlatformAlert,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { settingsOf } from '../context.js';
import { hasAcceptedCharter, requireMember } from '../community/membership.js';
import { parseInput } from '../validate.js';
import { alertText, LIMITS, MERGE_WINDOW_MS } from './texts.js';
import { PLUGIN_ID } from '../settings.js';

export const P_RAISE = 'voisins-vigilants.alert.raise';

const Severity = Type.Union([Type.Literal('info'), Type.Literal('important'), Type.Literal('urgent')]);

export const NeighbourAlertInput = Type.Object(
  {
    what: Type.String({
      minLength: 3,
      maxLength: LIMITS.what,
      errorMessage: `Décrivez ce que vous avez vu, de 3 à ${LIMITS.what} caractères.`,
    }),
    place: Type.String({
      minLength: 2,
      maxLength: LIMITS.place,
      errorMessage: `Indiquez où, en ${LIMITS.place} caractères au plus.`,
    }),
    seenAt: Type.Optional(
      Type.String({ maxLength: 40, errorMessage: 'Date et heure attendues (ISO 8601).' }),
    ),
    vehicle: Type.Optional(
      Type.String({
        maxLength: LIMITS.vehicle,
        errorMessage: `Décrivez le véhicule en ${LIMITS.vehicle} caractères au plus.`,
      }),
    ),
    plate: Type.Optional(
      Type.String({
        pattern: `^[A-Za-z0-9][A-Za-z0-9 -]{1,${LIMITS.plate - 1}}$`,
        errorMessage: 'Plaque : lettres, chiffres et tirets, 12 caractères au plus.',
      }),
    ),
    category: Type.String({ minLength: 1, maxLength: 41, errorMessage: 'Choisissez une catégorie.' }),
    severity: Type.Optional(Severity),
    location: Type.Optional(
      Type.Object(
        {
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
        },
        { additionalProperties: false },
      ),
    ),
    called17: Type.Optional(Type.Boolean()),
    photoKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        errorMessage: 'Photo : envoyez-la d’abord (POST /alerts/photos) et donnez la clé reçue.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NeighbourAlertInput = Static<typeof NeighbourAlertInput>;

const RANK: Record<AlertSeverity, number> = { info: 0, important: 1, urgent: 2 };
/** Facts older than this are not an alert any more: tell the police directly. */
const MAX_AGE_MS = 7 * 86_400_000;
/** Clocks of phones drift: a few minutes ahead is still "now". */
const CLOCK_SKEW_MS = 5 * 60_000;

function seenAtOf(raw: string | undefined, now: Date): Date {
  if (!raw) return now;
  const at = new Date(raw);
  const issue = (message: string) =>
    fail('VALIDATION_FAILED', message, { issues: [{ path: '/seenAt', message }] });
  if (Number.isNaN(at.getTime())) throw issue('Date et heure attendues (ISO 8601).');
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw issue('Ce que vous avez vu ne peut pas être dans le futur.');
  if (at.getTime() < now.getTime() - MAX_AGE_MS)
    throw issue(
      'Une alerte porte sur des faits de moins de 7 jours : pour des faits plus anciens, contactez la police municipale.',
    );
  return at;
}

/** Posts of the last hour, counted under a per-author lock so that two requests at once cannot both pass. */
async function checkHourlyBudget(trx: Trx, accountId: string, perHour: number): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`${PLUGIN_ID}:alert:${accountId}`]);
  const row = (await trx('vv_alert_reports')
    .where({ author_id: accountId })
    .where('created_at', '>', trx.raw(`now() - interval '1 hour'`))
    .count('* as n')
    .first()) as { n: string | number } | undefined;
  if (Number(row?.n ?? 0) >= perHour)
    // The catalogue's message, in the caller's language; the limit itself is in the details.
    throw fail('NEIGHBOUR_ALERT_RATE_LIMITED', undefined, { perHour });
}

export interface Raised {
  alert: PlatformAlert;
  merged: boolean;
}

export async function raiseNeighbourAlert(ctx: VigieContext, trx: Trx, raw: unknown): Promise<Raised> {
  const { account, community } = await requireMember(ctx, trx);
  ctx.authorize(P_RAISE, { communityId: community.id });
  const settings = settingsOf(ctx);
  if (!(await hasAcceptedCharter(trx, account.accountId, settings.charterVersion)))
    throw fail('CHARTER_NOT_ACCEPTED', undefined, { version: settings.charterVersion });
  const input = parseInput(NeighbourAlertInput, raw);
  const now = new Date();
  const seenAt = seenAtOf(input.seenAt, now);
  const tenant = ctx.requireTenant();

  const category = (await ctx.services.alerts.categories(trx, tenant.id)).find(
    (c) => c.slug === input.category,
  );
  if (!category) throw alertsErrors.fail('ALERT_CATEGORY_UNKNOWN', undefined, { category: input.category });
  const severity = input.severity ?? category.defaultSeverity;
  if (severity === 'urgent' && input.called17 !== true) throw fail('NEIGHBOUR_ALERT_CALL_17_REQUIRED');

  await checkHourlyBudget(trx, account.accountId, settings.alertsPerHour);

  const vehicle = input.vehicle || undefined;
  const plate = input.plate ? input.plate.toUpperCase().replace(/\s+/g, ' ') : undefined;
  const text = alertText({ what: input.what, place: input.place, seenAt, vehicle, plate });
  const first = await ctx.services.alerts.recentByAuthor(trx, {
    accountId: account.accountId,
    category: category.slug,
    since: new Date(now.getTime() - MERGE_WINDOW_MS),
  });
  // A more serious duplicate is not folded into a milder alert: it needs its own
  // delivery (and, when urgent, the escalation to the police chief).
  // A photo is not folded in either: the first alert's recipients would never see it.
  const merge =
    !input.photoKey &&
    first &&
    first.targetSectorIds.includes(community.id) &&
    RANK[severity] <= RANK[first.severity];
  const alert = merge
    ? await ctx.services.alerts.append(trx, {
        tenantId: tenant.id,
        alertId: first.id,
        text,
        byAccountId: account.accountId,
        requestId: ctx.requestId,
      })
    : await ctx.services.alerts.raise(trx, {
        tenant: { id: tenant.id, slug: tenant.slug },
        author: { accountId: account.accountId },
        origin: 'web',
        communityId: community.id,
        category: category.slug,
        severity,
        text,
        ...(input.location ? { location: input.location } : {}),
        ...(input.photoKey ? { photoKey: input.photoKey } : {}),
        requestId: ctx.requestId,
        meta: { plugin: PLUGIN_ID },
      });

  await trx('vv_alert_reports').insert({
    tenant_id: tenant.id,
    alert_id: alert.id,
    author_id: account.accountId,
    community_id: community.id,
    category: category.slug,
    severity,
    what: input.what,
    place: input.place,
    seen_at: seenAt,
    vehicle: vehicle ?? null,
    plate: plate ?? null,
    called_17: input.called17 === true,
    merged: !!merge,
  });
  return { alert, merged: !!merge };
}
