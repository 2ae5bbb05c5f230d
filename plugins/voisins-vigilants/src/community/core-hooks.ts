// Memberships the core ends on its own (a move approved, an account erased, an
// address redrawn into another sector) reach the plugin here and go through
// the same path as leaving or an exclusion: the referent seat is freed and a
// round reopens, a candidacy is detached.
import type { MembershipEndedHook } from '@vigie/platform/plugin';
import { emitMembershipEnded } from './hooks.js';

export const onCoreMembershipEnded: MembershipEndedHook = async (trx, e, services) => {
  const wasReferent =
    (await services.roles.revoke(trx, { accountId: e.accountId, role: 'referent', scopeId: e.communityId })) >
    0;
  await emitMembershipEnded(
    trx,
    { tenant: e.tenant, accountId: e.accountId, communityId: e.communityId, reason: e.reason, wasReferent },
    services,
  );
};
