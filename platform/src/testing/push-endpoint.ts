// A local push service, as a browser's (Mozilla autopush, FCM) would be seen
// by Vigie: an HTTP server on 127.0.0.1 that gives out subscriptions the way
// a browser's PushManager.subscribe() does (a P-256 ECDH key pair and a
// 16-byte auth secret per device, the private half kept here), and then
// checks each push it receives as the device would: the VAPID Authorization
// (an ES256 JWT whose audience is this origin), then the aes128gcm payload
// (RFC 8188 framing, RFC 8291 keys), decrypted with the device's private key.
// A push that fails a check is answered 400/401 and recorded in `refused`,
// so a test sees exactly what a real push service would have refused.
import {
  createECDH,
  createDecipheriv,
  createPublicKey,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BrowserSubscription {
  /** What PushSubscription.toJSON() gives. */
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  endpoint: string;
  /** The decrypted body, parsed as JSON (Vigie's payloads are JSON). */
  payload: unknown;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  /** The k= of the VAPID header: the application server's public key. */
  vapidKey: string;
  jwt: { aud: string; exp: number; sub: string };
  /** What the endpoint answered. */
  status: number;
}

export interface RefusedPush {
  endpoint: string;
  status: number;
  reason: string;
}

interface Device {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
  /** Statuses to answer, in order; the last one sticks. */
  answers: number[];
  attempts: number;
}

export interface PushEndpoint {
  origin: string;
  /** A new device: like PushManager.subscribe() in a browser. */
  subscribe(): BrowserSubscription;
  /** What the device's push service answers from now on: 201, or 404/410 (gone), 429, 5xx… A list is answered in order, its last status sticking. */
  respond(endpoint: string, statuses: number | number[]): void;
  /** Pushes that passed both checks (whatever status was then answered). */
  received: ReceivedPush[];
  refused: RefusedPush[];
  receivedBy(endpoint: string): ReceivedPush[];
  attempts(endpoint: string): number;
  /** When set, a push signed with another VAPID key is refused (401). */
  expectVapidKey: string | undefined;
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const b64url = (b: Buffer) => b.toString('base64url');

function p256PublicKey(raw: Buffer) {
  if (raw.length !== 65 || raw[0] !== 4)
    throw new Refusal(401, 'VAPID key is not an uncompressed P-256 point');
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) },
    format: 'jwk',
  });
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`; the JWT is ES256 over (header.payload), aud = this origin. */
function checkVapid(header: string | undefined, origin: string, expectKey: string | undefined) {
  const m = /^vapid\s+t=([^,\s]+)\s*,\s*k=([A-Za-z0-9_-]+)\s*$/.exec(header ?? '');
  if (!m) throw new Refusal(401, 'missing or malformed VAPID Authorization');
  const [, token, k] = m as unknown as [string, string, string];
  if (expectKey !== undefined && k !== expectKey) throw new Refusal(401, 'unexpected VAPID key');
  const parts = token.split('.');
  if (parts.length !== 3) throw new Refusal(401, 'the VAPID token is not a JWT');
  const [h, p, s] = parts as [string, string, string];
  const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; typ?: string };
  if (head.alg !== 'ES256') throw new Refusal(401, `VAPID JWT alg ${head.alg}, expected ES256`);
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: p256PublicKey(Buffer.from(k, 'base64url')), dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Refusal(401, 'bad VAPID signature');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (claims.aud !== origin) throw new Refusal(401, `VAPID aud ${claims.aud}, expected ${origin}`);
  const now = Math.floor(Date.now() / 1000);
  // RFC 8292 §2: no more than 24 hours ahead.
  if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 86_400)
    throw new Refusal(401, 'VAPID exp missing, past, or more than 24 h ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
    throw new Refusal(401, 'VAPID sub must be mailto: or https:');
  return { vapidKey: k, jwt: { aud: claims.aud, exp: claims.exp, sub: claims.sub } };
}

/** RFC 8291 §3.4 and RFC 8188: what the device's browser does with the body. */
export function decryptAes128gcm(
  body: Buffer,
  device: { ecdh: ReturnType<typeof createECDH>; publicKey: Buffer; auth: Buffer },
): Buffer {
  if (body.length < 21) throw new Refusal(400, 'body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const keyid = body.subarray(21, 21 + idlen);
  // The key id carries the application server's ephemeral public key.
  if (idlen !== 65 || keyid[0] !== 4) throw new Refusal(400, 'aes128gcm keyid is not a P-256 public key');
  const records = body.subarray(21 + idlen);
  if (records.length > rs) throw new Refusal(400, 'more than one record: Web Push sends one');
  if (records.length < 17) throw new Refusal(400, 'record too short');
  let ecdhSecret: Buffer;
  try {
    ecdhSecret = device.ecdh.computeSecret(keyid);
  } catch {
    throw new Refusal(400, 'the sender key is not on the curve');
  }
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), device.publicKey, keyid]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, device.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  } catch {
    throw new Refusal(400, 'aes128gcm authentication failed: not encrypted for this device');
  }
  // Padding: zeros after a delimiter, 0x02 for the last (here: only) record.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (end < 0 || plain[end] !== 2) throw new Refusal(400, 'missing last-record delimiter');
  return plain.subarray(0, end);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const devices = new Map<string, Device>();
  const received: ReceivedPush[] = [];
  const refused: RefusedPush[] = [];
  let origin = '';
  const state = { expectVapidKey: undefined as string | undefined };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const endpoint = `${origin}${req.url ?? ''}`;
      const body = await readBody(req);
      const device = devices.get(req.url ?? '');
      const answer = (status: number, reason?: string) => {
        if (reason) refused.push({ endpoint, status, reason });
        res.writeHead(status, status === 201 ? { location: `${origin}/message/${randomUUID()}` } : {});
        res.end();
      };
      if (req.method !== 'POST') return answer(405, `method ${req.method}`);
      if (!device) return answer(404, 'unknown subscription');
      device.attempts++;
      try {
        const vapid = checkVapid(req.headers.authorization, origin, state.expectVapidKey);
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Refusal(400, `Content-Encoding ${req.headers['content-encoding']}, expected aes128gcm`);
        const ttl = Number(req.headers.ttl);
        if (!Number.isInteger(ttl) || ttl < 0) throw new Refusal(400, 'TTL header missing');
        const plain = decryptAes128gcm(body, device);
        const status = device.answers.length > 1 ? device.answers.shift()! : (device.answers[0] ?? 201);
        received.push({
          endpoint,
          payload: JSON.parse(plain.toString('utf8')) as unknown,
          ttl,
          urgency: (req.headers.urgency as string | undefined) ?? null,
          topic: (req.headers.topic as string | undefined) ?? null,
          ...vapid,
          status,
        });
        answer(status);
      } catch (err) {
        if (err instanceof Refusal) return answer(err.status, err.message);
        answer(500, String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pathOf = (endpoint: string) => endpoint.slice(origin.length);
  return {
    origin,
    received,
    refused,
    get expectVapidKey() {
      return state.expectVapidKey;
    },
    set expectVapidKey(k: string | undefined) {
      state.expectVapidKey = k;
    },
    subscribe() {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomUUID()}`;
      devices.set(path, { ecdh, publicKey, auth, answers: [201], attempts: 0 });
      return { endpoint: origin + path, keys: { p256dh: b64url(publicKey), auth: b64url(auth) } };
    },
    respond(endpoint, statuses) {
      const d = devices.get(pathOf(endpoint));
      if (!d) throw new Error(`unknown push subscription ${endpoint}`);
      d.answers = Array.isArray(statuses) ? [...statuses] : [statuses];
    },
    receivedBy: (endpoint) => received.filter((r) => r.endpoint === endpoint),
    attempts: (endpoint) => devices.get(pathOf(endpoint))?.attempts ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
