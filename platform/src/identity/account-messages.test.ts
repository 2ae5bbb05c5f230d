// With Twilio and SES configured, the messages about an account (email link,
// phone code, password reset, invitation) reach the person through the
// providers (here: the real SDKs against the stand-ins), never the dev outbox,
// and only once the transaction that issued them has committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { channelMessenger } from './messages.js';
import { Browser, createTenant, type TestTenant } from '../testing/index.js';
import { startHarness, waitFor, type Harness } from '../alerts/testing/harness.js';

const REGISTER = `mutation($i: RegisterInput!) { register(input: $i) { csrfToken me { id } } }`;

let h: Harness;
let tenant: TestTenant;
beforeAll(async () => {
  h = await startHarness();
  tenant = await createTenant(h.ctx.operatorDb);
}, 120_000);
afterAll(async () => h?.close());

const outboxRows = () =>
  withTenant(h.ctx.db, tenant.id, (trx) => trx('dev_outbox').count<{ n: string }[]>('* as n').first());

describe('account messages through the providers', () => {
  it('sends the email link by SES and the phone code by SMS on registration, and both verify the account', async () => {
    const b = new Browser(h.ctx.app, tenant.host);
    const reg = await b.ok<{ register: { csrfToken: string } }>(REGISTER, {
      i: {
        email: 'noemie@example.test',
        password: 'un mot de passe solide',
        displayName: 'Noémie',
        phone: '06 11 22 33 44',
      },
    });
    b.csrfToken = reg.register.csrfToken;

    const [mail] = await waitFor('the verification email at SES', async () => {
      const m = await h.ses.emailsTo('noemie@example.test');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('Confirmez votre adresse e-mail');
    expect(mail!.body.html).toContain('Noémie');
    const token = /token=([\w-]+)/.exec(mail!.body.text ?? '')![1]!;
    await b.ok('mutation($t: String!) { verifyEmail(token: $t) }', { t: token });

    const sms = await waitFor('the code at Twilio', async () =>
      h.twilio.messages.find((m) => m.to === '+33611223344'),
    );
    expect(sms.body).toMatch(/^Vigie : votre code de vérification est \d{6}\./);
    await b.ok('mutation($c: String!) { verifyPhone(code: $c) }', { c: /(\d{6})/.exec(sms.body)![1] });

    expect(
      (
        await b.ok<{ me: { emailVerified: boolean; phoneVerified: boolean } }>(
          '{ me { emailVerified phoneVerified } }',
        )
      ).me,
    ).toEqual({ emailVerified: true, phoneVerified: true });
    expect(Number((await outboxRows())!.n)).toBe(0);
  }, 60_000);

  it('sends nothing from a transaction that rolled back, and a number the provider refuses leaves the registration standing', async () => {
    const before = h.twilio.messages.length;
    const b = new Browser(h.ctx.app, tenant.host);
    // A transaction that issued a code and then rolled back: the code must not leave.
    const messenger = channelMessenger({ channels: h.ctx.app.notifications.channels, log: h.ctx.app.log });
    await expect(
      withTenant(h.ctx.db, tenant.id, async (trx) => {
        await messenger(trx, {
          tenantId: tenant.id,
          channel: 'sms',
          to: '+33699887766',
          kind: 'phone_verification',
          body: 'Vigie : votre code de vérification est 123456.',
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    h.twilio.behaviour.rejections.set('+33655443322', 21211);
    try {
      const reg = await b.ok<{ register: { csrfToken: string } }>(REGISTER, {
        i: {
          email: 'paul@example.test',
          password: 'un mot de passe solide',
          displayName: 'Paul',
          phone: '06 55 44 33 22',
        },
      });
      b.csrfToken = reg.register.csrfToken;
      await waitFor(
        'the verification email at SES',
        async () => (await h.ses.emailsTo('paul@example.test')).length > 0,
      );
      // The provider refused the number: the registration stands, nothing went to the outbox instead.
      expect(h.twilio.messages.filter((m) => m.to === '+33655443322')).toEqual([]);
    } finally {
      h.twilio.behaviour.rejections.clear();
    }
    expect(h.twilio.messages.slice(before).map((m) => m.to)).not.toContain('+33699887766');
    expect(await h.ses.emailsTo('noemie@example.test')).toHaveLength(1);
    expect(Number((await outboxRows())!.n)).toBe(0);
  }, 60_000);

  it('sends the password reset link by SES, in English for an English-speaking account', async () => {
    const b = new Browser(h.ctx.app, tenant.host);
    await b.ok(REGISTER, {
      i: { email: 'jane@example.test', password: 'a strong password', displayName: 'Jane', locale: 'en' },
    });
    // From another device, logged out: the usual case of a forgotten password.
    await new Browser(h.ctx.app, tenant.host).ok(
      'mutation($e: String!) { requestPasswordReset(email: $e) }',
      { e: 'jane@example.test' },
    );
    const reset = await waitFor('the reset email', async () =>
      (await h.ses.emailsTo('jane@example.test')).find((m) => m.subject === 'Reset your password'),
    );
    expect(reset.body.text).toMatch(/nouveau-mot-de-passe\?token=[\w-]+/);
  }, 60_000);
});
