// The declaration as stored, the form's schema (one TypeBox schema for
// validation and type), and the commune's rules, checked on the server.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PlatformServices, Trx } from '@vigie/platform/plugin';
import { fail } from './errors.js';
import { DAY, PLUGIN_ID, type TranquilliteSettings } from './settings.js';

export interface AbsenceRow {
  id: string;
  tenant_id: string;
  account_id: string;
  declared_by: string | null;
  kind: 'home' | 'shop';
  residence: 'main' | 'secondary';
  address_id: string | null;
  address_label: string;
  lon: number | null;
  lat: number | null;
  departs_at: Date;
  returns_at: Date;
  status: 'pending' | 'validated' | 'refused' | 'cancelled';
  refusal_reason: string | null;
  decided_at: Date | null;
  cancelled_at: Date | null;
  early_return_at: Date | null;
  last_visit_at: Date | null;
  summary_sent_at: Date | null;
  details: Details;
  door_code_sealed: string | null;
  key_holders_sealed: string | null;
  notice_channels: string[];
  created_at: Date;
}

const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const DateTime = Type.String({
  minLength: 10,
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T',
  errorMessage: 'Date et heure invalides (format ISO 8601 attendu).',
});

/** What police forms ask besides the dates and the address; kept as typed. */
const DetailsSchema = Type.Object({
  awayPhone: Text(30),
  awayAddress: Text(300),
  contactName: Text(120),
  contactPhone: Text(30),
  /** The language the person to contact is called in (French unless the resident says English). */
  contactLocale: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])),
  alarm: Type.Optional(Type.Boolean()),
  alarmCompany: Text(120),
  presenceSimulation: Type.Optional(Type.Boolean()),
  dwelling: Type.Optional(Type.Union([Type.Literal('house'), Type.Literal('flat')])),
  floor: Text(20),
  vehicles: Text(300),
  pets: Text(300),
  notes: Text(2000),
  businessName: Text(200),
  businessActivity: Text(200),
  businessPhone: Text(30),
});
export type Details = Static<typeof DetailsSchema>;

export const AbsenceInput = Type.Composite([
  DetailsSchema,
  Type.Object({
    kind: Type.Union([Type.Literal('home'), Type.Literal('shop')]),
    residence: Type.Union([Type.Literal('main'), Type.Literal('secondary')]),
    addressId: Type.Optional(Type.String({ maxLength: 40 })),
    departsAt: DateTime,
    returnsAt: DateTime,
    doorCode: Text(40),
    keyHolders: Text(1000),
    noticeChannels: Type.Optional(
      Type.Array(Type.Union(['in_app', 'email', 'sms', 'push'].map((c) => Type.Literal(c))), {
        maxItems: 4,
      }),
    ),
  }),
]);
export type AbsenceInputT = Static<typeof AbsenceInput>;

export const DETAIL_KEYS = Object.keys(DetailsSchema.properties) as Array<keyof Details>;

function trimmed(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(trimmed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== '')
        .map(([k, v]) => [k, trimmed(v)]),
    );
  return value;
}

/** Trims strings (null and empty become absent), checks, and throws VALIDATION_FAILED with every issue. */
export function parseInput<T extends TSchema>(schema: T, input: unknown): Static<T> {
  const value = trimmed(input);
  if (Value.Check(schema, value)) return value;
  const issues = [...Value.Errors(schema, value)].map((e) => ({
    path: e.path,
    message: (e.schema as { errorMessage?: string }).errorMessage ?? e.message,
  }));
  throw fail('VALIDATION_FAILED', issues.map((i) => `${i.path} : ${i.message}`).join(' '), { issues });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);

function days(n: number): { fr: string; en: string } {
  const r = Math.round(n * 100) / 100;
  return { fr: `${r} jour${r >= 2 ? 's' : ''}`, en: `${r} day${r === 1 ? '' : 's'}` };
}

const GRACE_MS = 15 * 60_000;

/**
 * The commune's rules for a period. `departureChanged` is false when a
 * resident moves only the return: an absence under way keeps its departure.
 */
