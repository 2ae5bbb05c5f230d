import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesLocal, type SesLocal } from '../../testing/ses-local.js';
import { freePort } from '../../testing/ports.js';
import { ChannelError } from '../errors.js';
import { renderNotificationEmail } from '../email-template.js';
import { receiptTags } from '../receipts.js';
import { createSesEmailSender } from './ses-email.js';

let ses: SesLocal;
beforeAll(async () => {
  ses = await startSesLocal();
});
afterAll(async () => ses?.close());

const TENANT = '00000000-0000-4000-8000-000000000001';
const credentials = { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' };
const sender = (endpoint = ses.endpoint) =>
  createSesEmailSender({
    region: 'eu-west-3',
    from: 'Vigie Serris <alertes@vigie.test>',
    configurationSet: 'vigie-events',
    endpoint,
    credentials,
    timeoutMs: 2_000,
  });

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return err as ChannelError;
  }
  throw new Error('expected a ChannelError');
}

describe('SES email adapter (real SES client → aws-ses-v2-local)', () => {
  it('sends the mjml HTML and its text part, with the configuration set and the receipt tags', async () => {
    const email = await renderNotificationEmail({
      locale: 'fr',
      communeName: 'Serris',
      heading: 'Individu suspect',
      severity: 'important',
      paragraphs: ['Un homme regarde par les fenêtres rue des Lilas. <b>Prudence</b>.'],
      action: { label: 'Voir l’alerte', url: 'https://serris.vigie.test/alertes/42' },
      preferencesUrl: 'https://serris.vigie.test/preferences',
    });
    const r = await sender().send({
      tenantId: TENANT,
      to: 'camille@example.test',
      subject: 'Alerte importante à Serris',
      ...email,
      tags: receiptTags(TENANT, 'delivery-42'),
    });
    expect(r).toMatchObject({ provider: 'ses', status: 'accepted' });

    const [received] = await ses.emailsTo('camille@example.test');
    expect(received).toBeDefined();
    expect(received!.messageId).toBe(r.providerId);
    expect(received!.subject).toBe('Alerte importante à Serris');
    expect(received!.from).toBe('Vigie Serris <alertes@vigie.test>');
    expect(received!.body.html).toContain('Individu suspect');
    expect(received!.body.html).toContain('&lt;b&gt;Prudence&lt;/b&gt;');
    expect(received!.body.html).toContain('href="https://serris.vigie.test/alertes/42"');
    expect(received!.body.html).toContain('@media'); // mjml's responsive CSS
    expect(received!.body.text).toContain(
      'Un homme regarde par les fenêtres rue des Lilas. <b>Prudence</b>.',
    );
    expect(received!.body.text).toContain('Voir l’alerte : https://serris.vigie.test/alertes/42');
    expect(received!.body.text).toContain('appelez le 17');

    const call = ses.calls.find(
      (c) => c.params['Destination.ToAddresses.member.1'] === 'camille@example.test',
    )!;
    expect(call.params).toMatchObject({
      Action: 'SendEmail',
      ConfigurationSetName: 'vigie-events',
      'Tags.member.1.Name': 'vigie-tenant',
      'Tags.member.1.Value': TENANT,
      'Tags.member.2.Name': 'vigie-ref',
      'Tags.member.2.Value': 'delivery-42',
      'Message.Subject.Charset': 'UTF-8',
    });
  });

  it('classifies SES MessageRejected for an unverified address as non-retryable UNVERIFIED_ADDRESS', async () => {
    ses.rejections.set(
      'nobody@example.test',
      'Email address is not verified. The following identities failed the check in region EU-WEST-3: nobody@example.test',
    );
    const err = await failure(
      sender().send({
        tenantId: TENANT,
        to: 'nobody@example.test',
        subject: 's',
        html: '<p>x</p>',
        text: 'x',
      }),
    );
    expect(err).toMatchObject({
      channel: 'email',
      reason: 'UNVERIFIED_ADDRESS',
      retryable: false,
      providerCode: 'MessageRejected',
    });
  });

  it('classifies other rejections as REJECTED, 503 as retryable, a dead endpoint as NETWORK', async () => {
    ses.rejections.set('spam@example.test', 'Message contains a blacklisted URL');
    expect(
      await failure(
        sender().send({
          tenantId: TENANT,
          to: 'spam@example.test',
          subject: 's',
          html: '<p>x</p>',
          text: 'x',
        }),
      ),
    ).toMatchObject({ reason: 'REJECTED', retryable: false });
    ses.failureRate = 1;
    try {
      expect(
        await failure(
          sender().send({
            tenantId: TENANT,
            to: 'a@example.test',
            subject: 's',
            html: '<p>x</p>',
            text: 'x',
          }),
        ),
      ).toMatchObject({ reason: 'PROVIDER_UNAVAILABLE', retryable: true });
    } finally {
      ses.failureRate = 0;
    }
    const dead = `http://127.0.0.1:${await freePort()}`;
    expect(
      await failure(
        sender(dead).send({
          tenantId: TENANT,
          to: 'a@example.test',
          subject: 's',
          html: '<p>x</p>',
          text: 'x',
        }),
      ),
    ).toMatchObject({ reason: 'NETWORK', retryable: true });
  });

  it('refuses a malformed address without calling SES', async () => {
    const before = ses.calls.length;
    expect(
      await failure(
        sender().send({ tenantId: TENANT, to: 'not an address', subject: 's', html: '<p>x</p>', text: 'x' }),
      ),
    ).toMatchObject({ reason: 'INVALID_ADDRESS', retryable: false });
    expect(ses.calls.length).toBe(before);
  });
});

describe('notification email template', () => {
  it('is available in English', async () => {
    const e = await renderNotificationEmail({
      locale: 'en',
      communeName: 'Serris',
      heading: 'Lost dog',
      severity: 'info',
      paragraphs: ['A brown dog.'],
    });
    expect(e.html).toContain('lang="en"');
    expect(e.text).toContain('In immediate danger, call 17.');
    expect(e.text).toContain('You receive this message because you joined the Vigie network of Serris.');
  });

  it('refuses links that are not http(s)', async () => {
    await expect(
      renderNotificationEmail({
        locale: 'fr',
        communeName: 'S',
        heading: 'h',
        paragraphs: [],
        action: { label: 'x', url: 'javascript:alert(1)' },
      }),
    ).rejects.toThrow(/http/);
  });
});
