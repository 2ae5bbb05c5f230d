// Closed alerts leave after the commune's retention period, as the app role
// running the nightly sweep; open ones and recent ones stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { createTenant, createTestContext, type TestContext, type TestTenant } from '../testing/index.js';
import { seedCategories } from './categories.js';
import { purgeClosedAlerts } from './retention.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const NOW = new Date('2026-11-27T03:17:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

async function alertIn(
  t: TestTenant,
  body: string,
  closedDaysAgo: number | null,
  createdDaysAgo = 500,
): Promise<string> {
  return withTenant(ctx.ownerDb, t.id, async (trx) => {
    await seedCategories(trx, t.id);
    const cat = await trx('alert_categories').where({ slug: 'incident' }).first('id');
    const closed =
      closedDaysAgo === null
        ? {}
        : { status: 'closed', closure: 'solved', closed_at: daysAgo(closedDaysAgo) };
    const [a] = await trx('alerts')
      .insert({
        tenant_id: t.id,
        author_kind: 'police',
        origin: 'web',
        category_id: cat.id,
        severity: 'info',
        body,
        target_kind: 'commune',
        created_at: daysAgo(createdDaysAgo),
        ...closed,
      })
      .returning('id');
    await trx('alert_status_history').insert({
      tenant_id: t.id,
      alert_id: a.id,
      status: 'received',
      at: daysAgo(createdDaysAgo),
    });
    return a.id as string;
  });
}

describe('retention of closed alerts', () => {
  it('deletes closed alerts past the commune’s period with their history, and keeps open and recent ones', async () => {
    const short = await createTenant(ctx.operatorDb);
    await ctx
      .operatorDb('tenants')
      .where({ id: short.id })
      .update({ settings: JSON.stringify({ retention: { alertsDays: 30 } }) });
    const byDefault = await createTenant(ctx.operatorDb);
    const gone = await alertIn(short, 'fermée il y a 40 jours', 40);
    const recent = await alertIn(short, 'fermée il y a 10 jours', 10);
    const open = await alertIn(short, 'jamais fermée', null);
    const keptByDefault = await alertIn(byDefault, 'fermée il y a 40 jours, défaut 365', 40);
    await alertIn(byDefault, 'fermée il y a 400 jours', 400);

    expect(await purgeClosedAlerts(ctx.db, NOW)).toBe(2);

    const left = async (t: TestTenant) =>
      (await withTenant(ctx.db, t.id, (trx) => trx('alerts').orderBy('body').pluck('id'))).sort();
    expect(await left(short)).toEqual([recent, open].sort());
    expect(await left(byDefault)).toEqual([keptByDefault]);
    const history = await withTenant(ctx.db, short.id, (trx) =>
      trx('alert_status_history').whereIn('alert_id', [gone]).count<{ n: string }[]>('* as n').first(),
    );
    expect(Number(history!.n)).toBe(0);
  });
});
