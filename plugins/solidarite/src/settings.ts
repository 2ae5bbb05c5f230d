// Per-commune rules of the register: one TypeBox schema for validation,
// defaults and the static type. Delays are in hours and may be fractions, and
// `dayMinutes` says how long a "day" of the register lasts (1,440 in service):
// a demo commune or a test shortens every interval and the plan's daily round.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const PLUGIN_ID = 'solidarite';

const HHMM = '^([01]\\d|2[0-3]):[0-5]\\d$';

export const Settings = Type.Object({
  dayMinutes: Type.Number({
    default: 1440,
    minimum: 0.05,
    maximum: 1440,
    description:
      'Durée d’un « jour » du registre, en minutes (1 440 en service ; une commune de démonstration la raccourcit)',
  }),
  volunteerReminderHours: Type.Number({
    default: 2,
    minimum: 0,
    maximum: 72,
    description:
      'Délai entre la question posée à la personne (à la fin de l’intervalle) et la relance du ou des bénévoles, en heures (du « jour » ci-dessus)',
  }),
  ccasDelayHours: Type.Number({
    default: 24,
    minimum: 0.0001,
    maximum: 168,
    description: 'Délai après la relance des bénévoles avant de prévenir le CCAS, en heures',
  }),
  policeDelayHours: Type.Number({
    default: 24,
    minimum: 0.0001,
    maximum: 168,
    description:
      'Délai après l’alerte au CCAS avant de prévenir la police municipale (si la personne l’a demandé), en heures',
  }),
  healthNotesRetentionDays: Type.Number({
    default: 365,
    minimum: 1,
    maximum: 3650,
    description: 'Les notes de santé sont effacées ce nombre de jours après leur dernière mise à jour',
  }),
  roundStart: Type.String({
    default: '09:00',
    pattern: HHMM,
    description: 'Heure des appels et messages du plan canicule / grand froid (heure locale)',
  }),
});

export type SolidariteSettings = Static<typeof Settings>;

/** The settings with defaults applied; a value that no longer validates falls back to the defaults. */
export function settingsFrom(raw: Record<string, unknown> | null | undefined): SolidariteSettings {
  const value = Value.Default(Settings, Value.Clone(raw ?? {}));
  if (Value.Check(Settings, value)) return value;
  return Value.Default(Settings, {}) as SolidariteSettings;
}

export const MINUTE = 60_000;
/** How long a register "day" lasts for this commune, in milliseconds. */
export const dayMs = (s: SolidariteSettings): number => Math.round(s.dayMinutes * MINUTE);
/** An hour of the register: a 24th of its day. */
export const hourMs = (s: SolidariteSettings): number => dayMs(s) / 24;
