import { describe, expect, it } from 'vitest';
import { checkProofLink, PROOF_LINK_TTL_MS, signProofLink } from './proof-links.js';

const SECRET = 'a test secret that is long enough to derive keys';
const p = { tenantId: 't1', proofId: 'p1', accountId: 'reviewer' };

describe('proof links', () => {
  it('are valid for five minutes, for the reviewer, the proof and the commune they were made for', () => {
    const now = Date.now();
    const { token, expiresAt } = signProofLink(SECRET, p, now);
    expect(expiresAt.getTime()).toBe(now + PROOF_LINK_TTL_MS);
    expect(checkProofLink(SECRET, token, p, now + 4 * 60_000)).toBe(true);
    expect(checkProofLink(SECRET, token, p, now + 5 * 60_000)).toBe(false);
    expect(checkProofLink(SECRET, token, { ...p, accountId: 'someone else' }, now)).toBe(false);
    expect(checkProofLink(SECRET, token, { ...p, proofId: 'p2' }, now)).toBe(false);
    expect(checkProofLink(SECRET, token, { ...p, tenantId: 't2' }, now)).toBe(false);
    expect(checkProofLink('another secret that is also long enough', token, p, now)).toBe(false);
  });

  it('cannot be stretched by editing the expiry', () => {
    const now = Date.now();
    const { token } = signProofLink(SECRET, p, now);
    const [, sig] = token.split('.');
    const later = `${(now + 60 * 60_000).toString(36)}.${sig}`;
    expect(checkProofLink(SECRET, later, p, now)).toBe(false);
    expect(checkProofLink(SECRET, 'garbage', p, now)).toBe(false);
  });
});
