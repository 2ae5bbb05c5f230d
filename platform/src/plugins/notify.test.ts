import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  createTenant,
  createTestAccount,
  createTestContext,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';

let ctx: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx.operatorDb);
});
afterAll(async () => ctx?.close());

async function inbox(accountId: string) {
  return withTenant(ctx.db, tenant.id, (trx) =>
    trx('in_app_notifications').where({ account_id: accountId }).select('kind', 'title', 'body', 'link'),
  );
}

describe('services.notify', () => {
  it('stores each recipient the notice in their language, French unless the account chose English', async () => {
    const fr = await createTestAccount(ctx.db, tenant.id);
    const en = await createTestAccount(ctx.db, tenant.id);
    await withTenant(ctx.db, tenant.id, (trx) =>
      trx('accounts').where({ id: en.id }).update({ locale: 'en' }),
    );
    const notice = {
      tenantId: tenant.id,
      accountIds: [fr.id, en.id, en.id],
      kind: 'test.hello',
      title: 'Bienvenue',
      body: 'Votre communauté vous accueille.',
      en: { title: 'Welcome', body: 'Your community welcomes you.' },
      link: '/communaute',
      dedupeKey: 'hello-1',
    };
    await withTenant(ctx.db, tenant.id, (trx) => ctx.app.services.notify(trx, notice));
    // A retried activity sends the same key again: nothing is stored twice.
    await withTenant(ctx.db, tenant.id, (trx) => ctx.app.services.notify(trx, notice));

    expect(await inbox(fr.id)).toEqual([
      {
        kind: 'test.hello',
        title: 'Bienvenue',
        body: 'Votre communauté vous accueille.',
        link: '/communaute',
      },
    ]);
    expect(await inbox(en.id)).toEqual([
      { kind: 'test.hello', title: 'Welcome', body: 'Your community welcomes you.', link: '/communaute' },
    ]);

    // Without an English version, English-speaking accounts read the French one.
    await withTenant(ctx.db, tenant.id, (trx) =>
      ctx.app.services.notify(trx, {
        tenantId: tenant.id,
        accountIds: [en.id],
        kind: 'test.fr_only',
        title: 'Rappel',
        body: 'Réunion ce soir.',
      }),
    );
    expect((await inbox(en.id)).find((n) => n.kind === 'test.fr_only')).toMatchObject({
      title: 'Rappel',
      body: 'Réunion ce soir.',
    });
  });
});
