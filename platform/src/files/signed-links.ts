// Short-lived links to a stored document (a proof of address for its
// reviewer, an alert photo for those who may see the alert). The token is an
// HMAC over what the link is for (a purpose, the document, the reader's
// account, the commune) and an expiry: it is useless to anyone else (the
// routes also require the same reader's session), elsewhere, or once expired.
// The expiry travels in clear, so a link cannot be stretched: the maximum
// lifetime is checked as well as the signature.
import { createHmac } from 'node:crypto';
import { deriveKey, safeEqual } from '../lib/crypto.js';

export interface LinkSubject {
  tenantId: string;
  /** The document (proof id, photo id). */
  documentId: string;
  /** The only account the link works for. */
  accountId: string;
}

export interface LinkKind {
  /** Key-derivation label: a token made for one kind of link never opens another. */
  purpose: string;
  ttlMs: number;
}

function signature(secret: string, kind: LinkKind, s: LinkSubject, expiresAt: number): string {
  return createHmac('sha256', deriveKey(secret, kind.purpose))
    .update(`${s.tenantId}.${s.documentId}.${s.accountId}.${expiresAt}`)
    .digest('base64url');
}

export function signLink(
  secret: string,
  kind: LinkKind,
  s: LinkSubject,
  now = Date.now(),
): { token: string; expiresAt: Date } {
  const expiresAt = now + kind.ttlMs;
  return {
    token: `${expiresAt.toString(36)}.${signature(secret, kind, s, expiresAt)}`,
    expiresAt: new Date(expiresAt),
  };
}

export function checkLink(
  secret: string,
  kind: LinkKind,
  token: string,
  s: LinkSubject,
  now = Date.now(),
): boolean {
  const [exp, sig, extra] = token.split('.');
  if (!exp || !sig || extra !== undefined || !/^[0-9a-z]{1,12}$/.test(exp)) return false;
  const expiresAt = parseInt(exp, 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now || expiresAt > now + kind.ttlMs) return false;
  return safeEqual(sig, signature(secret, kind, s, expiresAt));
}
