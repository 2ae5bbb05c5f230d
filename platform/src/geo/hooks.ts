// The extension point through which other modules learn that addresses moved
// from one sector to another (a sector redrawn or retired, an address moved by
// a BAN re-import). The residents module listens to update memberships and to
// tell each resident; listeners run inside the transaction that made the change,
// so a membership never disagrees with the map.
import type { Knex } from 'knex';

export interface AddressSectorChange {
  addressId: string;
  from: string | null;
  to: string | null;
}

export type AddressesReassignedListener = (
  trx: Knex.Transaction,
  changes: AddressSectorChange[],
) => Promise<void>;

export interface GeoHooks {
  onAddressesReassigned: AddressesReassignedListener[];
}

/** The listeners registered at boot by the composition root (and by tests that want them). */
export const geoHooks: GeoHooks = { onAddressesReassigned: [] };

/** Registers a listener; returns the function that removes it. */
export function onAddressesReassigned(
  listener: AddressesReassignedListener,
  hooks: GeoHooks = geoHooks,
): () => void {
  hooks.onAddressesReassigned.push(listener);
  return () => {
    const i = hooks.onAddressesReassigned.indexOf(listener);
    if (i >= 0) hooks.onAddressesReassigned.splice(i, 1);
  };
}

export async function emitAddressesReassigned(
  trx: Knex.Transaction,
  changes: AddressSectorChange[],
  hooks: GeoHooks = geoHooks,
): Promise<void> {
  if (changes.length === 0) return;
  for (const listener of hooks.onAddressesReassigned) await listener(trx, changes);
}
