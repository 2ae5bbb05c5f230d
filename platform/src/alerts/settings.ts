// The commune's settings the alerts module reads (tenants.settings). The
// tenant.yaml schema validates the keys it knows; these readers fall back to
// safe defaults for anything missing or malformed, because a typo in a
// setting must never stop an alert from going out.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { E164 } from '../notifications/index.js';

export const AlertSettingsSchema = Type.Object({
  /** Minutes before an unacknowledged urgent alert escalates (0: never). Fractions are for tests. */
  escalationMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 60 })),
  /** The police's on-duty contact, re-sent the alert on escalation. Without one, every police agent is. */
  onDuty: Type.Optional(
    Type.Object({
      phone: Type.Optional(Type.String({ pattern: E164.source })),
      email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' })),
    }),
  ),
  /** How long the workflow waits for provider receipts once everything is sent. */
  receiptWindowMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 72 * 60 })),
  /**
   * Seconds after which an SMS without its receipt has its status asked of
   * the provider (then at doubling intervals): a status callback is never
   * sent twice, and our endpoint may have been down when it came.
   */
  receiptCheckSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600 })),
  /** First retry delay of a provider send (doubles each time). */
  retryInitialSeconds: Type.Optional(Type.Number({ minimum: 0.05, maximum: 600 })),
  /** Severity and category of alerts raised by SMS. */
  smsSeverity: Type.Optional(
    Type.Union([Type.Literal('info'), Type.Literal('important'), Type.Literal('urgent')]),
  ),
  smsCategory: Type.Optional(Type.String()),
  /**
   * Batches one run of the delivery workflow starts before it continues as new,
   * bounding its history. The default suits every commune; tests lower it to
   * see the hand-over on a small alert.
   */
  batchesPerRun: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
  /**
   * The commune's own SMS rate (its sender's contract), held across workers
   * with the provider's; absent: only the provider's rate applies.
   */
  smsPerSecond: Type.Optional(Type.Number({ minimum: 0.1, maximum: 10_000 })),
  /**
   * Voice calls ring only between these times (HH:MM, Europe/Paris by
   * default): a call is refused OUTSIDE_CALL_HOURS otherwise, and falls back.
   */
  voiceCallStart: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' })),
  voiceCallEnd: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' })),
  voiceTimeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Urgent alerts call at any hour (default true): a flood at 2 a.m. is why a landline is called. */
  voiceUrgentAnyHour: Type.Optional(Type.Boolean()),
  /** Seconds before a call nobody answered (or busy) is placed again. */
  voiceRetrySeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 6 * 3600 })),
  /** Calls placed at most per delivery, the first included, before it fails NO_ANSWER or BUSY. */
  voiceAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  /**
   * Calls and texts to numbers that are not accounts (services.phoneCalls)
   * the commune places in any hour: beyond, a call waits its turn
   * (PHONE_CALL_RATE_LIMITED), an urgent one excepted. A bug or a flood of
   * requests must not ring hundreds of homes, nor run up the bill.
   */
  phoneCallsPerHour: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});
export type AlertSettings = Static<typeof AlertSettingsSchema>;

export interface ResolvedAlertSettings {
  escalationMinutes: number;
  onDuty: { phone: string | null; email: string | null };
  receiptWindowMinutes: number;
  receiptCheckSeconds: number;
  retryInitialSeconds: number;
  smsSeverity: 'info' | 'important' | 'urgent';
  smsCategory: string;
  batchesPerRun: number;
  smsPerSecond: number | null;
  /** Segments per month (tenants.settings.smsMonthlyBudget); null: no budget. */
  smsMonthlyBudget: number | null;
  /** The commune's SMS number residents text (tenants.settings.sms.number). */
  smsNumber: string | null;
  voice: VoiceCallSettings;
}

export interface VoiceCallSettings {
  callStart: string;
  callEnd: string;
  timeZone: string;
  urgentAnyHour: boolean;
  retrySeconds: number;
  attempts: number;
  /** services.phoneCalls placed per rolling hour, urgent ones excepted from the wait. */
  callsPerHour: number;
}

export const ALERT_DEFAULTS = {
  escalationMinutes: 10,
  receiptWindowMinutes: 12 * 60,
  receiptCheckSeconds: 60,
  retryInitialSeconds: 2,
  smsSeverity: 'important',
  smsCategory: 'incident',
  batchesPerRun: 200,
  voice: {
    callStart: '08:00',
    callEnd: '21:00',
    timeZone: 'Europe/Paris',
    urgentAnyHour: true,
    retrySeconds: 300,
    attempts: 2,
    // A plan canicule's round of a large register in an hour, at Twilio's one call per second far below.
    callsPerHour: 300,
  },
} as const;

function validZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Each key is checked on its own: one bad key falls back to its default, the others still apply. */
export function alertSettings(settings: Record<string, unknown> | null | undefined): ResolvedAlertSettings {
  const s = obj(settings);
  const a = obj(s.alerts);
  const pick = <K extends keyof AlertSettings>(key: K): AlertSettings[K] | undefined => {
    const candidate = { [key]: a[key] };
    return Value.Check(AlertSettingsSchema, candidate) ? (a[key] as AlertSettings[K]) : undefined;
  };
  const onDuty = pick('onDuty') ?? {};
  const budget = s.smsMonthlyBudget;
  const number = obj(s.sms).number;
  return {
    escalationMinutes: pick('escalationMinutes') ?? ALERT_DEFAULTS.escalationMinutes,
    onDuty: { phone: onDuty.phone ?? null, email: onDuty.email ?? null },
    receiptWindowMinutes: pick('receiptWindowMinutes') ?? ALERT_DEFAULTS.receiptWindowMinutes,
    receiptCheckSeconds: pick('receiptCheckSeconds') ?? ALERT_DEFAULTS.receiptCheckSeconds,
    retryInitialSeconds: pick('retryInitialSeconds') ?? ALERT_DEFAULTS.retryInitialSeconds,
    smsSeverity: pick('smsSeverity') ?? ALERT_DEFAULTS.smsSeverity,
    smsCategory: pick('smsCategory') ?? ALERT_DEFAULTS.smsCategory,
    batchesPerRun: pick('batchesPerRun') ?? ALERT_DEFAULTS.batchesPerRun,
    smsPerSecond: pick('smsPerSecond') ?? null,
    smsMonthlyBudget: typeof budget === 'number' && Number.isInteger(budget) && budget >= 0 ? budget : null,
    smsNumber: typeof number === 'string' && E164.test(number) ? number : null,
    voice: {
      callStart: pick('voiceCallStart') ?? ALERT_DEFAULTS.voice.callStart,
      callEnd: pick('voiceCallEnd') ?? ALERT_DEFAULTS.voice.callEnd,
      timeZone: validZone(pick('voiceTimeZone')) ?? ALERT_DEFAULTS.voice.timeZone,
      urgentAnyHour: pick('voiceUrgentAnyHour') ?? ALERT_DEFAULTS.voice.urgentAnyHour,
      retrySeconds: pick('voiceRetrySeconds') ?? ALERT_DEFAULTS.voice.retrySeconds,
      attempts: pick('voiceAttempts') ?? ALERT_DEFAULTS.voice.attempts,
      callsPerHour: pick('phoneCallsPerHour') ?? ALERT_DEFAULTS.voice.callsPerHour,
    },
  };
}
