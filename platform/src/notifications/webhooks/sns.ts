// Amazon SNS message signatures (HTTP/S subscriptions). SNS signs a canonical
// string of some fields with the key of a certificate it publishes at
// SigningCertURL; that URL is attacker-controlled input, so it is trusted only
// over HTTPS on an SNS host of AWS, and the certificate is cached by URL.
import { createVerify, X509Certificate } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';

export const SnsMessageSchema = Type.Object({
  Type: Type.Union([
    Type.Literal('Notification'),
    Type.Literal('SubscriptionConfirmation'),
    Type.Literal('UnsubscribeConfirmation'),
  ]),
  MessageId: Type.String({ minLength: 1, maxLength: 200 }),
  TopicArn: Type.String({ minLength: 1, maxLength: 512 }),
  Message: Type.String(),
  Timestamp: Type.String({ minLength: 1 }),
  SignatureVersion: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  Signature: Type.String({ minLength: 1 }),
  SigningCertURL: Type.String({ minLength: 1, maxLength: 2048 }),
  Subject: Type.Optional(Type.String()),
  Token: Type.Optional(Type.String()),
  SubscribeURL: Type.Optional(Type.String({ maxLength: 4096 })),
  UnsubscribeURL: Type.Optional(Type.String()),
});
export type SnsMessage = Static<typeof SnsMessageSchema>;

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** An AWS SNS URL: https, an sns.<region>.amazonaws.com host, the default port, no credentials. */
export function isTrustedSnsUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return (
    u.protocol === 'https:' &&
    SNS_HOST.test(u.hostname) &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

export function isTrustedCertUrl(raw: string): boolean {
  return isTrustedSnsUrl(raw) && new URL(raw).pathname.endsWith('.pem');
}

/** The canonical string SNS signs: selected fields, byte-sorted, each as "Name\nvalue\n". */
export function snsStringToSign(m: SnsMessage): string {
  const keys =
    m.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  let out = '';
  for (const k of keys) {
    const v = m[k];
    if (v === undefined) continue;
    out += `${k}\n${v}\n`;
  }
  return out;
}

export function snsAlgorithm(version: SnsMessage['SignatureVersion']): 'RSA-SHA1' | 'RSA-SHA256' {
  return version === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
}

export function verifySnsSignature(m: SnsMessage, certPem: string): boolean {
  try {
    const v = createVerify(snsAlgorithm(m.SignatureVersion));
    v.update(snsStringToSign(m), 'utf8');
    return v.verify(certPem, m.Signature, 'base64');
  } catch {
    return false;
  }
}

export interface CertStore {
  get(url: string): Promise<string>;
}

export interface CertStoreOptions {
  /** Outside production only: a PEM used for every (trusted) SigningCertURL instead of fetching it. */
  trustedCertPem?: string | undefined;
  fetch?: typeof fetch;
  ttlMs?: number;
  now?: () => number;
}

/** Fetches SNS certificates over HTTPS and keeps them for a day; at most a handful of URLs ever exist. */
export function createCertStore(opts: CertStoreOptions = {}): CertStore {
  const cache = new Map<string, { pem: string; until: number }>();
  const ttl = opts.ttlMs ?? 86_400_000;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  return {
    async get(url) {
      if (!isTrustedCertUrl(url)) throw new Error('Untrusted SigningCertURL');
      if (opts.trustedCertPem) return opts.trustedCertPem;
      const hit = cache.get(url);
      if (hit && hit.until > now()) return hit.pem;
      const res = await doFetch(url, { redirect: 'error', signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`SigningCertURL answered ${res.status}`);
      const pem = await res.text();
      const cert = new X509Certificate(pem);
      if (new Date(cert.validTo).getTime() < now()) throw new Error('Expired SNS certificate');
      if (cache.size >= 32) cache.clear();
      cache.set(url, { pem, until: now() + ttl });
      return pem;
    },
  };
}
