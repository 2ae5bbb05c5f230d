import { describe, expect, it } from 'vitest';
import { refuseDecision, refuseWithdrawal, steps } from './rules.js';

const reviewer = { accountId: 'referent', role: 'referent' as const };

describe('address-verification validators', () => {
  it('refuse any decision once the request is settled, with the reason why', () => {
    const d = { decision: 'APPROVE' as const, reviewer };
    expect(refuseDecision(null, 'resident', d)).toBeNull();
    expect(refuseDecision('decision', 'resident', d)?.type).toBe('ALREADY_DECIDED');
    expect(refuseDecision('expiry', 'resident', d)?.type).toBe('REQUEST_EXPIRED');
    expect(refuseDecision('withdrawal', 'resident', d)?.type).toBe('REQUEST_WITHDRAWN');
  });

  it('want a listed reason for a rejection, and no self-review', () => {
    expect(refuseDecision(null, 'resident', { decision: 'REJECT', reviewer })?.type).toBe(
      'REJECTION_REASON_REQUIRED',
    );
    expect(
      refuseDecision(null, 'resident', { decision: 'REJECT', reason: 'toString' as never, reviewer })?.type,
    ).toBe('REJECTION_REASON_UNKNOWN');
    expect(
      refuseDecision(null, 'resident', {
        decision: 'REJECT',
        reason: 'autre',
        comment: 'x'.repeat(501),
        reviewer,
      })?.type,
    ).toBe('DECISION_INVALID');
    expect(
      refuseDecision(null, 'resident', { decision: 'REJECT', reason: 'nom_different', reviewer }),
    ).toBeNull();
    expect(refuseDecision(null, 'referent', { decision: 'APPROVE', reviewer })?.type).toBe(
      'SELF_REVIEW_FORBIDDEN',
    );
    expect(refuseDecision(null, 'resident', { decision: 'MAYBE' as never, reviewer })?.type).toBe(
      'DECISION_INVALID',
    );
  });

  it('let only the resident withdraw, while the request is open', () => {
    expect(refuseWithdrawal(null, 'resident', { accountId: 'resident' })).toBeNull();
    expect(refuseWithdrawal(null, 'resident', { accountId: 'someone' })?.type).toBe('NOT_REQUESTER');
    expect(refuseWithdrawal('decision', 'resident', { accountId: 'resident' })?.type).toBe('ALREADY_DECIDED');
  });

  it('order the reminder and the escalation, and drop those after expiry', () => {
    expect(steps({ remindAfterMs: 48, escalateAfterMs: 168, expireAfterMs: 720 })).toEqual([
      { step: 'remind', atMs: 48 },
      { step: 'escalate', atMs: 168 },
    ]);
    expect(steps({ remindAfterMs: 500, escalateAfterMs: 100, expireAfterMs: 300 })).toEqual([
      { step: 'escalate', atMs: 100 },
    ]);
  });
});
