// Per-commune settings of the plugin: one TypeBox schema for validation,
// defaults and the static type. The mairie changes them through the tenants
// module (tenant.yaml or the admin console), which validates them against it.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { referentSettingsProperties } from './referents/settings.js';

export const PLUGIN_ID = 'voisins-vigilants';

export const Settings = Type.Object({
  charterVersion: Type.String({
    default: '2025-1',
    minLength: 1,
    maxLength: 40,
    description: 'Version de la charte que chaque membre doit accepter avant de publier',
  }),
  charterText: Type.Optional(
    Type.String({
      minLength: 20,
      maxLength: 20_000,
      description: 'Texte de la charte propre à la commune (sinon le texte par défaut)',
    }),
  ),
  alertsPerHour: Type.Integer({
    default: 3,
    minimum: 1,
    maximum: 30,
    description: "Nombre maximal d'alertes qu'un habitant peut publier par heure",
  }),
  candidacyPeriodDays: Type.Number({
    default: 14,
    minimum: 0.00001,
    maximum: 90,
    description: 'Durée de l’appel à candidatures des référents, en jours',
  }),
  eventReminderHours: Type.Integer({
    default: 24,
    minimum: 1,
    maximum: 168,
    description: 'Rappel des événements, en heures avant le début',
  }),
  messagesPerHour: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 500,
    description: 'Messages privés par habitant et par heure',
  }),
  postsPerHour: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: 'Discussions, commentaires et événements par habitant et par heure',
  }),
  ...referentSettingsProperties,
});

export type VoisinsVigilantsSettings = Static<typeof Settings>;

/**
 * The settings with defaults applied. Settings written by the tenants module
 * are already complete; rows written otherwise (older rows, fixtures) may not
 * be, and a value that no longer validates falls back to the defaults rather
 * than breaking the commune's portal.
 */
export function settingsFrom(raw: Record<string, unknown> | null | undefined): VoisinsVigilantsSettings {
  const value = Value.Default(Settings, Value.Clone(raw ?? {}));
  if (Value.Check(Settings, value)) return value;
  return Value.Default(Settings, {}) as VoisinsVigilantsSettings;
}
