import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFERENCES,
  fallbackChannel,
  PreferencesInvalid,
  selectChannels,
  validatePreferences,
  type Preferences,
  type RecipientReach,
} from './preferences.js';
import type { Channel } from './ports.js';

const everything: RecipientReach = {
  email: 'a@example.test',
  emailVerified: true,
  phone: '+33612345678',
  phoneVerified: true,
};
const onlyInApp: Preferences = {
  ...DEFAULT_PREFERENCES,
  channels: { info: ['in_app'], important: ['in_app'], urgent: ['in_app'] },
};

describe('selectChannels', () => {
  it('follows the resident’s choice per severity', () => {
    expect(selectChannels({ severity: 'info', preferences: DEFAULT_PREFERENCES, reach: everything })).toEqual(
      ['in_app'],
    );
    expect(
      selectChannels({ severity: 'important', preferences: DEFAULT_PREFERENCES, reach: everything }),
    ).toEqual(['email', 'in_app']);
    expect(
      selectChannels({ severity: 'urgent', preferences: DEFAULT_PREFERENCES, reach: everything }),
    ).toEqual(['sms', 'email', 'in_app']);
  });

  it('sends urgent alerts by SMS to a verified phone even when the resident chose otherwise', () => {
    expect(selectChannels({ severity: 'urgent', preferences: onlyInApp, reach: everything })).toEqual([
      'sms',
      'in_app',
    ]);
  });

  it('uses only verified addresses', () => {
    const unverified = { ...everything, phoneVerified: false, emailVerified: false };
    expect(
      selectChannels({ severity: 'urgent', preferences: DEFAULT_PREFERENCES, reach: unverified }),
    ).toEqual(['in_app']);
  });

  it('lets an opt-out win, even for urgent alerts (STOP is the law)', () => {
    const optedOut = new Set<Channel>(['sms']);
    expect(
      selectChannels({ severity: 'urgent', preferences: DEFAULT_PREFERENCES, reach: everything, optedOut }),
    ).toEqual(['email', 'in_app']);
  });

  it('past the SMS budget, moves non-urgent SMS to email and in-app, and keeps urgent SMS', () => {
    const smsForAll: Preferences = {
      ...DEFAULT_PREFERENCES,
      channels: { info: ['sms'], important: ['sms'], urgent: ['sms'] },
    };
    expect(
      selectChannels({
        severity: 'important',
        preferences: smsForAll,
        reach: everything,
        smsOverBudget: true,
      }),
    ).toEqual(['email', 'in_app']);
    expect(
      selectChannels({ severity: 'urgent', preferences: smsForAll, reach: everything, smsOverBudget: true }),
    ).toEqual(['sms']);
    expect(
      selectChannels({
        severity: 'important',
        preferences: smsForAll,
        reach: everything,
        smsOverBudget: false,
      }),
    ).toEqual(['sms']);
  });

  it('falls back to in-app when nothing else reaches the resident', () => {
    const smsOnly: Preferences = {
      ...DEFAULT_PREFERENCES,
      channels: { info: ['sms'], important: ['sms'], urgent: ['sms'] },
    };
    expect(
      selectChannels({
        severity: 'info',
        preferences: smsOnly,
        reach: { email: null, emailVerified: false, phone: null, phoneVerified: false },
      }),
    ).toEqual(['in_app']);
  });
});

describe('fallbackChannel', () => {
  it('goes from SMS to email and back, only to a reachable, not opted-out address', () => {
    expect(fallbackChannel('sms', everything)).toBe('email');
    expect(fallbackChannel('email', everything)).toBe('sms');
    expect(fallbackChannel('email', { ...everything, phoneVerified: false })).toBeUndefined();
    expect(fallbackChannel('sms', everything, new Set(['email']))).toBeUndefined();
    expect(fallbackChannel('in_app', everything)).toBeUndefined();
  });
});

describe('validatePreferences', () => {
  it('accepts the defaults and refuses unknown channels, bad times and unknown zones', () => {
    expect(validatePreferences(DEFAULT_PREFERENCES)).toEqual(DEFAULT_PREFERENCES);
    expect(() =>
      validatePreferences({
        ...DEFAULT_PREFERENCES,
        channels: { ...DEFAULT_PREFERENCES.channels, info: ['fax'] },
      }),
    ).toThrow(PreferencesInvalid);
    expect(() => validatePreferences({ ...DEFAULT_PREFERENCES, quietHoursStart: '25:00' })).toThrow(
      PreferencesInvalid,
    );
    expect(() => validatePreferences({ ...DEFAULT_PREFERENCES, timezone: 'Mars/Olympus' })).toThrow(
      PreferencesInvalid,
    );
    expect(() =>
      validatePreferences({
        ...DEFAULT_PREFERENCES,
        channels: { ...DEFAULT_PREFERENCES.channels, urgent: ['sms', 'sms'] },
      }),
    ).toThrow(PreferencesInvalid);
  });
});

describe('web push', () => {
  const withDevices: RecipientReach = { ...everything, pushDevices: 2 };

  it('goes by push by default for important and urgent alerts, only to a resident who has a device', () => {
    expect(
      selectChannels({ severity: 'important', preferences: DEFAULT_PREFERENCES, reach: withDevices }),
    ).toEqual(['email', 'push', 'in_app']);
    expect(
      selectChannels({ severity: 'urgent', preferences: DEFAULT_PREFERENCES, reach: withDevices }),
    ).toEqual(['sms', 'email', 'push', 'in_app']);
    expect(
      selectChannels({ severity: 'info', preferences: DEFAULT_PREFERENCES, reach: withDevices }),
    ).toEqual(['in_app']);
    expect(
      selectChannels({
        severity: 'important',
        preferences: DEFAULT_PREFERENCES,
        reach: { ...withDevices, pushDevices: 0 },
      }),
    ).toEqual(['email', 'in_app']);
  });

  it('falls back from push to email, then to SMS without a verified email', () => {
    expect(fallbackChannel('push', withDevices)).toBe('email');
    expect(fallbackChannel('push', { ...withDevices, emailVerified: false })).toBe('sms');
    expect(fallbackChannel('push', withDevices, new Set<Channel>(['email']))).toBe('sms');
    expect(
      fallbackChannel('push', { ...withDevices, emailVerified: false, phoneVerified: false }),
    ).toBeUndefined();
  });
});
