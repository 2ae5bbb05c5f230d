// The delivery report's order (issue 12), as the police read it: by
// recipient name in French order (accents and case aside), each person's
// channels together in the order they are tried, the on-duty contact last;
// page after page with a cursor that neither skips nor repeats a row, even
// while states change under it, with or without a filter; the CSV in the
// same order. The rows are written as the delivery workflow writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type Browser,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';

let ctx: TestContext;
let tenant: TestTenant;
let police: Browser;
let alertId: string;
/** Names as the report shows them, in the order it must show them. */
const ORDER = ['Alice', 'ancien membre', 'bruno', 'denise', 'Émile', 'François', 'Zoé', 'Zoé', null];

const REPORT = /* GraphQL */ `
  query ($id: ID!, $after: String, $limit: Int, $status: DeliveryStatus) {
    alertDeliveryReport(alertId: $id, after: $after, limit: $limit, status: $status) {
      items {
        id
        accountId
        recipientName
        channel
        status
      }
      nextCursor
    }
  }
`;
type Item = {
  id: string;
  accountId: string | null;
  recipientName: string | null;
  channel: string;
  status: string;
};

async function allPages(o: { limit: number; status?: string; between?: (page: number) => Promise<void> }) {
  const items: Item[] = [];
  let after: string | null = null;
  let page = 0;
  do {
    const r: { alertDeliveryReport: { items: Item[]; nextCursor: string | null } } = await police.ok(REPORT, {
      id: alertId,
      after,
      limit: o.limit,
      ...(o.status ? { status: o.status } : {}),
    });
    items.push(...r.alertDeliveryReport.items);
    after = r.alertDeliveryReport.nextCursor;
    await o.between?.(++page);
  } while (after);
  return items;
}

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx.operatorDb);
  ({ browser: police } = await staffBrowser(ctx.app, ctx.db, tenant, 'police_chief'));
  // Created in another order than the report's, so that neither creation nor ids give it.
  const names = ['Zoé', 'François', 'bruno', 'Émile', 'Zoé', 'Alice', 'denise', 'Gaston'];
  const accounts: Array<{ id: string }> = [];
  for (const displayName of names) accounts.push(await createTestAccount(ctx.db, tenant.id, { displayName }));
  alertId = await withTenant(ctx.ownerDb, tenant.id, async (trx) => {
    // Gaston erased his account: the report says « ancien membre ».
    await trx('accounts').where({ id: accounts[7]!.id }).update({ status: 'deleted' });
    const [category] = await trx('alert_categories')
      .insert({ tenant_id: tenant.id, slug: 'test-order', label_fr: 'Test', label_en: 'Test' })
      .returning('id');
    const [alert] = await trx('alerts')
      .insert({
        tenant_id: tenant.id,
        author_kind: 'police',
        origin: 'web',
        category_id: category.id,
        severity: 'important',
        body: 'Coupure d’eau',
        target_kind: 'commune',
      })
      .returning('id');
    const rows = [];
    for (const a of accounts)
      for (const channel of ['in_app', 'email', 'sms'])
        rows.push({ tenant_id: tenant.id, alert_id: alert.id, account_id: a.id, channel, status: 'pending' });
    // The on-duty contact has no account.
    for (const channel of ['email', 'sms'])
      rows.push({
        tenant_id: tenant.id,
        alert_id: alert.id,
        account_id: null,
        channel,
        purpose: 'escalation',
      });
    // Shuffled: insertion order is no order either.
    rows.sort(() => Math.random() - 0.5);
    await trx('deliveries').insert(rows);
    // Some failed SMS, for the filter.
    await trx('deliveries')
      .where({ alert_id: alert.id, channel: 'sms' })
      .whereIn('account_id', [accounts[0]!.id, accounts[3]!.id, accounts[6]!.id])
      .update({ status: 'failed', reason: 'INVALID_NUMBER' });
    return alert.id as string;
  });
});
afterAll(async () => ctx?.close());

/** The names of the report, one per recipient, in the order they come. */
const recipients = (items: Item[]) =>
  items.filter((it, i) => i === 0 || items[i - 1]!.accountId !== it.accountId).map((it) => it.recipientName);

describe('the delivery report', () => {
  it('goes by recipient name, then channel in the order they are tried, the on-duty contact last', async () => {
    const items = await allPages({ limit: 500 });
    expect(items).toHaveLength(26);
    expect(recipients(items)).toEqual(ORDER);
    // Each person's channels together: SMS, then email, then in-app.
    const alice = items.filter((it) => it.recipientName === 'Alice').map((it) => it.channel);
    expect(alice).toEqual(['sms', 'email', 'in_app']);
    expect(items.slice(-2).map((it) => [it.recipientName, it.channel])).toEqual([
      [null, 'sms'],
      [null, 'email'],
    ]);
    // The two Zoé stay apart (by account), each with her three channels.
    const zoe = items.filter((it) => it.recipientName === 'Zoé').map((it) => it.accountId);
    expect(zoe[0]).toBe(zoe[2]);
    expect(zoe[3]).toBe(zoe[5]);
    expect(zoe[0]).not.toBe(zoe[3]);
  });

  it('pages neither skip nor repeat a row, even while the delivery changes states under the cursor', async () => {
    const whole = await allPages({ limit: 500 });
    const paged = await allPages({
      limit: 4,
      // Between pages, rows of every page are delivered, as receipts come in during a delivery.
      between: (page) =>
        withTenant(ctx.ownerDb, tenant.id, (trx) =>
          trx('deliveries')
            .where({ alert_id: alertId, status: 'pending' })
            .whereIn(
              'id',
              whole.filter((_, i) => i % 7 === page % 7).map((it) => it.id),
            )
            .update({ status: 'delivered' }),
        ).then(() => undefined),
    });
    expect(paged.map((it) => it.id)).toEqual(whole.map((it) => it.id));
    expect(new Set(paged.map((it) => it.id)).size).toBe(26);
  });

  it('keeps the order within a filter, and refuses a cursor it did not give', async () => {
    const failed = await allPages({ limit: 1, status: 'failed' });
    expect(failed.map((it) => it.recipientName)).toEqual(['denise', 'Émile', 'Zoé']);
    expect(failed.every((it) => it.channel === 'sms')).toBe(true);
    // The former cursor, a delivery id, is no cursor of this order.
    const old = await police.gql(REPORT, { id: alertId, after: failed[0]!.id });
    expect(old.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { argument: 'after' },
    });
  });

  it('exports the CSV in the same order', async () => {
    const items = await allPages({ limit: 500 });
    const res = await police.rest('GET', `/alerts/${alertId}/deliveries.csv`);
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1);
    expect(lines.map((l) => l.split(';')[0])).toEqual(
      items.map((it) => it.recipientName ?? 'Contact de permanence'),
    );
    expect(lines.map((l) => l.split(';')[2])).toEqual(
      items.map((it) => ({ sms: 'SMS', email: 'Email', in_app: 'Application' })[it.channel]),
    );
  });
});
