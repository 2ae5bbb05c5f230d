import { afterAll, describe, expect, it } from 'vitest';
import knexFactory from 'knex';
import { ConfigError, loadConfig } from '../config/config.js';
import { createChannels } from './channels.js';

const base = { NODE_ENV: 'test' };
const twilio = {
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_MESSAGING_SERVICE_SID: `MG${'2'.repeat(32)}`,
};
// createChannels only keeps the pool; nothing here connects.
const db = knexFactory({ client: 'pg', connection: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(async () => db.destroy());

describe('provider configuration', () => {
  it('uses the dev outbox for SMS and email when no provider is configured', () => {
    const c = createChannels(loadConfig(base), { db });
    expect([c.sms.provider, c.email.provider, c.inApp.provider]).toEqual([
      'dev-outbox',
      'dev-outbox',
      'in-app',
    ]);
  });

  it('uses Twilio and SES once configured', () => {
    const config = loadConfig({
      ...base,
      ...twilio,
      SES_FROM: 'Vigie <alertes@vigie.example>',
      SES_CONFIGURATION_SET: 'vigie-events',
    });
    expect(config.twilio).toEqual({
      accountSid: twilio.TWILIO_ACCOUNT_SID,
      authToken: 'token',
      messagingServiceSid: twilio.TWILIO_MESSAGING_SERVICE_SID,
      apiBaseUrl: undefined,
    });
    expect(config.ses).toEqual({
      region: 'eu-west-3',
      from: 'Vigie <alertes@vigie.example>',
      configurationSet: 'vigie-events',
      endpoint: undefined,
    });
    const c = createChannels(config, { db });
    expect([c.sms.provider, c.email.provider]).toEqual(['twilio', 'ses']);
  });

  it('stops the start on a half-configured or malformed provider, naming the variable', () => {
    expect(() => loadConfig({ ...base, TWILIO_ACCOUNT_SID: twilio.TWILIO_ACCOUNT_SID })).toThrow(
      /TWILIO_AUTH_TOKEN is required/,
    );
    expect(() => loadConfig({ ...base, ...twilio, TWILIO_ACCOUNT_SID: 'AC123' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...twilio, TWILIO_MESSAGING_SERVICE_SID: 'PN123' })).toThrow(
      /TWILIO_MESSAGING_SERVICE_SID/,
    );
    expect(() => loadConfig({ ...base, SES_FROM: 'not an address' })).toThrow(/SES_FROM/);
  });

  it('refuses stand-in and test-only settings in production', () => {
    const prod = { NODE_ENV: 'production', VIGIE_SECRET: 'x'.repeat(40) };
    expect(() => loadConfig({ ...prod, SNS_TRUSTED_CERT_PATH: '/tmp/cert.pem' })).toThrow(
      /SNS_TRUSTED_CERT_PATH/,
    );
    expect(() => loadConfig({ ...prod, ...twilio, TWILIO_API_BASE_URL: 'http://127.0.0.1:9999' })).toThrow(
      /TWILIO_API_BASE_URL/,
    );
    expect(() =>
      loadConfig({ ...prod, SES_FROM: 'a@vigie.example', SES_ENDPOINT: 'http://127.0.0.1:8005' }),
    ).toThrow(/SES_ENDPOINT/);
  });
});
