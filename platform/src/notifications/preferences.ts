// Each resident chooses their channels per severity. This file holds the
// preferences' one schema, their storage, and the pure decision of which
// channels a message actually takes.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Knex } from 'knex';
import { CHANNELS, ChannelListSchema, E164, type Channel, type Severity } from './ports.js';
import { fail } from './errors.js';
import { normalizeVoiceNumber } from './voice.js';
import { isValidTimeZone, nextDigestTime, nextSendTime, parseHhmm } from './quiet-hours.js';

const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

export const PreferencesSchema = Type.Object({
  channels: Type.Object({ info: ChannelListSchema, important: ChannelListSchema, urgent: ChannelListSchema }),
  quietHoursStart: Hhmm,
  quietHoursEnd: Hhmm,
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  digestInfo: Type.Boolean(),
  /** The number voice calls go to (a landline is fine); required when `voice` is chosen. */
  voicePhone: Type.Optional(Type.Union([Type.String({ pattern: E164.source }), Type.Null()])),
});
export type Preferences = Static<typeof PreferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({
  // Push reaches only the devices a resident allowed it on: choosing it by default asks nothing of the others.
  channels: {
    info: ['in_app'],
    important: ['in_app', 'email', 'push'],
    urgent: ['in_app', 'email', 'sms', 'push'],
  },
  quietHoursStart: '22:00',
  quietHoursEnd: '07:00',
  timezone: 'Europe/Paris',
  digestInfo: false,
  voicePhone: null,
}) as Preferences;

export class PreferencesInvalid extends Error {}

/**
 * The preferences as stored, or a PreferencesInvalid. The voice number is
 * normalised first (« 01 23 45 67 89 » → +33123456789) and refused with its
 * own code when it is no number a call can reach.
 */
export function validatePreferences(input: unknown): Preferences {
  let p = input;
  if (p && typeof p === 'object' && 'voicePhone' in p) {
    const v = (p as { voicePhone?: unknown }).voicePhone;
    if (typeof v === 'string') p = { ...p, voicePhone: v.trim() === '' ? null : normalizeVoiceNumber(v) };
  }
  if (!Value.Check(PreferencesSchema, p)) {
    const first = [...Value.Errors(PreferencesSchema, p)][0];
    throw new PreferencesInvalid(first ? `${first.path}: ${first.message}` : 'invalid preferences');
  }
  if (!isValidTimeZone(p.timezone)) throw new PreferencesInvalid(`/timezone: unknown time zone`);
  parseHhmm(p.quietHoursStart);
  const wantsVoice = Object.values(p.channels).some((list) => list.includes('voice'));
  if (wantsVoice && !p.voicePhone) throw fail('VOICE_NUMBER_REQUIRED');
  return p;
}

interface PreferencesRow {
  account_id: string;
  info_channels: string[];
  important_channels: string[];
  urgent_channels: string[];
  quiet_hours_start: string;
  quiet_hours_end: string;
  timezone: string;
  digest_info: boolean;
  voice_phone: string | null;
}

function fromRow(r: PreferencesRow): Preferences {
  return {
    channels: {
      info: r.info_channels as Channel[],
      important: r.important_channels as Channel[],
      urgent: r.urgent_channels as Channel[],
    },
    quietHoursStart: r.quiet_hours_start.slice(0, 5),
    quietHoursEnd: r.quiet_hours_end.slice(0, 5),
    timezone: r.timezone,
    digestInfo: r.digest_info,
    voicePhone: r.voice_phone,
  };
}

/** Preferences of many accounts in one query (the delivery layer resolves recipients page by page); defaults for those without a row. */
export async function loadPreferences(
  trx: Knex.Transaction,
  accountIds: readonly string[],
): Promise<Map<string, Preferences>> {
  const out = new Map<string, Preferences>();
  if (accountIds.length === 0) return out;
  const rows = (await trx('notification_preferences').whereIn('account_id', accountIds)) as PreferencesRow[];
  for (const r of rows) out.set(r.account_id, fromRow(r));
  for (const id of accountIds) if (!out.has(id)) out.set(id, DEFAULT_PREFERENCES);
  return out;
}

export async function getPreferences(trx: Knex.Transaction, accountId: string): Promise<Preferences> {
  return (await loadPreferences(trx, [accountId])).get(accountId)!;
}

