// Extension point inside the plugin: what happens when a membership ends. The
// referent selection listens here to reopen a round when a referent leaves or
// is excluded. Listeners run in the transaction that ended the membership, so
// a new round is never opened for a departure that was rolled back. One set of
// listeners per instance, created by the plugin's register step (slice.ts).
import { createExtensionPoint, type PlatformServices, type Trx } from '@vigie/platform/plugin';

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

export interface MembershipEndedExtension {
  listen(listener: MembershipEndedListener): void;
  emit(trx: Trx, event: MembershipEnded, services: PlatformServices): Promise<void>;
}

export const membershipEndedPoint = createExtensionPoint<MembershipEndedExtension>(
  'voisins-vigilants.membership-ended',
);

export function createMembershipEnded(): MembershipEndedExtension {
  const listeners: MembershipEndedListener[] = [];
  return {
    listen: (l) => void listeners.push(l),
    async emit(trx, event, services) {
      for (const listener of listeners) await listener(trx, event, services);
    },
  };
}

/** Tells this instance's listeners (found through `services`, which belong to the instance). */
export async function emitMembershipEnded(
  trx: Trx,
  event: MembershipEnded,
  services: PlatformServices,
): Promise<void> {
  await services.get(membershipEndedPoint).emit(trx, event, services);
}
