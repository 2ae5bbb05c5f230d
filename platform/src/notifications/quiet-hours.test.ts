import { describe, expect, it } from 'vitest';
import { isQuietTime, nextDigestTime, nextSendTime, zonedInstant, type QuietHours } from './quiet-hours.js';
import { DEFAULT_PREFERENCES, planTiming } from './preferences.js';

const paris: QuietHours = { quietHoursStart: '22:00', quietHoursEnd: '07:00', timezone: 'Europe/Paris' };
const at = (iso: string) => new Date(iso);

describe('isQuietTime (22:00–07:00, Europe/Paris)', () => {
  it.each([
    ['winter 21:59 Paris (20:59Z)', '2026-01-15T20:59:00Z', false],
    ['winter 22:00 Paris', '2026-01-15T21:00:00Z', true],
    ['winter 23:30 Paris', '2026-01-15T22:30:00Z', true],
    ['winter 03:00 Paris', '2026-01-16T02:00:00Z', true],
    ['winter 06:59 Paris', '2026-01-16T05:59:00Z', true],
    ['winter 07:00 Paris', '2026-01-16T06:00:00Z', false],
    ['summer 21:59 Paris (19:59Z)', '2026-07-15T19:59:00Z', false],
    ['summer 22:00 Paris (20:00Z)', '2026-07-15T20:00:00Z', true],
    ['summer 06:59 Paris (04:59Z)', '2026-07-16T04:59:00Z', true],
    ['summer 07:00 Paris (05:00Z)', '2026-07-16T05:00:00Z', false],
  ])('%s → %s', (_n, iso, quiet) => {
    expect(isQuietTime(at(iso), paris)).toBe(quiet);
  });

  it('handles a window that does not cross midnight', () => {
    const lunch = { ...paris, quietHoursStart: '12:00', quietHoursEnd: '14:00' };
    expect(isQuietTime(at('2026-01-15T11:30:00Z'), lunch)).toBe(true);
    expect(isQuietTime(at('2026-01-15T13:00:00Z'), lunch)).toBe(false);
    expect(isQuietTime(at('2026-01-15T10:59:00Z'), lunch)).toBe(false);
  });

  it('has no quiet hours when start equals end', () => {
    expect(
      isQuietTime(at('2026-01-15T23:00:00Z'), { ...paris, quietHoursStart: '00:00', quietHoursEnd: '00:00' }),
    ).toBe(false);
  });

  it('follows the resident’s own time zone', () => {
    const reunion = { ...paris, timezone: 'Indian/Reunion' }; // UTC+4, no DST
    expect(isQuietTime(at('2026-01-15T18:30:00Z'), reunion)).toBe(true); // 22:30 at La Réunion
    expect(isQuietTime(at('2026-01-15T18:30:00Z'), paris)).toBe(false); // 19:30 in Paris
  });
});

describe('nextSendTime', () => {
  it.each([
    ['evening in winter → next morning 07:00 CET', '2026-01-15T22:30:00Z', '2026-01-16T06:00:00.000Z'],
    ['small hours in winter → same morning', '2026-01-16T02:00:00Z', '2026-01-16T06:00:00.000Z'],
    ['evening in summer → next morning 07:00 CEST', '2026-07-15T21:00:00Z', '2026-07-16T05:00:00.000Z'],
    ['the night clocks go forward (29 March 2026)', '2026-03-28T22:00:00Z', '2026-03-29T05:00:00.000Z'],
    ['the night clocks go back (25 October 2026)', '2026-10-24T21:00:00Z', '2026-10-25T06:00:00.000Z'],
    ['New Year’s Eve → 1 January', '2026-12-31T22:00:00Z', '2027-01-01T06:00:00.000Z'],
  ])('info: %s', (_n, iso, expected) => {
    expect(nextSendTime(at(iso), paris, 'info').toISOString()).toBe(expected);
  });

  it('sends at once outside quiet hours', () => {
    const now = at('2026-01-15T12:00:00Z');
    expect(nextSendTime(now, paris, 'info')).toBe(now);
  });

  it('never holds urgent nor important alerts', () => {
    const night = at('2026-01-15T23:00:00Z');
    expect(nextSendTime(night, paris, 'urgent')).toBe(night);
    expect(nextSendTime(night, paris, 'important')).toBe(night);
  });
});

describe('zonedInstant', () => {
  it('picks the later instant for a wall time skipped by DST', () => {
    expect(
      zonedInstant({ year: 2026, month: 3, day: 29, minutes: 2 * 60 + 30 }, 'Europe/Paris').toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('digest and timing', () => {
  it('the digest goes out at the next end of quiet hours', () => {
    expect(nextDigestTime(at('2026-01-16T05:00:00Z'), paris).toISOString()).toBe('2026-01-16T06:00:00.000Z');
    expect(nextDigestTime(at('2026-01-16T07:00:00Z'), paris).toISOString()).toBe('2026-01-17T06:00:00.000Z');
  });

  it('plans in-app now, info by SMS for the morning, urgent now, and info to the digest when chosen', () => {
    const night = at('2026-01-15T23:00:00Z');
    expect(planTiming(night, 'info', 'in_app', DEFAULT_PREFERENCES)).toEqual({ mode: 'now', at: night });
    expect(planTiming(night, 'info', 'sms', DEFAULT_PREFERENCES)).toEqual({
      mode: 'later',
      at: at('2026-01-16T06:00:00Z'),
    });
    expect(planTiming(night, 'urgent', 'sms', DEFAULT_PREFERENCES)).toEqual({ mode: 'now', at: night });
    expect(
      planTiming(at('2026-01-15T12:00:00Z'), 'info', 'email', { ...DEFAULT_PREFERENCES, digestInfo: true }),
    ).toEqual({ mode: 'digest', at: at('2026-01-16T06:00:00Z') });
  });
});
