// Short-lived links through which a reviewer reads a proof of address, valid
// for the reviewer, the proof and the commune they were made for, five
// minutes (files/signed-links.ts signs and checks them).
import { checkLink, signLink, type LinkKind } from '../files/index.js';

export const PROOF_LINK_TTL_MS = 5 * 60_000;
const PROOF_LINK: LinkKind = { purpose: 'residents:proof-link', ttlMs: PROOF_LINK_TTL_MS };

export function signProofLink(
  secret: string,
  p: { tenantId: string; proofId: string; accountId: string },
  now = Date.now(),
): { token: string; expiresAt: Date } {
  return signLink(
    secret,
    PROOF_LINK,
    { tenantId: p.tenantId, documentId: p.proofId, accountId: p.accountId },
    now,
  );
}

export function checkProofLink(
  secret: string,
  token: string,
  p: { tenantId: string; proofId: string; accountId: string },
  now = Date.now(),
): boolean {
  return checkLink(
    secret,
    PROOF_LINK,
    token,
    { tenantId: p.tenantId, documentId: p.proofId, accountId: p.accountId },
    now,
  );
}
