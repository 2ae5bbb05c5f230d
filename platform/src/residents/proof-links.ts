// Short-lived links through which a reviewer reads a proof of address. The
// token is an HMAC over the proof, the reviewer's account, the commune and an
// expiry: it is useless to anyone else (the route also requires the same
// reviewer's session), elsewhere, or after five minutes.
import { createHmac } from 'node:crypto';
import { deriveKey, safeEqual } from '../identity/crypto.js';

export const PROOF_LINK_TTL_MS = 5 * 60_000;

function signature(secret: string, p: { tenantId: string; proofId: string; accountId: string; expiresAt: number }): string {
  return createHmac('sha256', deriveKey(secret, 'residents:proof-link'))
    .update(`${p.tenantId}.${p.proofId}.${p.accountId}.${p.expiresAt}`)
    .digest('base64url');
}

export function signProofLink(secret: string, p: { tenantId: string; proofId: string; accountId: string }, now = Date.now()): { token: string; expiresAt: Date } {
  const expiresAt = now + PROOF_LINK_TTL_MS;
  return { token: `${expiresAt.toString(36)}.${signature(secret, { ...p, expiresAt })}`, expiresAt: new Date(expiresAt) };
}

export function checkProofLink(secret: string, token: string, p: { tenantId: string; proofId: string; accountId: string }, now = Date.now()): boolean {
  const [exp, sig] = token.split('.');
  if (!exp || !sig || !/^[0-9a-z]{1,12}$/.test(exp)) return false;
  const expiresAt = parseInt(exp, 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now || expiresAt > now + PROOF_LINK_TTL_MS) return false;
  return safeEqual(sig, signature(secret, { ...p, expiresAt }));
}
