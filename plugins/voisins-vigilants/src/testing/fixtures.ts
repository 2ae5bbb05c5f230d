// Test fixtures: communities (sectors), BAN addresses and active residences,
// written with SQL in the commune's transaction, the way the geo and residents
// modules would leave them. Only test files and the test world use these.
import { withTenant, type Database } from '@vigie/platform/plugin';

let next = 0;

/** A square sector around (lon, lat); each call gets its own square, so sectors never overlap. */
export async function createCommunity(db: Database, tenantId: string, name: string): Promise<string> {
  const i = next++;
  const lon = 2.7 + (i % 50) * 0.01;
  const lat = 48.8 + Math.floor(i / 50) * 0.01;
  const ring = [
    [lon, lat],
    [lon + 0.005, lat],
    [lon + 0.005, lat + 0.005],
    [lon, lat + 0.005],
    [lon, lat],
  ];
  return withTenant(db, tenantId, async (trx) => {
    const [row] = await trx('sectors')
      .insert({
        tenant_id: tenantId,
        name,
        kind: 'quartier',
        geojson: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
        bbox: `((${lon},${lat}),(${lon + 0.005},${lat + 0.005}))`,
        area_m2: 200_000,
      })
      .returning('id');
    return row.id as string;
  });
}

/** BAN addresses of a community (numbers 1..n of one street). */
export async function addAddresses(
  db: Database,
  tenantId: string,
  communityId: string,
  street: string,
  n: number,
): Promise<string[]> {
  return withTenant(db, tenantId, async (trx) => {
    const rows = await trx('addresses')
      .insert(
        Array.from({ length: n }, (_, k) => ({
          tenant_id: tenantId,
          ban_id: `77700_${communityId.slice(0, 8)}_${street.length}_${k + 1}_${next++}`,
          numero: k + 1,
          nom_voie: street,
          code_postal: '77700',
          code_insee: '77449',
          nom_commune: 'Serris',
          lon: 2.78,
          lat: 48.85,
          street_key: `${street.toLowerCase()}|77700`,
          sector_id: communityId,
        })),
      )
      .returning('id');
    return rows.map((r: { id: string }) => r.id);
  });
}

/** An active residence: the account is now a verified member of the community. */
export async function makeResident(
  db: Database,
  tenantId: string,
  accountId: string,
  communityId: string,
  addressId: string | null = null,
): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('residences').insert({
      tenant_id: tenantId,
      account_id: accountId,
      sector_id: communityId,
      address_id: addressId,
      address_label: addressId ? null : 'Adresse validée à la main',
      status: 'active',
      source: addressId ? 'proof' : 'manual',
      activated_at: new Date(),
    }),
  );
}

/** Gives an account the referent role of a community (what the referent selection does). */
export async function makeReferent(
  db: Database,
  tenantId: string,
  accountId: string,
  communityId: string,
): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('role_assignments').insert({
      tenant_id: tenantId,
      account_id: accountId,
      role: 'referent',
      scope_id: communityId,
    }),
  );
}
