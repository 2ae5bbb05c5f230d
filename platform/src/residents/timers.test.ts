// Reminder, escalation and expiry, with the commune's periods shortened to
// seconds through its settings (the workflow reads them at start).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_VERIFICATION_KIND, type AddressVerificationResult } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { createTestContext, type TestContext } from '../testing/index.js';
import {
  filesOnDisk,
  PDF,
  registerResident,
  setupCommune,
  tenantRows,
  uploadProof,
  waitFor,
  type TestCommune,
} from './testing/commune.js';

let ctx: TestContext;
let c: TestCommune;
const SECOND_IN_HOURS = 1 / 3600;
const SECOND_IN_DAYS = 1 / 86_400;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  c = await setupCommune(ctx, {
    verification: {
      remindAfterHours: 1 * SECOND_IN_HOURS,
      escalateAfterDays: 2 * SECOND_IN_DAYS,
      expireAfterDays: 4 * SECOND_IN_DAYS,
    },
  });
});
afterAll(async () => ctx?.close());

const DECIDE = 'mutation($id: ID!) { decideVerification(residenceId: $id, decision: APPROVE) { status } }';

async function inbox(accountId: string) {
  return withTenant(ctx.db, c.tenant.id, (trx) =>
    trx('in_app_notifications')
      .where({ account_id: accountId })
      .orderBy('created_at')
      .select('kind', 'title', 'meta'),
  );
}

async function submit(addressId: string) {
  const resident = await registerResident(ctx, c.tenant);
  const res = await uploadProof(resident.browser, { addressId }, { content: PDF });
  expect(res.statusCode, res.body).toBe(201);
  const residenceId = (res.json() as { residence: { id: string } }).residence.id;
  return {
    resident,
    residenceId,
    handle: ctx.temporal.client.workflow.getHandle(
      `${c.tenant.slug}/${ADDRESS_VERIFICATION_KIND}/${residenceId}`,
    ),
  };
}

describe('verification periods (shortened through the commune settings)', () => {
  it('reminds the referent, escalates to the mairie, then expires: the proof is deleted and the resident told; a late decision is refused', async () => {
    const { resident, residenceId, handle } = await submit(c.addresses.nord1);
    const started = Date.now();
    const result = (await handle.result()) as AddressVerificationResult;
    expect(result).toEqual({ outcome: 'expired', reminded: true, escalated: true, proofDeleted: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3500);

    const events = (await inbox(c.referent.accountId))
      .filter((n) => (n.meta as { residenceId?: string }).residenceId === residenceId)
      .map((n) => (n.meta as { event: string }).event);
    expect(events).toEqual(['new', 'remind']);
    const mairie = (await inbox(c.mairie.accountId)).filter(
      (n) => (n.meta as { residenceId?: string }).residenceId === residenceId,
    );
    expect(mairie.map((n) => n.title)).toEqual(['Demande transmise à la mairie']);

    const [row] = await tenantRows(ctx.db, c.tenant.id, 'residences', { id: residenceId });
    expect(row).toMatchObject({ status: 'expired', review_level: 'mairie' });
    expect(row.reminded_at).toBeInstanceOf(Date);
    expect(row.escalated_at).toBeInstanceOf(Date);
    expect(await filesOnDisk(ctx)).toEqual([]);
    expect(
      (await tenantRows(ctx.db, c.tenant.id, 'proof_documents', { residence_id: residenceId }))[0],
    ).toMatchObject({ deleted_reason: 'expired' });
    expect((await inbox(resident.accountId)).map((n) => n.title)).toContain('Votre demande a expiré');
    expect((await c.mairie.browser.gql(DECIDE, { id: residenceId })).errors?.[0]?.extensions?.code).toBe(
      'REQUEST_EXPIRED',
    );
    expect(
      (await tenantRows(ctx.db, c.tenant.id, 'audit_log', { target_id: residenceId })).map((a) => a.action),
    ).toEqual(
      expect.arrayContaining([
        'residents.proof_submitted',
        'residents.verification_escalated',
        'residents.verification_expired',
      ]),
    );
  });

  it('sends a request from a community without referent to the mairie from the start, and reminds the mairie', async () => {
    const { residenceId, handle } = await submit(c.addresses.sud1);
    // Decide after the reminder (1 s), before expiry (4 s). The workflow says
    // `reminded` once its remindReviewers activity has run, which on a busy
    // worker can be well after the 1 s timer: wait for it rather than sleep.
    const status = await waitFor(
      'the reminder to the mairie',
      async () => {
        const s = await handle.query<{ reminded: boolean; outcome: string | null }>('status');
        return (s.reminded || s.outcome !== null) && s;
      },
      10_000,
    );
    expect(status).toMatchObject({ reminded: true, outcome: null });
    expect(
      (await c.mairie.browser.ok<{ decideVerification: { status: string } }>(DECIDE, { id: residenceId }))
        .decideVerification.status,
    ).toBe('active');
    expect(((await handle.result()) as AddressVerificationResult).outcome).toBe('approved');
    const events = (await inbox(c.mairie.accountId))
      .filter((n) => (n.meta as { residenceId?: string }).residenceId === residenceId)
      .map((n) => (n.meta as { event: string }).event);
    expect(events.slice(0, 2)).toEqual(['new', 'remind']);
    expect(await filesOnDisk(ctx)).toEqual([]);
  });

  it('an address outside every sector (typed by hand) goes to the mairie', async () => {
    const resident = await registerResident(ctx, c.tenant);
    const res = await uploadProof(
      resident.browser,
      { addressLabel: 'Ferme du Moulin, lieu-dit Les Prés' },
      { content: PDF },
    );
    expect(res.statusCode, res.body).toBe(201);
    const residenceId = (res.json() as { residence: { id: string; sectorId: string | null } }).residence.id;
    const handle = ctx.temporal.client.workflow.getHandle(
      `${c.tenant.slug}/${ADDRESS_VERIFICATION_KIND}/${residenceId}`,
    );
    expect((await c.referent.browser.gql(DECIDE, { id: residenceId })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    await c.mairie.browser.ok(DECIDE, { id: residenceId });
    await handle.result();
    expect((await tenantRows(ctx.db, c.tenant.id, 'residences', { id: residenceId }))[0]).toMatchObject({
      status: 'active',
      sector_id: null,
      review_level: 'mairie',
      address_label: 'Ferme du Moulin, lieu-dit Les Prés',
    });
  });
});
