// Per-commune rules of the operation: one TypeBox schema for validation,
// defaults and the static type. Durations are in days and may be fractions,
// so tests (and a commune trying it out) can shorten the workflow's timers.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const PLUGIN_ID = 'tranquillite-vacances';

export const Settings = Type.Object({
  minNoticeDays: Type.Number({
    default: 3,
    minimum: 0,
    maximum: 30,
    description: 'Délai minimal entre la déclaration et le départ, en jours',
  }),
  earliestDays: Type.Number({
    default: 45,
    minimum: 1,
    maximum: 365,
    description: 'Une absence se déclare au plus tôt ce nombre de jours avant le départ',
  }),
  maxAbsenceDays: Type.Number({
    default: 92,
    minimum: 0.0001,
    maximum: 366,
    description: 'Durée maximale d’une absence, en jours (3 mois par défaut)',
  }),
  secondaryHomes: Type.Boolean({
    default: false,
    description: 'Les résidences secondaires de la commune peuvent être déclarées',
  }),
  noVisitReminderDays: Type.Number({
    default: 3,
    minimum: 0.00001,
    maximum: 30,
    description:
      'La police est relancée quand un logement surveillé n’a pas eu de passage depuis ce nombre de jours',
  }),
  retentionDays: Type.Number({
    default: 30,
    minimum: 0,
    maximum: 365,
    description: 'Les déclarations et passages sont supprimés ce nombre de jours après le retour',
  }),
  patrolStart: Type.String({
    default: '09:00',
    pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
    description: 'Début des patrouilles (heure locale)',
  }),
  patrolEnd: Type.String({
    default: '19:00',
    pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
    description: 'Fin des patrouilles (heure locale)',
  }),
  station: Type.Optional(
    Type.Object(
      { lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) },
      { description: 'Coordonnées du poste de police, départ de la tournée' },
    ),
  ),
});

export type TranquilliteSettings = Static<typeof Settings>;

/** The settings with defaults applied; a value that no longer validates falls back to the defaults. */
export function settingsFrom(raw: Record<string, unknown> | null | undefined): TranquilliteSettings {
  const value = Value.Default(Settings, Value.Clone(raw ?? {}));
  if (Value.Check(Settings, value)) return value;
  return Value.Default(Settings, {}) as TranquilliteSettings;
}

export const DAY = 86_400_000;
