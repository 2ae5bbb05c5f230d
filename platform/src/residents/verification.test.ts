import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_VERIFICATION_KIND, type AddressVerificationResult } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { createTestContext, type TestContext } from '../testing/index.js';
import {
  filesOnDisk,
  JPEG,
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

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  c = await setupCommune(ctx);
});
afterAll(async () => ctx?.close());

type Res = {
  id: string;
  status: string;
  sectorName: string | null;
  decisionReason: string | null;
  decisionReasonLabel: string | null;
  isMove: boolean;
  reviewLevel: string | null;
};
const RES = 'id status sectorName decisionReason decisionReasonLabel isMove reviewLevel';
const DECIDE = `mutation($id: ID!, $d: VerificationDecision!, $r: String, $c: String) { decideVerification(residenceId: $id, decision: $d, reason: $r, comment: $c) { ${RES} } }`;

function handle(residenceId: string) {
  return ctx.temporal.client.workflow.getHandle(
    `${c.tenant.slug}/${ADDRESS_VERIFICATION_KIND}/${residenceId}`,
  );
}

async function submit(
  resident: Awaited<ReturnType<typeof registerResident>>,
  addressId: string,
  content = PDF,
): Promise<string> {
  const res = await uploadProof(resident.browser, { addressId }, { content });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { residence: { id: string } }).residence.id;
}

async function inbox(accountId: string, kind: string) {
  return withTenant(ctx.db, c.tenant.id, (trx) =>
    trx('in_app_notifications')
      .where({ account_id: accountId, kind })
      .orderBy('created_at')
      .select('title', 'body', 'meta'),
  );
}

