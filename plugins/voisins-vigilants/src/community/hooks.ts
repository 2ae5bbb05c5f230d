// Extension point inside the plugin: what happens when a membership ends. The
// referent selection listens here to reopen a round when a referent leaves or
// is excluded. Listeners run in the transaction that ended the membership, so
// a new round is never opened for a departure that was rolled back.
import type { PlatformServices, Trx } from '@vigie/platform/plugin';

export interface MembershipEnded {
  tenant: { id: string; slug: string };
  accountId: string;
  communityId: string;
  /** `left`, `excluded`: through the plugin; the others through the core (core-hooks.ts). */
  reason: 'left' | 'excluded' | 'moved' | 'erased' | 'sector_changed';
  /** The account held the referent role for this community (it has just been revoked). */
  wasReferent: boolean;
}

export type MembershipEndedListener = (
  trx: Trx,
  event: MembershipEnded,
  services: PlatformServices,
) => Promise<void>;

/** Filled once by `assemble` from the slices' `onMembershipEnded`. */
export const membershipEndedListeners: MembershipEndedListener[] = [];

export async function emitMembershipEnded(
  trx: Trx,
  event: MembershipEnded,
  services: PlatformServices,
): Promise<void> {
  for (const listener of membershipEndedListeners) await listener(trx, event, services);
}
