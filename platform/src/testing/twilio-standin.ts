// A local stand-in for Twilio's Messages API, for tests and benchmarks. The
// real `twilio` SDK talks to it (TWILIO_API_BASE_URL). It can fail a fraction
// of requests, answer slowly, reject chosen numbers with Twilio's error codes,
// count what each recipient received (to measure duplicates), and post status
// callbacks and inbound SMS signed the way Twilio signs them.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countSegments } from '../notifications/gsm.js';

export type DeliveryOutcome =
  { status: 'delivered' } | { status: 'undelivered' | 'failed'; errorCode: number };

export interface TwilioStandInBehaviour {
  /** Fraction (0–1) of create requests answered 500 or 503 before anything is sent. */
  failureRate: number;
  /**
   * Fraction (0–1) of create requests where the message IS sent but the answer
   * is a 500: the client cannot know, which is how duplicates happen.
   */
  lostResponseRate: number;
  /** Delay before answering, in ms (a number or a [min, max] range). */
  delayMs: number | [number, number];
  /** Numbers rejected with a Twilio error code (21211 invalid, 21610 unsubscribed, 21614 not mobile). */
  rejections: Map<string, number>;
  /** What happens to an accepted message; default: delivered. */
  outcome: (to: string) => DeliveryOutcome;
  /** Delay between two status callbacks of one message, in ms. */
  callbackDelayMs: number;
  /**
   * Fraction (0–1) of status callbacks never made, as when the endpoint was
   * down: the message's status still moves on (the API tells it).
   */
  lostCallbackRate: number;
}

export interface StoredMessage {
  sid: string;
  to: string;
  body: string;
  messagingServiceSid: string | null;
  from: string | null;
  statusCallback: string | null;
  status: string;
  errorCode: number | null;
  numSegments: number;
  dateCreated: Date;
}

export interface DeliveredCallback {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The answer's status code; 0 when the request itself failed (see `error`). */
  status: number;
  error?: string;
}

/** Where callbacks go: by default an HTTP POST; tests pass one that uses app.inject. */
export type CallbackSink = (url: string, headers: Record<string, string>, body: string) => Promise<number>;

export interface TwilioStandInOptions extends Partial<TwilioStandInBehaviour> {
  accountSid?: string;
  authToken?: string;
  messagingServiceSid?: string;
  /** The commune's number, used as From of callbacks and To of inbound SMS. */
  senderNumber?: string;
  sink?: CallbackSink;
  /** Seed for the failure draws, so a failing run can be replayed. */
  seed?: number;
}

