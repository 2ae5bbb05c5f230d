// A local stand-in for Twilio's Messages and Calls APIs, for tests and
// benchmarks. The real `twilio` SDK talks to it (TWILIO_API_BASE_URL). It can
// fail a fraction of requests, answer slowly, reject chosen numbers with
// Twilio's error codes, count what each recipient received (to measure
// duplicates), and post status callbacks and inbound SMS signed the way Twilio
// signs them. Calls follow a script per number (answered and a key pressed,
// no answer, busy, failed): an answered call fetches its TwiML from the `Url`
// it was created with, posts the key to the <Gather> action found there, then
// the call's status, every request signed.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countSegments } from '../notifications/gsm.js';

export type DeliveryOutcome =
  { status: 'delivered' } | { status: 'undelivered' | 'failed'; errorCode: number };

/** What happens to one call (attempt counts from 1 per number). */
export type CallOutcome =
  | { answer: 'answered'; digits?: string | null }
  | { answer: 'no-answer' | 'busy' }
  | { answer: 'failed'; errorCode: number };

export interface StoredCall {
  sid: string;
  to: string;
  from: string | null;
  url: string | null;
  statusCallback: string | null;
  statusCallbackEvents: string[];
  status: string;
  /** The nth call to this number. */
  attempt: number;
  outcome: CallOutcome;
  /** TwiML documents our webhooks answered, in order (the call's, then the gather's). */
  twiml: string[];
  /** The <Say> texts of the call's TwiML, with their language. */
  said: Array<{ language: string | null; text: string }>;
  digitsSent: string | null;
  errorCode: number | null;
  dateCreated: Date;
}

