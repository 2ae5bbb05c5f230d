// Per-commune settings of the console: one TypeBox schema for validation,
// defaults and the static type (tenant.yaml or the admin console).
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const Settings = Type.Object({
  smsPricePerSegment: Type.Number({
    default: 0.05,
    minimum: 0,
    maximum: 1,
    description:
      "Prix d'un segment SMS pour la commune, en euros (aperçu du coût avant l'envoi d'une alerte)",
  }),
});

export type MairieVigilanteSettings = Static<typeof Settings>;

export function settingsFrom(raw: Record<string, unknown> | null | undefined): MairieVigilanteSettings {
  const value = Value.Default(Settings, Value.Clone(raw ?? {}));
  if (Value.Check(Settings, value)) return value;
  return Value.Default(Settings, {}) as MairieVigilanteSettings;
}
