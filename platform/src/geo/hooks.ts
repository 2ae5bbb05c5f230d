// The extension point through which other modules learn that addresses moved
// from one sector to another (a sector redrawn or retired, an address moved by
// a BAN re-import). The residents module listens to update memberships and to
// tell each resident; listeners run inside the transaction that made the change,
// so a membership never disagrees with the map. One set of listeners per
// instance, created by the geo module's register step.
import type { Knex } from 'knex';
import { createExtensionPoint, createServiceRef } from '../core/lifecycle.js';

export interface AddressSectorChange {
  addressId: string;
  from: string | null;
  to: string | null;
}

export type AddressesReassignedListener = (
  trx: Knex.Transaction,
  changes: AddressSectorChange[],
) => Promise<void>;

/** What the geo functions that move addresses are given: the instance's listeners. */
export interface GeoHooks {
  onAddressesReassigned: readonly AddressesReassignedListener[];
}

export interface AddressesReassignedExtension {
  /** Adds a listener; returns the function that removes it. */
  listen(listener: AddressesReassignedListener): () => void;
}

export const geoExtensions = {
  addressesReassigned: createExtensionPoint<AddressesReassignedExtension>('geo.addresses-reassigned'),
};

export const geoServices = {
  /** Pass to redrawSector, seedSectors, importAddressFile… so that listeners hear of the moves. */
  hooks: createServiceRef<GeoHooks>('geo.hooks'),
};

/** A fresh set of listeners and the extension point that fills it. */
export function createGeoHooks(): { hooks: GeoHooks; extension: AddressesReassignedExtension } {
  const listeners: AddressesReassignedListener[] = [];
  return {
    hooks: { onAddressesReassigned: listeners },
    extension: {
      listen(listener) {
        listeners.push(listener);
        return () => {
          const i = listeners.indexOf(listener);
          if (i >= 0) listeners.splice(i, 1);
        };
      },
    },
  };
}

/** No listener: for tools that move addresses where nothing else is installed (unit tests of geo). */
export const noGeoHooks: GeoHooks = Object.freeze({ onAddressesReassigned: Object.freeze([]) });

export async function emitAddressesReassigned(
  trx: Knex.Transaction,
  changes: AddressSectorChange[],
  hooks: GeoHooks,
): Promise<void> {
  if (changes.length === 0) return;
  for (const listener of hooks.onAddressesReassigned) await listener(trx, changes);
}
