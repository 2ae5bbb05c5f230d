// Provider webhooks. They live outside any commune's host (config.tenant:
// false): the tenant comes from the signed payload. They carry no session, so
// the CSRF check does not apply; the signature is their authentication.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { fail } from '../errors.js';
import type { InboundRegistry, ReceiptRegistry } from '../receipts.js';
import type { VoiceScriptRegistry } from '../voice.js';
import { handleVoiceGather, handleVoiceStatus, handleVoiceTwiml } from './twilio-voice.js';
import { createCertStore } from './sns.js';
import { handleSnsMessage, type SnsOutcome } from './ses.js';
import {
  handleTwilioInbound,
  handleTwilioStatus,
  parseForm,
  twilioReceiptCommits,
  type TwilioOutcome,
} from './twilio.js';

export interface WebhookRouteOptions {
  receipts: ReceiptRegistry;
  inbound: InboundRegistry;
  voiceScripts: VoiceScriptRegistry;
}

const WEBHOOK = { tenant: false, csrf: false } as const;
const FORM = 'application/x-www-form-urlencoded';

function answer(
  reply: FastifyReply,
  provider: 'twilio' | 'ses',
  o: TwilioOutcome | SnsOutcome,
): FastifyReply {
  // Outcomes are a fixed set (forged, invalid, stale, duplicate, receipt…): safe as a label.
  (reply.server as FastifyInstance).vigie.metrics.webhooks.inc({ provider, result: o.result });
  if (o.code) throw fail(o.code);
  if ('twiml' in o && o.twiml !== undefined) return reply.type('text/xml').send(o.twiml);
  return reply.status(200).send({ ok: true, result: o.result });
}

export async function webhookRoutes(app: FastifyInstance, opts: WebhookRouteOptions): Promise<void> {
  // The signature covers the parameters as sent, so the form is parsed here, not by a generic parser.
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  // SNS posts JSON as text/plain; JSON bodies are read as text too, then parsed once.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_req, body, done) => done(null, body),
  );

  const twilioDeps = { db: app.db, authToken: app.config.twilio?.authToken, publicUrl: app.config.publicUrl };
  const successes = twilioReceiptCommits(app.db, opts.receipts);
  app.addHook('onClose', async () => successes.close());
  const form = (body: unknown) => parseForm(typeof body === 'string' ? body : '');
  const signature = (h: unknown) => (typeof h === 'string' ? h : undefined);
  const tags = ['webhooks'];

  app.post(
    '/webhooks/twilio/status',
    { config: WEBHOOK, schema: { tags, summary: 'Twilio status callback (signed)' } },
    async (req, reply) => {
      const o = await handleTwilioStatus(
        { url: req.url, signature: signature(req.headers['x-twilio-signature']), params: form(req.body) },
        { ...twilioDeps, receipts: opts.receipts, successes },
      );
      if (o.result === 'forged') req.log.warn('twilio status callback with an invalid signature');
      return answer(reply, 'twilio', o);
    },
  );

  app.post(
    '/webhooks/twilio/inbound',
    { config: WEBHOOK, schema: { tags, summary: 'Twilio inbound SMS (signed)' } },
    async (req, reply) => {
      const o = await handleTwilioInbound(
        { url: req.url, signature: signature(req.headers['x-twilio-signature']), params: form(req.body) },
        { ...twilioDeps, inbound: opts.inbound },
      );
      if (o.result === 'forged') req.log.warn('twilio inbound webhook with an invalid signature');
      return answer(reply, 'twilio', o);
    },
  );

  // Voice calls: the TwiML asked when a call is answered, the key pressed, the call's status.
  const voiceDeps = { ...twilioDeps, receipts: opts.receipts, scripts: opts.voiceScripts };
  const voiceRoutes = [
    ['/webhooks/twilio/voice', handleVoiceTwiml, 'Twilio voice call answered: TwiML (signed)'],
    ['/webhooks/twilio/voice/gather', handleVoiceGather, 'Twilio voice call: key pressed (signed)'],
    ['/webhooks/twilio/voice/status', handleVoiceStatus, 'Twilio voice call status callback (signed)'],
  ] as const;
  for (const [path, handle, summary] of voiceRoutes)
    app.post(path, { config: WEBHOOK, schema: { tags, summary } }, async (req, reply) => {
      const o = await handle(
        { url: req.url, signature: signature(req.headers['x-twilio-signature']), params: form(req.body) },
        voiceDeps,
      );
      if (o.result === 'forged') req.log.warn({ path }, 'twilio voice webhook with an invalid signature');
      return answer(reply, 'twilio', o);
    });

  const trustedCertPem = app.config.sns.trustedCertPath
    ? readFileSync(app.config.sns.trustedCertPath, 'utf8')
    : undefined;
  const certs = createCertStore({ trustedCertPem });
  app.post(
    '/webhooks/ses',
    { config: WEBHOOK, schema: { tags, summary: 'Amazon SNS notifications of SES events (signed)' } },
    async (req, reply) => {
      let body: unknown;
      try {
        body = typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
      } catch {
        throw fail('BAD_REQUEST');
      }
      const o = await handleSnsMessage(body, { db: app.db, certs, receipts: opts.receipts });
      if (o.result === 'forged') req.log.warn('SNS message with an invalid signature or certificate URL');
      return answer(reply, 'ses', o);
    },
  );
}