export async function savePreferences(
  trx: Knex.Transaction,
  tenantId: string,
  accountId: string,
  input: unknown,
): Promise<Preferences> {
  const p = validatePreferences(input);
  const row = {
    tenant_id: tenantId,
    account_id: accountId,
    info_channels: p.channels.info,
    important_channels: p.channels.important,
    urgent_channels: p.channels.urgent,
    quiet_hours_start: p.quietHoursStart,
    quiet_hours_end: p.quietHoursEnd,
    timezone: p.timezone,
    digest_info: p.digestInfo,
    voice_phone: p.voicePhone ?? null,
    updated_at: trx.fn.now(),
  };
  await trx('notification_preferences').insert(row).onConflict(['tenant_id', 'account_id']).merge();
  return p;
}

export interface RecipientReach {
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  phoneVerified: boolean;
  /** Devices with a web push subscription (absent: none). */
  pushDevices?: number;
  /** The number of the preferences' voice calls (absent: none). */
  voicePhone?: string | null;
}

export interface ChannelChoice {
  severity: Severity;
  preferences: Preferences;
  reach: RecipientReach;
  /** Channels on which this recipient's address is opted out (STOP, hard bounce, complaint). */
  optedOut?: ReadonlySet<Channel>;
  /** The commune's monthly SMS budget is spent: only urgent alerts still go by SMS. */
  smsOverBudget?: boolean;
}

function reachable(channel: Channel, reach: RecipientReach): boolean {
  if (channel === 'sms') return !!reach.phone && reach.phoneVerified;
  if (channel === 'email') return !!reach.email && reach.emailVerified;
  if (channel === 'push') return (reach.pushDevices ?? 0) > 0;
  if (channel === 'voice') return !!reach.voicePhone;
  return true;
}

/**
 * The channels a message takes, in the order sms, email, push, voice, in_app:
 * - the resident's choice for the severity, limited to verified addresses;
 * - urgent always adds SMS when the phone is verified;
 * - an opt-out wins over everything, urgent included (STOP is the law);
 * - past the SMS budget, non-urgent SMS become email + in-app;
 * - in-app is the floor: nobody is left with no channel at all.
 */
export function selectChannels(c: ChannelChoice): Channel[] {
  const chosen = new Set<Channel>(c.preferences.channels[c.severity]);
  if (c.severity === 'urgent') chosen.add('sms');
  if (c.smsOverBudget && c.severity !== 'urgent' && chosen.delete('sms')) {
    chosen.add('email');
    chosen.add('in_app');
  }
  const out = CHANNELS.filter((ch) => chosen.has(ch) && reachable(ch, c.reach) && !c.optedOut?.has(ch));
  return out.length > 0 ? out : ['in_app'];
}

/**
 * Where a message goes when its channel failed for good: SMS → email,
 * email → SMS, and push (every device failed) or voice (no answer, refused)
 * → email, else SMS, if the recipient has the other one.
 */
export function fallbackChannel(
  failed: Channel,
  reach: RecipientReach,
  optedOut?: ReadonlySet<Channel>,
): Channel | undefined {
  const candidates: Channel[] =
    failed === 'sms'
      ? ['email']
      : failed === 'email'
        ? ['sms']
        : failed === 'push' || failed === 'voice'
          ? ['email', 'sms']
          : [];
  return candidates.find((ch) => reachable(ch, reach) && !optedOut?.has(ch));
}

export type Timing = { mode: 'now'; at: Date } | { mode: 'later'; at: Date } | { mode: 'digest'; at: Date };

/**
 * When a message goes out on a channel. In-app is silent, so it is stored at
 * once. `info` by SMS or email waits for the end of quiet hours, or for the
 * daily digest (sent when the quiet hours end) if the resident chose it.
 */
export function planTiming(now: Date, severity: Severity, channel: Channel, prefs: Preferences): Timing {
  if (channel === 'in_app') return { mode: 'now', at: now };
  // A push rings the phone like an SMS: quiet hours hold it. A digest is an SMS or email of its own:
  // the delivery layer sends no push for an alert that waits for one.
  if (severity === 'info' && prefs.digestInfo) return { mode: 'digest', at: nextDigestTime(now, prefs) };
  const at = nextSendTime(now, prefs, severity);
  return at.getTime() === now.getTime() ? { mode: 'now', at } : { mode: 'later', at };
}
