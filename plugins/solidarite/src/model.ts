// The register as stored, the forms' schemas (one TypeBox schema for
// validation and type), and the small helpers every part of the plugin uses.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PlatformServices, Trx, VigieContext } from '@vigie/platform/plugin';
import { fail } from './errors.js';
import { PLUGIN_ID, settingsFrom, type SolidariteSettings } from './settings.js';

export type ContactMethod = 'landline' | 'mobile' | 'visit';
export type Visibility = 'ccas' | 'ccas_and_volunteers';
export type ConsentBy = 'self' | 'relative' | 'agent';

export interface PersonRow {
  id: string;
  tenant_id: string;
  account_id: string | null;
  first_name: string;
  last_name: string;
  address_id: string | null;
  address_label: string;
  community_id: string | null;
  contact_method: ContactMethod;
  phone_sealed: string | null;
  interval_days: number;
  escalate_police: boolean;
  visibility: Visibility;
  consent_by: ConsentBy;
  consent_name: string | null;
  consent_at: Date;
  recorded_by: string | null;
  health_notes_sealed: string | null;
  health_notes_at: Date | null;
  last_sign_at: Date;
  escalation: 'none' | 'person' | 'volunteer' | 'ccas' | 'police';
  escalated_at: Date | null;
  /** The interval (its last sign of life) whose automatic call ended without a 1. */
  person_call_unanswered_for: Date | null;
  /** The language of the calls and texts to a person with no account. */
  locale: 'fr' | 'en';
  created_at: Date;
}

export interface VolunteerRow {
  id: string;
  account_id: string;
  community_id: string;
  availability: string;
  created_at: Date;
}

const Name = Type.String({
  minLength: 1,
  maxLength: 80,
  errorMessage: 'Un nom de 1 à 80 caractères est attendu.',
});
const Phone = Type.Optional(Type.String({ maxLength: 30 }));

export const PersonInput = Type.Object(
  {
    firstName: Name,
    lastName: Name,
    addressId: Type.Optional(Type.String({ maxLength: 40 })),
    addressLabel: Type.Optional(Type.String({ maxLength: 300 })),
    contactMethod: Type.Union([Type.Literal('landline'), Type.Literal('mobile'), Type.Literal('visit')]),
    phone: Phone,
    intervalDays: Type.Integer({
      minimum: 1,
      maximum: 15,
      errorMessage: 'Des nouvelles tous les 1 à 15 jours.',
    }),
    escalatePolice: Type.Boolean(),
    visibility: Type.Union([Type.Literal('ccas'), Type.Literal('ccas_and_volunteers')]),
    consent: Type.Boolean(),
    consentBy: Type.Union([Type.Literal('self'), Type.Literal('relative'), Type.Literal('agent')]),
    consentName: Type.Optional(Type.String({ maxLength: 120 })),
    healthNotes: Type.Optional(Type.String({ maxLength: 2000 })),
    locale: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
export type PersonInputT = Static<typeof PersonInput>;

function trimmed(v: unknown): unknown {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (Array.isArray(v)) return v.map(trimmed);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const t = trimmed(x);
      if (t !== undefined && t !== null) out[k] = t;
    }
    return out;
  }
  return v;
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

/**
 * A French number as +33…, checked against the contact method: a landline
 * (01–05, 09) or a mobile (06, 07) for a call; a mobile only for an SMS.
 */
export function normalisePhone(raw: string, method: ContactMethod): string {
  const digits = raw.replace(/[\s.\-()]/g, '');
  const national = digits.startsWith('+33') ? `0${digits.slice(3)}` : digits;
  if (!/^0[1-9]\d{8}$/.test(national)) throw fail('SOL_PHONE_INVALID');
  if (method === 'mobile' && !/^0[67]/.test(national)) throw fail('SOL_PHONE_INVALID');
  return `+33${national.slice(1)}`;
}

/** +33123456789 → 01 23 45 67 89, as the French write it. */
export function displayPhone(e164: string): string {
  const national = `0${e164.slice(3)}`;
  return national.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** Every call about a person (services.phoneCalls keys) starts with this: withdrawn consent forgets them all. */
export const callKeyOf = (personId: string): string => `person:${personId}:`;

export const SEALED = {
  phone: `${PLUGIN_ID}.phone`,
  health: `${PLUGIN_ID}.health-notes`,
} as const;

export const settingsOf = (ctx: VigieContext): SolidariteSettings =>
  settingsFrom(ctx.requireTenant().plugins.get(PLUGIN_ID));

export async function audit(
  ctx: VigieContext,
  trx: Trx,
  action: string,
  personId: string | null,
  meta: Record<string, unknown> = {},
): Promise<void> {
  const account = ctx.requireAccount();
  await ctx.services.audit(trx, {
    tenantId: account.tenantId,
    actor: { type: 'account', id: account.accountId },
    action: `${PLUGIN_ID}.${action}`,
    ...(personId ? { target: { type: 'sol_person', id: personId } } : {}),
    meta,
    requestId: ctx.requestId,
  });
}

export interface Wording {
  title: string;
  body: string;
  en: { title: string; body: string };
}

export async function tell(
  services: PlatformServices,
  trx: Trx,
  tenantId: string,
  accountIds: string[],
  kind: string,
  w: Wording,
  link: string,
  meta: Record<string, unknown>,
  dedupeKey: string,
  /** Beyond the inbox: SMS and email, as each account can be reached (quiet hours hold all but urgent). */
  send?: { channels: ReadonlyArray<'sms' | 'email'>; severity: 'info' | 'important' | 'urgent' },
): Promise<void> {
  if (accountIds.length === 0) return;
  await services.notify(trx, {
    ...(send ? { channels: send.channels, severity: send.severity } : {}),
    tenantId,
    accountIds,
    kind: `${PLUGIN_ID}.${kind}`,
    title: w.title,
    body: w.body,
    en: w.en,
    link,
    meta,
    dedupeKey,
  });
}

export async function ccasOf(services: PlatformServices, trx: Trx): Promise<string[]> {
  return services.roles.holders(trx, 'ccas_agent', null);
}

export async function policeOf(services: PlatformServices, trx: Trx): Promise<string[]> {
  const agents = await services.roles.holders(trx, 'police_agent', null);
  const chiefs = await services.roles.holders(trx, 'police_chief', null);
  return [...new Set([...agents, ...chiefs])];
}

/** The accounts of the volunteers paired with a person. */
export async function volunteersOf(trx: Trx, personId: string): Promise<string[]> {
  return trx('sol_pairings as p')
    .join('sol_volunteers as v', 'v.id', 'p.volunteer_id')
    .where('p.person_id', personId)
    .pluck('v.account_id');
}
