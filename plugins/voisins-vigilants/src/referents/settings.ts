// Timers of the referent selection, from the plugin's per-commune settings.
// candidacyPeriodDays is declared in the plugin's Settings schema; the raw value
// is read here so that a fraction of a day (tests shorten the period to a few
// seconds through configuration) is honoured.
import { Type } from '@sinclair/typebox';

const DAY_SECONDS = 86_400;

/** Setting this slice adds to the plugin's Settings schema. */
export const referentSettingsProperties = {
  referentChoiceReminderDays: Type.Number({
    minimum: 0.00001,
    maximum: 60,
    default: 7,
    description:
      'Intervalle des rappels à la police municipale tant que les référents ne sont pas choisis, en jours',
  }),
};

export interface ReferentTimings {
  collectSeconds: number;
  reminderSeconds: number;
}

function days(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, max) : fallback;
}

export function referentTimings(raw: Record<string, unknown> | null | undefined): ReferentTimings {
  const s = raw ?? {};
  return {
    collectSeconds: Math.max(1, Math.round(days(s.candidacyPeriodDays, 14, 90) * DAY_SECONDS)),
    reminderSeconds: Math.max(1, Math.round(days(s.referentChoiceReminderDays, 7, 60) * DAY_SECONDS)),
  };
}
