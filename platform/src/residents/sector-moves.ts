// When the map changes (a sector redrawn or retired, an address moved by a BAN
// re-import), the residents of the addresses concerned follow their address to
// its new community, in the same transaction, and each of them is told.
import type { Knex } from 'knex';
import { currentTenant } from '../db/index.js';
import { storeInApp } from '../notifications/index.js';
import type { AddressSectorChange } from '../geo/index.js';
import type { ResidentsHooks } from './hooks.js';
import { sectorMovedText } from './messages.js';

export async function residentsFollowTheirAddress(
  trx: Knex.Transaction,
  changes: AddressSectorChange[],
  hooks: ResidentsHooks,
): Promise<void> {
  const tenantId = await currentTenant(trx);
  if (!tenantId || changes.length === 0) return;
  const to = new Map(changes.map((c) => [c.addressId, c.to]));
  const moved = await trx('residences as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .whereIn('r.address_id', [...to.keys()])
    .whereIn('r.status', ['draft', 'pending', 'active'])
    .select('r.id', 'r.account_id', 'r.address_id', 'r.status', 'r.sector_id', 'a.locale');
  if (moved.length === 0) return;
  const names = new Map<string, string>();
  const sectorIds = [...new Set(changes.map((c) => c.to).filter((s): s is string => !!s))];
  if (sectorIds.length)
    for (const s of await trx('sectors').whereIn('id', sectorIds).select('id', 'name'))
      names.set(s.id, s.name);
  for (const r of moved as Array<{
    id: string;
    account_id: string;
    address_id: string;
    status: string;
    sector_id: string | null;
    locale: string;
  }>) {
    const sectorId = to.get(r.address_id) ?? null;
    await trx('residences').where({ id: r.id }).update({ sector_id: sectorId, updated_at: new Date() });
    if (r.status !== 'active') continue;
    if (r.sector_id && r.sector_id !== sectorId)
      await hooks.membershipEnded(trx, {
        tenantId,
        accountId: r.account_id,
        communityId: r.sector_id,
        reason: 'sector_changed',
      });
    const text = sectorMovedText(
      sectorId ? (names.get(sectorId) ?? null) : null,
      r.locale === 'en' ? 'en' : 'fr',
    );
    await storeInApp(trx, {
      tenantId,
      accountId: r.account_id,
      kind: 'community_changed',
      ...text,
      link: '/mon-adresse',
      meta: { residenceId: r.id, sectorId },
    });
  }
}