export interface TwilioStandInBehaviour {
  /** What happens to a call; default: answered, and 1 pressed. */
  callScript: (to: string, attempt: number) => CallOutcome;
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
export type TwimlFetch = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<{ status: number; body: string }>;

export interface TwilioStandInOptions extends Partial<TwilioStandInBehaviour> {
  accountSid?: string;
  authToken?: string;
  messagingServiceSid?: string;
  /** The commune's number, used as From of callbacks and To of inbound SMS. */
  senderNumber?: string;
  sink?: CallbackSink;
  /** Where TwiML is fetched (the body matters): by default fetch; tests pass one that uses app.inject. */
  request?: TwimlFetch;
  /** The caller number calls come from (TWILIO_VOICE_FROM). */
  voiceNumber?: string;
  /** Seed for the failure draws, so a failing run can be replayed. */
  seed?: number;
}

export interface TwilioStandIn {
  url: string;
  accountSid: string;
  authToken: string;
  messagingServiceSid: string;
  senderNumber: string;
  voiceNumber: string;
  behaviour: TwilioStandInBehaviour;
  /** Every call created, in order. */
  calls: StoredCall[];
  callsTo(to: string): number;
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

const httpFetch: TwimlFetch = async (url, headers, body) => {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
};

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unxml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (m, e: string) =>
    e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (XML_ENTITIES[e] ?? m),
  );

/** What a TwiML document says and where its <Gather> posts the key: enough of TwiML for our calls. */
export function readTwiml(xml: string): {
  said: Array<{ language: string | null; text: string }>;
  gatherAction: string | null;
} {
  const said = [...xml.matchAll(/<Say([^>]*)>([\s\S]*?)<\/Say>/g)].map((m) => ({
    language: /language="([^"]*)"/.exec(m[1]!)?.[1] ?? null,
    text: unxml(m[2]!),
  }));
  const action = /<Gather[^>]*\saction="([^"]*)"/.exec(xml)?.[1];
  return { said, gatherAction: action ? unxml(action) : null };
}

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
    callScript: opts.callScript ?? (() => ({ answer: 'answered', digits: '1' })),
  };
  const voiceNumber = opts.voiceNumber ?? '+33180000000';
  const request = opts.request ?? httpFetch;
  const calls: StoredCall[] = [];
  const callsBySid = new Map<string, StoredCall>();
  const callsPerNumber = new Map<string, number>();
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

  const signed = (url: string, params: Record<string, string>) => ({
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilioSignature(authToken, url, params),
    'i-twilio-idempotency-token': hex(16),
    'user-agent': 'TwilioProxy/1.1',
  });

  const callJson = (c: StoredCall) => ({
    sid: c.sid,
    account_sid: accountSid,
    to: c.to,
    to_formatted: c.to,
    from: c.from,
    from_formatted: c.from,
    status: c.status,
    direction: 'outbound-api',
    api_version: '2010-04-01',
    answered_by: null,
    duration: c.status === 'completed' ? '21' : null,
    price: null,
    price_unit: 'USD',
    parent_call_sid: null,
    phone_number_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    forwarded_from: null,
    group_sid: null,
    annotation: null,
    start_time: null,
    end_time: null,
    date_created: c.dateCreated.toUTCString(),
    date_updated: c.dateCreated.toUTCString(),
    uri: `${base}/Calls/${c.sid}.json`,
    subresource_uris: {},
  });

  const callParams = (c: StoredCall, status: string): Record<string, string> => ({
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: c.sid,
    CallStatus: status,
    Called: c.to,
    Caller: c.from ?? '',
    Direction: 'outbound-api',
    From: c.from ?? '',
    To: c.to,
  });

  /** A status callback of the call, when its event was asked for (completed always is, as Twilio does). */
  const callStatus = async (
    c: StoredCall,
    status: string,
    event: string,
    extra: Record<string, string> = {},
  ) => {
    c.status = status;
    if (!c.statusCallback) return;
    const wanted = c.statusCallbackEvents.length ? c.statusCallbackEvents : ['completed'];
    if (!wanted.includes(event)) return;
    if (random() < behaviour.lostCallbackRate) {
      lostCallbacks++;
      return;
    }
    try {
      await signedPost(c.statusCallback, {
        ...callParams(c, status),
        CallbackSource: 'call-progress-events',
        SequenceNumber: String(['initiated', 'ringing', 'answered', 'completed'].indexOf(event)),
        Timestamp: new Date().toUTCString(),
        ...extra,
      });
    } catch {
      // Twilio gives up on a callback it cannot deliver; so does the stand-in.
    }
  };

  /** Our webhook answers TwiML; the stand-in reads it as Twilio's call engine would. */
  const fetchTwiml = async (c: StoredCall, url: string, params: Record<string, string>) => {
    const body = new URLSearchParams(params).toString();
    const res = await request(url, signed(url, params), body);
    callbacks.push({ url, headers: signed(url, params), body, status: res.status });
    if (res.status !== 200) return null;
    c.twiml.push(res.body);
    return readTwiml(res.body);
  };

  const runCall = (c: StoredCall) => {
    const p = (async () => {
      await sleep(behaviour.callbackDelayMs);
      await callStatus(c, 'initiated', 'initiated');
      await callStatus(c, 'ringing', 'ringing');
      await sleep(behaviour.callbackDelayMs);
      const o = c.outcome;
      if (o.answer === 'failed') {
        c.errorCode = o.errorCode;
        await callStatus(c, 'failed', 'completed', { ErrorCode: String(o.errorCode), CallDuration: '0' });
        return;
      }
      if (o.answer !== 'answered') {
        await callStatus(c, o.answer, 'completed', { CallDuration: '0' });
        return;
      }
      await callStatus(c, 'in-progress', 'answered');
      try {
        const doc = c.url ? await fetchTwiml(c, c.url, callParams(c, 'in-progress')) : null;
        if (doc) c.said.push(...doc.said);
        if (doc?.gatherAction && o.digits) {
          c.digitsSent = o.digits;
          await fetchTwiml(c, new URL(doc.gatherAction, c.url!).toString(), {
            ...callParams(c, 'in-progress'),
            Digits: o.digits,
            FinishedOnKey: '',
            msg: 'Gather End',
          });
        }
      } catch {
        // A TwiML fetch that fails ends the call, as Twilio's "application error" does.
      }
      await callStatus(c, 'completed', 'completed', { CallDuration: '21', Duration: '1' });
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const createCall = async (req: http.IncomingMessage, res: http.ServerResponse) => {
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
    if (!params.get('From')) return error(res, 400, 21603, "A 'From' phone number is required.");
    if (!params.get('Url') && !params.get('Twiml'))
      return error(res, 400, 21205, 'Url parameter is required.');
    const attempt = (callsPerNumber.get(to) ?? 0) + 1;
    callsPerNumber.set(to, attempt);
    const c: StoredCall = {
      sid: `CA${hex(16)}`,
      to,
      from: params.get('From'),
      url: params.get('Url'),
      statusCallback: params.get('StatusCallback'),
      statusCallbackEvents: params.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')),
      status: 'queued',
      attempt,
      outcome: behaviour.callScript(to, attempt),
      twiml: [],
      said: [],
      digitsSent: null,
      errorCode: null,
      dateCreated: new Date(),
    };
    calls.push(c);
    callsBySid.set(c.sid, c);
    runCall(c);
    if (random() < behaviour.lostResponseRate) return error(res, 500, 20500, 'Internal Server Error');
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify(callJson(c)));
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
      if (req.method === 'POST' && url.pathname === `${base}/Calls.json`) return createCall(req, res);
      const call = new RegExp(`^${base}/Calls/(CA[0-9a-f]{32})\\.json$`).exec(url.pathname);
      if (req.method === 'GET' && call) {
        const c = callsBySid.get(call[1]!);
        if (!c) return error(res, 404, 20404);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(callJson(c)));
      }
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
    voiceNumber,
    behaviour,
    messages,
    calls,
    callsTo: (to) => callsPerNumber.get(to) ?? 0,
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
      calls.length = 0;
      callsBySid.clear();
      callsPerNumber.clear();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