export interface TwilioStandIn {
  url: string;
  accountSid: string;
  authToken: string;
  messagingServiceSid: string;
  senderNumber: string;
  behaviour: TwilioStandInBehaviour;
  /** Every message accepted, in order. */
  messages: StoredMessage[];
  /** Create requests received, including the failed ones. */
  requests: number;
  /** Status callbacks not made (lostCallbackRate). */
  lostCallbacks: number;
  callbacks: DeliveredCallback[];
  sendsTo(to: string): number;
  /** Sends beyond the first of the same body to the same number. */
  duplicateSends(): number;
  /** Resolves when every scheduled status callback has been posted. */
  drain(): Promise<void>;
  /** An inbound SMS as Twilio would post it to `url`, signed. */
  inbound(
    url: string,
    msg: { from: string; body: string; to?: string },
  ): { url: string; headers: Record<string, string>; body: string; params: Record<string, string> };
  /** Posts an inbound SMS through the sink. */
  sendInbound(url: string, msg: { from: string; body: string; to?: string }): Promise<number>;
  reset(): void;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString('hex');

/** Twilio's signature: base64 HMAC-SHA1, keyed by the auth token, of the URL followed by each parameter name and value, names sorted. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ERROR_MESSAGES: Record<number, string> = {
  21211: "The 'To' number is not a valid phone number.",
  21610: 'Attempt to send to unsubscribed recipient',
  21614: "'To' number is not a valid mobile number",
  21604: "A 'To' phone number is required.",
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
};

const httpSink: CallbackSink = async (url, headers, body) => {
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
};

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startTwilioStandIn(opts: TwilioStandInOptions = {}): Promise<TwilioStandIn> {
  const accountSid = opts.accountSid ?? `AC${hex(16)}`;
  const authToken = opts.authToken ?? hex(16);
  const messagingServiceSid = opts.messagingServiceSid ?? `MG${hex(16)}`;
  const senderNumber = opts.senderNumber ?? '+33757000000';
  const sink = opts.sink ?? httpSink;
  const random = opts.seed === undefined ? Math.random : mulberry32(opts.seed);
  const behaviour: TwilioStandInBehaviour = {
    failureRate: opts.failureRate ?? 0,
    lostResponseRate: opts.lostResponseRate ?? 0,
    delayMs: opts.delayMs ?? 0,
    rejections: opts.rejections ?? new Map(),
    outcome: opts.outcome ?? (() => ({ status: 'delivered' })),
    callbackDelayMs: opts.callbackDelayMs ?? 0,
    lostCallbackRate: opts.lostCallbackRate ?? 0,
  };
  const messages: StoredMessage[] = [];
  const bySid = new Map<string, StoredMessage>();
  const perRecipient = new Map<string, number>();
  const perRecipientBody = new Map<string, number>();
  const callbacks: DeliveredCallback[] = [];
  const pending = new Set<Promise<void>>();
  let requests = 0;
  let lostCallbacks = 0;

  const base = `/2010-04-01/Accounts/${accountSid}`;
  const messageJson = (m: StoredMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    messaging_service_sid: m.messagingServiceSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    num_segments: String(m.numSegments),
    num_media: '0',
    direction: 'outbound-api',
    api_version: '2010-04-01',
    price: null,
    price_unit: 'EUR',
    error_code: m.errorCode,
    error_message: null,
    date_created: m.dateCreated.toUTCString(),
    date_updated: m.dateCreated.toUTCString(),
    date_sent: null,
    uri: `${base}/Messages/${m.sid}.json`,
    subresource_uris: { media: `${base}/Messages/${m.sid}/Media.json` },
  });
  const error = (
    res: http.ServerResponse,
    status: number,
    code: number,
    message = ERROR_MESSAGES[code] ?? 'Error',
  ) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
    );
  };

  const signedPost = async (url: string, params: Record<string, string>) => {
    const body = new URLSearchParams(params).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, url, params),
      'i-twilio-idempotency-token': hex(16),
      'user-agent': 'TwilioProxy/1.1',
    };
    let status: number;
    try {
      status = await sink(url, headers, body);
    } catch (err) {
      callbacks.push({ url, headers, body, status: 0, error: String(err) });
      throw err;
    }
    callbacks.push({ url, headers, body, status });
    return status;
  };

  const scheduleCallbacks = (m: StoredMessage) => {
    if (!m.statusCallback) return;
    const outcome = behaviour.outcome(m.to);
    const steps: Array<{ status: string; errorCode?: number }> =
      outcome.status === 'delivered'
        ? [{ status: 'queued' }, { status: 'sent' }, { status: 'delivered' }]
        : outcome.status === 'undelivered'
          ? [
              { status: 'queued' },
              { status: 'sent' },
              { status: 'undelivered', errorCode: outcome.errorCode },
            ]
          : [{ status: 'queued' }, { status: 'failed', errorCode: outcome.errorCode }];
    const p = (async () => {
      for (const step of steps) {
        await sleep(behaviour.callbackDelayMs);
        m.status = step.status;
        if (step.errorCode) m.errorCode = step.errorCode;
        if (random() < behaviour.lostCallbackRate) {
          lostCallbacks++;
          continue;
        }
        const params: Record<string, string> = {
          AccountSid: accountSid,
          ApiVersion: '2010-04-01',
          From: senderNumber,
          MessageSid: m.sid,
          MessageStatus: step.status,
          SmsSid: m.sid,
          SmsStatus: step.status,
          To: m.to,
          ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
          ...(step.errorCode ? { ErrorCode: String(step.errorCode) } : {}),
        };
        try {
          await signedPost(m.statusCallback!, params);
        } catch {
          // Twilio gives up on a callback it cannot deliver; so does the stand-in.
        }
      }
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const createMessage = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests += 1;
    const params = new URLSearchParams(await readBody(req));
    const d = behaviour.delayMs;
    const delay = Array.isArray(d) ? d[0] + random() * (d[1] - d[0]) : d;
    if (delay > 0) await sleep(delay);
    if (random() < behaviour.failureRate)
      return error(res, random() < 0.5 ? 500 : 503, 20500, 'Internal Server Error');
    const to = params.get('To');
    if (!to) return error(res, 400, 21604);
    const rejected = behaviour.rejections.get(to);
    if (rejected) return error(res, 400, rejected);
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return error(res, 400, 21211);
    const body = params.get('Body') ?? '';
    const m: StoredMessage = {
      sid: `SM${hex(16)}`,
      to,
      body,
      messagingServiceSid: params.get('MessagingServiceSid'),
      from: params.get('From'),
      statusCallback: params.get('StatusCallback'),
      // Twilio answers "accepted" for a Messaging Service send, "queued" for a From number.
      status: params.get('From') ? 'queued' : 'accepted',
      errorCode: null,
      numSegments: countSegments(body).segments,
      dateCreated: new Date(),
    };
    messages.push(m);
    bySid.set(m.sid, m);
    perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    const key = `${to}\u0000${body}`;
    perRecipientBody.set(key, (perRecipientBody.get(key) ?? 0) + 1);
    scheduleCallbacks(m);
    if (random() < behaviour.lostResponseRate) return error(res, 500, 20500, 'Internal Server Error');
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify(messageJson(m)));
  };

  const server = http.createServer((req, res) => {
    const handle = async () => {
      const auth = req.headers.authorization ?? '';
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (auth !== expected) return error(res, 401, 20003);
      const url = new URL(req.url ?? '/', 'http://stand-in');
      if (req.method === 'POST' && url.pathname === `${base}/Messages.json`) return createMessage(req, res);
      const one = new RegExp(`^${base}/Messages/(SM[0-9a-f]{32})\\.json$`).exec(url.pathname);
      if (req.method === 'GET' && one) {
        const m = bySid.get(one[1]!);
        if (!m) return error(res, 404, 20404);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(messageJson(m)));
      }
      if (req.method === 'GET' && url.pathname === `${base}/Messages.json`) {
        const to = url.searchParams.get('To');
        const size = Number(url.searchParams.get('PageSize') ?? 50);
        // Twilio lists newest first.
        const list = messages
          .filter((m) => !to || m.to === to)
          .reverse()
          .slice(0, size)
          .map(messageJson);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            messages: list,
            page: 0,
            page_size: list.length,
            first_page_uri: `${base}/Messages.json`,
            next_page_uri: null,
            previous_page_uri: null,
            uri: `${base}/Messages.json`,
          }),
        );
      }
      return error(res, 404, 20404);
    };
    handle().catch(() => {
      if (!res.headersSent) error(res, 500, 20500, 'stand-in failure');
    });
  });
  // Benchmarks open many keep-alive connections at once.
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const inbound: TwilioStandIn['inbound'] = (url, msg) => {
    const sid = `SM${hex(16)}`;
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      Body: msg.body,
      From: msg.from,
      FromCountry: 'FR',
      MessageSid: sid,
      MessagingServiceSid: messagingServiceSid,
      NumMedia: '0',
      NumSegments: String(countSegments(msg.body).segments || 1),
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: msg.to ?? senderNumber,
      ToCountry: 'FR',
    };
    return {
      url,
      params,
      body: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, url, params),
      },
    };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messagingServiceSid,
    senderNumber,
    behaviour,
    messages,
    get requests() {
      return requests;
    },
    get lostCallbacks() {
      return lostCallbacks;
    },
    callbacks,
    sendsTo: (to) => perRecipient.get(to) ?? 0,
    duplicateSends: () => [...perRecipientBody.values()].reduce((n, c) => n + c - 1, 0),
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    inbound,
    sendInbound: (url, msg) => signedPost(url, inbound(url, msg).params),
    reset() {
      messages.length = 0;
      bySid.clear();
      perRecipient.clear();
      perRecipientBody.clear();
      callbacks.length = 0;
      requests = 0;
      lostCallbacks = 0;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