export function checkRules(
  s: TranquilliteSettings,
  departsAt: string | Date,
  returnsAt: string | Date,
  now: number,
  departureChanged = true,
): { departs: Date; returns: Date } {
  const departs = new Date(departsAt);
  const returns = new Date(returnsAt);
  if (Number.isNaN(departs.getTime()) || Number.isNaN(returns.getTime()) || returns <= departs)
    throw fail('TV_DATES_INVALID');
  if (departureChanged) {
    const notice = days(s.minNoticeDays);
    // Forms have minute precision and people take a while to fill them in: a
    // departure typed as "now" is a few minutes past by the time it arrives.
    const earliest = now + s.minNoticeDays * DAY - GRACE_MS;
    if (departs.getTime() < earliest)
      throw fail('TV_NOTICE_TOO_SHORT', {
        fr: `Le départ est trop proche : la commune demande de déclarer au moins ${notice.fr} avant (règle du délai minimal).`,
        en: `The departure is too soon: the commune asks for at least ${notice.en}’ notice (minimum notice rule).`,
      });
    if (departs.getTime() > now + s.earliestDays * DAY) {
      const d = days(s.earliestDays);
      throw fail('TV_TOO_EARLY', {
        fr: `Le départ est trop lointain : on déclare au plus tôt ${d.fr} avant (règle de la déclaration anticipée).`,
        en: `The departure is too far off: declare at most ${d.en} ahead (earliest declaration rule).`,
      });
    }
  }
  if (returns.getTime() - departs.getTime() > s.maxAbsenceDays * DAY) {
    const d = days(s.maxAbsenceDays);
    throw fail('TV_ABSENCE_TOO_LONG', {
      fr: `L’absence est trop longue : la commune surveille au plus ${d.fr} (règle de la durée maximale).`,
      en: `The absence is too long: the commune watches at most ${d.en} (longest absence rule).`,
    });
  }
  return { departs, returns };
}

/** The resident's verified residence, with its coordinates when it is a BAN address. */
export async function residenceOf(
  trx: Trx,
  accountId: string,
): Promise<{ addressId: string | null; label: string; lon: number | null; lat: number | null } | undefined> {
  const r = (await trx('residences as r')
    .leftJoin('addresses as a', 'a.id', 'r.address_id')
    .where({ 'r.account_id': accountId, 'r.status': 'active' })
    .first('r.address_id', 'r.address_label', 'a.numero', 'a.rep', 'a.nom_voie', 'a.lon', 'a.lat')) as
    | {
        address_id: string | null;
        address_label: string | null;
        numero: number | null;
        rep: string | null;
        nom_voie: string | null;
        lon: number | null;
        lat: number | null;
      }
    | undefined;
  if (!r) return undefined;
  const label = r.nom_voie
    ? `${r.numero}${r.rep ? ` ${r.rep}` : ''} ${r.nom_voie}`
    : (r.address_label ?? 'Adresse vérifiée');
  return { addressId: r.address_id, label, lon: r.lon, lat: r.lat };
}

export async function communeAddress(trx: Trx, id: string) {
  if (!isId(id)) return undefined;
  const a = (await trx('addresses').where({ id }).first('id', 'numero', 'rep', 'nom_voie', 'lon', 'lat')) as
    | { id: string; numero: number; rep: string | null; nom_voie: string; lon: number; lat: number }
    | undefined;
  if (!a) return undefined;
  return {
    addressId: a.id,
    label: `${a.numero}${a.rep ? ` ${a.rep}` : ''} ${a.nom_voie}`,
    lon: a.lon,
    lat: a.lat,
  };
}

/** Adds to the anonymous daily counts that outlive the declarations. */
export async function count(
  trx: Trx,
  tenantId: string,
  at: Date,
  field: 'absences' | 'visits' | 'anomalies',
): Promise<void> {
  const day = at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
  await trx('tv_counts')
    .insert({ tenant_id: tenantId, day, [field]: 1 })
    .onConflict(['tenant_id', 'day'])
    .merge({ [field]: trx.raw('tv_counts.?? + 1', [field]) });
}

/** The commune's police (agents and chief): who hears of new declarations and changes. */
export async function policeOf(services: PlatformServices, trx: Trx): Promise<string[]> {
  const agents = await services.roles.holders(trx, 'police_agent', null);
  const chiefs = await services.roles.holders(trx, 'police_chief', null);
  return [...new Set([...agents, ...chiefs])];
}

export const SEALED = {
  doorCode: `${PLUGIN_ID}.door-code`,
  keyHolders: `${PLUGIN_ID}.key-holders`,
} as const;
