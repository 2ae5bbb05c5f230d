// Quiet hours are a resident's wall-clock window (default 22:00–07:00,
// Europe/Paris) during which `info` messages wait for the morning. Wall-clock
// arithmetic goes through Intl so that the two DST changes of the year move the
// window with the clock, not with UTC.
import type { Severity } from './ports.js';

export interface QuietHours {
  /** 'HH:MM', local time. Equal start and end: no quiet hours. */
  quietHoursStart: string;
  quietHoursEnd: string;
  /** IANA zone, e.g. Europe/Paris. */
  timezone: string;
}

/** Severities that quiet hours hold back. `urgent` never waits; `important` neither (a prowler at 23:00 matters tonight). */
export const HELD_DURING_QUIET_HOURS: ReadonlySet<Severity> = new Set(['info']);

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseHhmm(value: string): number {
  const m = HHMM.exec(value);
  if (!m) throw new Error(`Invalid time of day "${value}", expected HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function wallClock(at: Date, tz: string): WallClock & { second: number } {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of `tz` from UTC at instant `t`, in milliseconds. */
function offsetAt(t: number, tz: string): number {
  const w = wallClock(new Date(t), tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, Math.floor(w.minutes / 60), w.minutes % 60, w.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant at which the wall clock of `tz` shows the given date and time (the later one when a DST gap skips it). */
export function zonedInstant(w: WallClock, tz: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, Math.floor(w.minutes / 60), w.minutes % 60);
  const first = guess - offsetAt(guess, tz);
  const second = guess - offsetAt(first, tz);
  return new Date(Math.max(first, second));
}

export function isQuietTime(now: Date, prefs: QuietHours): boolean {
  const start = parseHhmm(prefs.quietHoursStart);
  const end = parseHhmm(prefs.quietHoursEnd);
  if (start === end) return false;
  const m = wallClock(now, prefs.timezone).minutes;
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/**
 * When a message of this severity may go out: now, or the end of the current
 * quiet window (the next local morning for a window crossing midnight).
 */
export function nextSendTime(now: Date, prefs: QuietHours, severity: Severity = 'info'): Date {
  if (!HELD_DURING_QUIET_HOURS.has(severity) || !isQuietTime(now, prefs)) return now;
  const start = parseHhmm(prefs.quietHoursStart);
  const end = parseHhmm(prefs.quietHoursEnd);
  const today = wallClock(now, prefs.timezone);
  // In a window crossing midnight, the evening part ends tomorrow morning.
  const endsTomorrow = start > end && today.minutes >= start;
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + (endsTomorrow ? 1 : 0)));
  return zonedInstant(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), minutes: end },
    prefs.timezone,
  );
}

/** The next daily digest: the first end of quiet hours (local morning) strictly after `now`. */
export function nextDigestTime(now: Date, prefs: QuietHours): Date {
  const end = parseHhmm(prefs.quietHoursEnd);
  const today = wallClock(now, prefs.timezone);
  for (let plus = 0; plus < 3; plus++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + plus));
    const at = zonedInstant(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), minutes: end },
      prefs.timezone,
    );
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error('unreachable: a day always has a next morning');
}
