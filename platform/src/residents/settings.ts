// Per-commune settings of the residents module, read from tenants.settings:
//   verification: { remindAfterHours, escalateAfterDays, expireAfterDays }
//   retention:    { proofMaxDays, auditLogDays, inactiveAccountDays }
// Absent values take the defaults below (the README states them). Fractions
// are allowed so that tests and demos can shorten periods to seconds.
import { Type, type Static } from '@sinclair/typebox';
import { fail } from './errors.js';
import { Value } from '@sinclair/typebox/value';
import type { VerificationTimings } from '@vigie/workflows/contracts';

const Positive = (max: number) => Type.Number({ exclusiveMinimum: 0, maximum: max });

export const VerificationSettings = Type.Object(
  {
    remindAfterHours: Type.Optional(Positive(24 * 365)),
    escalateAfterDays: Type.Optional(Positive(365)),
    expireAfterDays: Type.Optional(Positive(365)),
  },
  { additionalProperties: false },
);

export const RetentionSettings = Type.Object(
  {
    /** A proof is deleted at the latest this long after upload, decided or not. */
    proofMaxDays: Type.Optional(Positive(90)),
    /** The same bound under the name tenant.yaml documents (tenants/schema.ts); proofMaxDays wins. */
    proofOfAddressDays: Type.Optional(Positive(90)),
    /** The alerts module's (validated by the tenant schema); allowed here so a commune setting it can still verify residents. */
    alertsDays: Type.Optional(Type.Number()),
    auditLogDays: Type.Optional(Positive(3650)),
    /** Accounts without a login for this long are anonymised. */
    inactiveAccountDays: Type.Optional(Positive(3650)),
  },
  { additionalProperties: false },
);

export const ResidentsSettings = Type.Object(
  { verification: Type.Optional(VerificationSettings), retention: Type.Optional(RetentionSettings) },
  { additionalProperties: true },
);
export type ResidentsSettings = Static<typeof ResidentsSettings>;

export const DEFAULTS = {
  verification: { remindAfterHours: 48, escalateAfterDays: 7, expireAfterDays: 30 },
  retention: { proofMaxDays: 30, auditLogDays: 365, inactiveAccountDays: 3 * 365 },
} as const;

export interface EffectiveSettings {
  verification: { remindAfterHours: number; escalateAfterDays: number; expireAfterDays: number };
  retention: { proofMaxDays: number; auditLogDays: number; inactiveAccountDays: number };
}

export function residentsSettings(settings: Record<string, unknown> | null | undefined): EffectiveSettings {
  const s = { verification: settings?.verification, retention: settings?.retention };
  const clean = Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
  if (!Value.Check(ResidentsSettings, clean)) {
    const first = [...Value.Errors(ResidentsSettings, clean)][0];
    throw fail('RESIDENT_SETTINGS_INVALID', undefined, {
      path: first?.path ?? '',
      problem: first?.message ?? '',
    });
  }
  const v = clean as ResidentsSettings;
  const r = v.retention ?? {};
  return {
    verification: { ...DEFAULTS.verification, ...v.verification },
    retention: {
      proofMaxDays: r.proofMaxDays ?? r.proofOfAddressDays ?? DEFAULTS.retention.proofMaxDays,
      auditLogDays: r.auditLogDays ?? DEFAULTS.retention.auditLogDays,
      inactiveAccountDays: r.inactiveAccountDays ?? DEFAULTS.retention.inactiveAccountDays,
    },
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function verificationTimings(s: EffectiveSettings): VerificationTimings {
  return {
    remindAfterMs: Math.round(s.verification.remindAfterHours * HOUR),
    escalateAfterMs: Math.round(s.verification.escalateAfterDays * DAY),
    // A proof is never kept longer than the retention period, even while undecided.
    expireAfterMs: Math.round(Math.min(s.verification.expireAfterDays, s.retention.proofMaxDays) * DAY),
  };
}

export const daysMs = (days: number): number => Math.round(days * DAY);