describe('address verification on the real Temporal dev server', () => {
  it('approval: a resident registers, finds their address, uploads a proof, the referent approves, the resident joins Nord and the proof is gone', async () => {
    const resident = await registerResident(ctx, c.tenant);
    const found = await resident.browser.ok<{ searchAddresses: Array<{ id: string; label: string }> }>(
      'query { searchAddresses(query: "1 rue emile cl") { id label } }',
    );
    expect(found.searchAddresses[0]).toMatchObject({
      id: c.addresses.nord1,
      label: expect.stringContaining('1 Rue Émile Cloud'),
    });

    const residenceId = await submit(resident, found.searchAddresses[0]!.id);
    const stored = await filesOnDisk(ctx);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toMatch(/justificatif|\.pdf/);

    const wf = await handle(residenceId).describe();
    expect(wf.searchAttributes.TenantId).toEqual([c.tenant.id]);
    await waitFor(
      'routing to the referent',
      async () => (await inbox(c.referent.accountId, 'residence_review')).length === 1,
    );
    const queue = await c.referent.browser.ok<{
      verificationQueue: Array<{ residenceId: string; residentDisplayName: string; proof: { mime: string } }>;
    }>('{ verificationQueue { residenceId residentDisplayName proof { mime } } }');
    expect(queue.verificationQueue).toEqual([
      { residenceId, residentDisplayName: 'Camille Martin', proof: { mime: 'application/pdf' } },
    ]);

    // The referent reads the document through a short-lived link bound to their session.
    const link = await c.referent.browser.ok<{ proofLink: { url: string; expiresAt: string } }>(
      'mutation($id: ID!) { proofLink(residenceId: $id) { url expiresAt } }',
      { id: residenceId },
    );
    expect(new Date(link.proofLink.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const view = await c.referent.browser.rest('GET', link.proofLink.url);
    expect(view.statusCode).toBe(200);
    expect(view.rawPayload.equals(PDF)).toBe(true);
    expect(view.headers).toMatchObject({
      'content-type': 'application/pdf',
      'cache-control': 'no-store, private',
      'x-content-type-options': 'nosniff',
    });
    expect(view.headers['content-disposition']).toMatch(/^inline;/);
    expect((await resident.browser.rest('GET', link.proofLink.url)).json()).toMatchObject({
      code: 'PROOF_LINK_INVALID',
    });
    const tampered = link.proofLink.url.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await c.referent.browser.rest('GET', tampered)).statusCode).toBe(403);

    const decided = await c.referent.browser.ok<{ decideVerification: Res }>(DECIDE, {
      id: residenceId,
      d: 'APPROVE',
    });
    expect(decided.decideVerification).toMatchObject({ status: 'active', sectorName: 'Nord' });
    const result = (await handle(residenceId).result()) as AddressVerificationResult;
    expect(result).toEqual({ outcome: 'approved', reminded: false, escalated: false, proofDeleted: true });

    // The bytes are gone from the store; the row keeps only the fingerprint.
    expect(await filesOnDisk(ctx)).toEqual([]);
    const [proof] = await tenantRows(ctx.db, c.tenant.id, 'proof_documents', { residence_id: residenceId });
    expect(proof).toMatchObject({
      deleted_reason: 'approved',
      mime: 'application/pdf',
      size_bytes: PDF.length,
    });
    expect(proof.deleted_at).toBeInstanceOf(Date);
    expect((await c.referent.browser.rest('GET', link.proofLink.url)).json()).toMatchObject({
      code: 'PROOF_NOT_FOUND',
    });

    const mine = await resident.browser.ok<{ myResidence: Res }>(`{ myResidence { ${RES} } }`);
    expect(mine.myResidence).toMatchObject({ id: residenceId, status: 'active', sectorName: 'Nord' });
    expect(await inbox(resident.accountId, 'residence_verification')).toEqual([
      expect.objectContaining({ title: 'Votre adresse est confirmée' }),
    ]);
    const audits = await tenantRows(ctx.db, c.tenant.id, 'audit_log', {
      target_id: residenceId,
      action: 'residents.verification_approved',
    });
    expect(audits).toEqual([
      expect.objectContaining({ actor_type: 'account', actor_id: c.referent.accountId }),
    ]);
    expect(audits[0].meta).toMatchObject({ reviewerRole: 'referent', sectorId: c.sectors.nord });
    expect(JSON.stringify(audits[0].meta)).not.toMatch(/storage|PDF|sha/i);
    expect(
      (
        await tenantRows(ctx.db, c.tenant.id, 'audit_log', {
          action: 'residents.proof_viewed',
          actor_id: c.referent.accountId,
        })
      ).length,
    ).toBe(1);

    // A second decision, once the workflow has closed, gets the same clear answer.
    const again = await c.referent.browser.gql(DECIDE, { id: residenceId, d: 'REJECT', r: 'autre' });
    expect(again.errors?.[0]?.extensions?.code).toBe('ALREADY_DECIDED');
  });

  it('rejection: the reason comes from the list, is checked by the validator and is told to the resident', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Dominique Petit');
    const residenceId = await submit(resident, c.addresses.nord2, JPEG);
    expect(
      (await c.referent.browser.gql(DECIDE, { id: residenceId, d: 'REJECT' })).errors?.[0]?.extensions?.code,
    ).toBe('REJECTION_REASON_REQUIRED');
    expect(
      (await c.referent.browser.gql(DECIDE, { id: residenceId, d: 'REJECT', r: 'pas_aime' })).errors?.[0]
        ?.extensions?.code,
    ).toBe('REJECTION_REASON_UNKNOWN');
    const r = await c.referent.browser.ok<{ decideVerification: Res }>(DECIDE, {
      id: residenceId,
      d: 'REJECT',
      r: 'document_trop_ancien',
    });
    expect(r.decideVerification).toMatchObject({
      status: 'rejected',
      decisionReason: 'document_trop_ancien',
      decisionReasonLabel: 'Document trop ancien (plus de 3 mois)',
    });
    expect(((await handle(residenceId).result()) as AddressVerificationResult).outcome).toBe('rejected');
    expect(await filesOnDisk(ctx)).toEqual([]);
    const told = await inbox(resident.accountId, 'residence_verification');
    expect(told[0]).toMatchObject({
      title: 'Votre justificatif n’a pas été accepté',
      body: expect.stringContaining('Document trop ancien'),
    });
    const mail = await tenantRows(ctx.db, c.tenant.id, 'dev_outbox', {
      recipient: resident.email,
      channel: 'email',
      subject: 'Votre justificatif n’a pas été accepté',
    });
    expect(mail).toHaveLength(1);
    expect(mail[0].body).toContain('Document trop ancien');
  });

  it('two reviewers deciding at once: one decision wins, the validator refuses the other synchronously', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Alex Durand');
    const residenceId = await submit(resident, c.addresses.nord2);
    const [a, b] = await Promise.all([
      c.referent.browser.gql(DECIDE, { id: residenceId, d: 'APPROVE' }),
      c.mairie.browser.gql(DECIDE, { id: residenceId, d: 'REJECT', r: 'document_illisible' }),
    ]);
    const codes = [a, b].map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['ALREADY_DECIDED', 'OK']);
    await handle(residenceId).result();
    const [row] = await tenantRows(ctx.db, c.tenant.id, 'residences', { id: residenceId });
    expect(['active', 'rejected']).toContain(row.status);
    expect(await filesOnDisk(ctx)).toEqual([]);
  });

  it('routes a community without referent to the mairie; referents of other communities and the resident themself cannot decide', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Sacha Bernard');
    const residenceId = await submit(resident, c.addresses.sud1);
    await waitFor(
      'routing to the mairie',
      async () =>
        (await tenantRows(ctx.db, c.tenant.id, 'residences', { id: residenceId }))[0]?.review_level ===
        'mairie',
    );
    expect(
      (await inbox(c.mairie.accountId, 'residence_review')).some(
        (n) => (n.meta as { residenceId: string }).residenceId === residenceId,
      ),
    ).toBe(true);
    expect(
      (await c.referent.browser.gql(DECIDE, { id: residenceId, d: 'APPROVE' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await c.referent.browser.gql('mutation($id: ID!) { proofLink(residenceId: $id) { url } }', {
          id: residenceId,
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await resident.browser.gql(DECIDE, { id: residenceId, d: 'APPROVE' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const queue = await c.mairie.browser.ok<{
      verificationQueue: Array<{ residenceId: string; sectorName: string }>;
    }>('{ verificationQueue { residenceId sectorName } }');
    expect(queue.verificationQueue).toEqual(expect.arrayContaining([{ residenceId, sectorName: 'Sud' }]));
    const ok = await c.mairie.browser.ok<{ decideVerification: Res }>(DECIDE, {
      id: residenceId,
      d: 'APPROVE',
    });
    expect(ok.decideVerification).toMatchObject({ status: 'active', sectorName: 'Sud' });
    const [audit] = await tenantRows(ctx.db, c.tenant.id, 'audit_log', {
      target_id: residenceId,
      action: 'residents.verification_approved',
    });
    expect(audit.meta).toMatchObject({ reviewerRole: 'mairie_admin', reviewLevel: 'mairie' });
    await handle(residenceId).result();
  });

  it('refuses a referent deciding their own request (validator)', async () => {
    const own = await uploadProof(c.referent.browser, { addressId: c.addresses.nord1 }, { content: PDF });
    expect(own.statusCode).toBe(201);
    const residenceId = (own.json() as { residence: { id: string } }).residence.id;
    expect(
      (await c.referent.browser.gql(DECIDE, { id: residenceId, d: 'APPROVE' })).errors?.[0]?.extensions?.code,
    ).toBe('SELF_REVIEW_FORBIDDEN');
    // Nor is it in their queue.
    const q = await c.referent.browser.ok<{ verificationQueue: Array<{ residenceId: string }> }>(
      '{ verificationQueue { residenceId } }',
    );
    expect(q.verificationQueue.map((i) => i.residenceId)).not.toContain(residenceId);
    await c.referent.browser.ok('mutation { withdrawVerification { id } }');
    await handle(residenceId).result();
  });

  it('withdrawal by the resident deletes the document and ends the workflow', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Robin Leroy');
    const residenceId = await submit(resident, c.addresses.nord1);
    expect(await filesOnDisk(ctx)).toHaveLength(1);
    const w = await resident.browser.ok<{ withdrawVerification: Res }>(
      `mutation { withdrawVerification { ${RES} } }`,
    );
    expect(w.withdrawVerification).toMatchObject({ id: residenceId, status: 'withdrawn' });
    expect((await handle(residenceId).result()) as AddressVerificationResult).toMatchObject({
      outcome: 'withdrawn',
      proofDeleted: true,
    });
    expect(await filesOnDisk(ctx)).toEqual([]);
    const [proof] = await tenantRows(ctx.db, c.tenant.id, 'proof_documents', { residence_id: residenceId });
    expect(proof.deleted_reason).toBe('withdrawn');
    expect(
      (await c.referent.browser.gql(DECIDE, { id: residenceId, d: 'APPROVE' })).errors?.[0]?.extensions?.code,
    ).toBe('REQUEST_WITHDRAWN');
    expect(
      (await resident.browser.gql('mutation { withdrawVerification { id } }')).errors?.[0]?.extensions?.code,
    ).toBe('VERIFICATION_NOT_FOUND');
  });

  it('lets a resident withdraw a request whose workflow an operator terminated, and still deletes the document', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Eden Orphelin');
    const residenceId = await submit(resident, c.addresses.nord2);
    await handle(residenceId).terminate('operator test');
    expect(await filesOnDisk(ctx)).toHaveLength(1);
    const w = await resident.browser.ok<{ withdrawVerification: Res }>(
      `mutation { withdrawVerification { ${RES} } }`,
    );
    expect(w.withdrawVerification.status).toBe('withdrawn');
    expect(await filesOnDisk(ctx)).toEqual([]);
  });

  it('moving house: the new address is verified while the old home stays active, and replaces it on approval', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Noa Garnier');
    const first = await submit(resident, c.addresses.nord1);
    await c.referent.browser.ok(DECIDE, { id: first, d: 'APPROVE' });
    await handle(first).result();

    const move = await resident.browser.ok<{ moveHouse: { residence: Res; uploadUrl: string } }>(
      `mutation($a: ID) { moveHouse(addressId: $a) { uploadUrl residence { ${RES} } } }`,
      { a: c.addresses.sud1 },
    );
    expect(move.moveHouse).toMatchObject({
      uploadUrl: '/residents/proof',
      residence: { status: 'draft', isMove: true, sectorName: 'Sud' },
    });
    const draftId = move.moveHouse.residence.id;
    // Still a member of Nord meanwhile.
    expect((await tenantRows(ctx.db, c.tenant.id, 'residences', { id: first }))[0].status).toBe('active');
    const up = await uploadProof(resident.browser, { residenceId: draftId }, { content: PDF });
    expect(up.statusCode, up.body).toBe(201);
    expect(
      (await resident.browser.ok<{ myResidence: Res }>(`{ myResidence { ${RES} } }`)).myResidence,
    ).toMatchObject({ id: draftId, status: 'pending', isMove: true });
    await waitFor(
      'routing',
      async () =>
        (await tenantRows(ctx.db, c.tenant.id, 'residences', { id: draftId }))[0]?.review_level === 'mairie',
    );
    await c.mairie.browser.ok(DECIDE, { id: draftId, d: 'APPROVE' });
    await handle(draftId).result();
    const rows = await withTenant(ctx.db, c.tenant.id, (trx) =>
      trx('residences')
        .where({ account_id: resident.accountId })
        .orderBy('created_at')
        .select('id', 'status', 'sector_id', 'decision_reason'),
    );
    expect(rows).toEqual([
      { id: first, status: 'ended', sector_id: c.sectors.nord, decision_reason: 'moved' },
      { id: draftId, status: 'active', sector_id: c.sectors.sud, decision_reason: null },
    ]);
    expect(await filesOnDisk(ctx)).toEqual([]);
  });
});

describe('memberships follow the map', () => {
  it('moves the residents of a redrawn sector to the sector that now contains their address, and tells them', async () => {
    const { redrawSector } = await import('../geo/sectors.js');
    const { geoServices } = await import('../geo/hooks.js');
    const other = await setupCommune(ctx);
    const resident = await registerResident(ctx, other.tenant, 'Lou Carte');
    const up = await uploadProof(resident.browser, { addressId: other.addresses.nord1 }, { content: PDF });
    const residenceId = (up.json() as { residence: { id: string } }).residence.id;
    await other.referent.browser.ok(DECIDE, { id: residenceId, d: 'APPROVE' });
    await ctx.temporal.client.workflow
      .getHandle(`${other.tenant.slug}/${ADDRESS_VERIFICATION_KIND}/${residenceId}`)
      .result();

    // Nord shrinks to its northern half: 1 Rue Émile Cloud (48.86) falls out of it, into no sector.
    const north = {
      type: 'Polygon',
      coordinates: [
        [
          [2.785, 48.8605],
          [2.795, 48.8605],
          [2.795, 48.865],
          [2.785, 48.865],
          [2.785, 48.8605],
        ],
      ],
    };
    await withTenant(ctx.db, other.tenant.id, (trx) =>
      redrawSector(trx, other.tenant.id, other.sectors.nord, north, {
        hooks: ctx.vigie.get(geoServices.hooks),
      }),
    );
    const [row] = await tenantRows(ctx.db, other.tenant.id, 'residences', { id: residenceId });
    expect(row).toMatchObject({ status: 'active', sector_id: null });
    const told = await withTenant(ctx.db, other.tenant.id, (trx) =>
      trx('in_app_notifications')
        .where({ account_id: resident.accountId, kind: 'community_changed' })
        .select('title'),
    );
    expect(told).toEqual([{ title: 'Votre communauté a changé' }]);
  });
});
