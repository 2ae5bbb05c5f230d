// Which sector each address belongs to. Recomputed set-based in SQL whenever
// sectors or addresses change, for the addresses that may be affected only.
import type { Knex } from 'knex';
import { E6, type BBox } from './geometry.js';
import { emitAddressesReassigned, geoHooks, type AddressSectorChange, type GeoHooks } from './hooks.js';

/**
 * Reassigns the addresses inside `scope` (every address of the tenant when
 * omitted) to the sector that contains them, and returns who moved.
 *
 * When sectors overlap (a residence drawn inside its quartier, saved with
 * confirmation), the smallest one wins: it is the most specific community.
 * Under row-level security the geometric operators cannot drive an index (they
 * are not LEAKPROOF); the address range on (tenant_id, lon) can, and the
 * tenant's sector parts are few (tens, a few hundred at most).
 */
export async function reassignAddresses(trx: Knex.Transaction, scope?: BBox[], hooks: GeoHooks = geoHooks): Promise<AddressSectorChange[]> {
  const bindings: number[] = [];
  let where = 'true';
  if (scope) {
    if (scope.length === 0) return [];
    where = scope
      .map((b) => {
        bindings.push(b.minX, b.maxX, b.minY, b.maxY);
        return '(a.lon between ? and ? and a.lat between ? and ?)';
      })
      .join(' or ');
  }
  const res = await trx.raw<{ rows: Array<{ id: string; old: string | null; new: string | null }> }>(
    `with candidates as (
       select a.id, a.sector_id, point(a.lon * ${E6}, a.lat * ${E6}) as pt from addresses a where ${where}
     ),
     best as (
       select distinct on (c.id) c.id, c.sector_id as old, sp.sector_id as new
       from candidates c
       left join sector_parts sp
         on sp.bbox_e6 @> c.pt
        and sp.ring_e6 @> c.pt
        and not exists (select 1 from unnest(sp.holes_e6) h where h @> c.pt)
       order by c.id, sp.area_m2 asc nulls last, sp.sector_id
     )
     update addresses a set sector_id = b.new, updated_at = now()
     from best b
     where a.id = b.id and a.sector_id is distinct from b.new
     returning a.id, b.old, b.new`,
    bindings,
  );
  const changes = res.rows.map((r) => ({ addressId: r.id, from: r.old, to: r.new }));
  await emitAddressesReassigned(trx, changes, hooks);
  return changes;
}
