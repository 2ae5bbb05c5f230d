// RGPD rights: the export of everything held about a resident, the erasure of
// an account (its rows, before and after), and the retention sweep.
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDRESS_VERIFICATION_KIND,
  RETENTION_SWEEP_WORKFLOW,
  type RetentionSweepResult,
} from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import {
  Browser,
  createTestAccount,
  createTestContext,
  uniqueId,
  type TestContext,
} from '../testing/index.js';
import {
  filesOnDisk,
  PDF,
  registerResident,
  setupCommune,
  tenantRows,
  uploadProof,
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

async function approvedResident(name: string) {
  const r = await registerResident(ctx, c.tenant, name);
  const up = await uploadProof(r.browser, { addressId: c.addresses.nord1 }, { content: PDF });
  const residenceId = (up.json() as { residence: { id: string } }).residence.id;
  await c.referent.browser.ok(
    'mutation($id: ID!) { decideVerification(residenceId: $id, decision: APPROVE) { status } }',
    { id: residenceId },
  );
  await ctx.temporal.client.workflow
    .getHandle(`${c.tenant.slug}/${ADDRESS_VERIFICATION_KIND}/${residenceId}`)
    .result();
  return { ...r, residenceId };
}

/** A browser's PushManager.subscribe(): a P-256 key and a 16-byte secret for a push service endpoint. */
async function subscribeDevice(b: Browser, label: string): Promise<void> {
  const ecdh = createECDH('prime256v1');
  await b.ok('mutation($i: PushSubscriptionInput!) { subscribePush(input: $i) { id } }', {
    i: {
      endpoint: `https://updates.push.example/wpush/v2/${randomUUID()}`,
      keys: {
        p256dh: ecdh.generateKeys().toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
      label,
    },
  });
}

async function count(table: string, where: Record<string, unknown>): Promise<number> {
  return withTenant(ctx.db, c.tenant.id, async (trx) =>
    Number((await trx(table).where(where).count('* as n').first())?.n),
  );
}

describe('RGPD: access', () => {
  it('exports everything held about the resident as JSON and a readable HTML summary, and audits it', async () => {
    const r = await approvedResident('Camille Export');
    await subscribeDevice(r.browser, 'Téléphone de Camille');
    const out = await r.browser.ok<{ exportMyData: { json: string; html: string } }>(
      'mutation { exportMyData { json html } }',
    );
    const data = JSON.parse(out.exportMyData.json);
    expect(data.account).toMatchObject({
      email: r.email,
      displayName: 'Camille Export',
      phone: '+33611223344',
    });
    expect(data.residences).toEqual([
      expect.objectContaining({
        id: r.residenceId,
        status: 'active',
        sectorName: 'Nord',
        addressLabel: expect.stringContaining('Rue Émile Cloud'),
      }),
    ]);
    expect(data.proofsOfAddress).toEqual([
      expect.objectContaining({ type: 'application/pdf', deletedBecause: 'approved' }),
    ]);
    expect(data.notifications.map((n: { title: string }) => n.title)).toContain(
      'Votre adresse est confirmée',
    );
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.pushDevices).toEqual([expect.objectContaining({ label: 'Téléphone de Camille' })]);
    expect(data.messagesSent.map((m: { subject: string | null }) => m.subject)).toContain(
      'Votre adresse est confirmée',
    );
    expect(data.activity.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['auth.registered', 'residents.proof_submitted']),
    );
    expect(JSON.stringify(data)).not.toMatch(/password_hash|token_hash|totp_secret|storage_key/);
    expect(out.exportMyData.html).toContain('<h1>Vos données personnelles</h1>');
    expect(out.exportMyData.html).toContain('Camille Export');
    expect(out.exportMyData.html).not.toContain('<script');

    const html = await r.browser.rest('GET', '/residents/me/export?format=html');
    expect(html.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store, private',
      'content-disposition': 'attachment; filename="vigie-mes-donnees.html"',
    });
    const json = await r.browser.rest('GET', '/residents/me/export?format=json');
    expect(json.json().account.email).toBe(r.email);
    expect(await count('audit_log', { actor_id: r.accountId, action: 'rgpd.exported' })).toBe(3);
    expect(
      (await new Browser(ctx.app, c.tenant.host).rest('GET', '/residents/me/export')).json(),
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('RGPD: erasure', () => {
  it('erases personal data and keeps the account row as "Ancien membre", so that posts stay attributed to it', async () => {
    const r = await approvedResident('Dominique Efface');
    // A post of theirs, in a table standing for the plugins' content (forum, alerts…).
    await ctx.ownerDb.raw(
      'create table if not exists test_posts (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, author_id uuid not null, body text not null)',
    );
    await ctx
      .ownerDb('test_posts')
      .insert({ tenant_id: c.tenant.id, author_id: r.accountId, body: 'Chat perdu rue Émile Cloud' });
    // And a new request in flight: its workflow must stop and its document go.
    const move = await r.browser.ok<{ moveHouse: { residence: { id: string } } }>(
      'mutation($a: ID) { moveHouse(addressId: $a) { residence { id } } }',
      { a: c.addresses.sud1 },
    );
    expect(
      (await uploadProof(r.browser, { residenceId: move.moveHouse.residence.id }, { content: PDF }))
        .statusCode,
    ).toBe(201);
    expect(await filesOnDisk(ctx)).toHaveLength(1);

    const before = await tenantRows(ctx.db, c.tenant.id, 'accounts', { id: r.accountId });
    expect(before[0]).toMatchObject({
      email: r.email,
      display_name: 'Dominique Efface',
      phone: '+33611223344',
      status: 'active',
    });
    expect(await count('residences', { account_id: r.accountId })).toBe(2);
    expect(await count('sessions', { account_id: r.accountId })).toBeGreaterThan(0);
    expect(await count('in_app_notifications', { account_id: r.accountId })).toBeGreaterThan(0);
    await subscribeDevice(r.browser, 'Ordinateur');
    expect(await count('push_subscriptions', { account_id: r.accountId })).toBe(1);
    expect(await count('dev_outbox', { recipient: r.email })).toBeGreaterThan(0);

    expect(
      (await r.browser.gql('mutation { deleteMyAccount(password: "pas le bon mot de passe") }')).errors?.[0]
        ?.extensions?.code,
    ).toBe('INVALID_CREDENTIALS');
    await r.browser.ok('mutation($p: String!) { deleteMyAccount(password: $p) }', { p: r.password });

    const [after] = await tenantRows(ctx.db, c.tenant.id, 'accounts', { id: r.accountId });
    expect(after).toMatchObject({
      id: r.accountId,
      display_name: 'Ancien membre',
      email: `ancien-membre-${r.accountId}@invalid`,
      phone: null,
      password_hash: null,
      totp_secret_enc: null,
      email_verified_at: null,
      last_login_at: null,
      status: 'deleted',
    });
    expect(after.deleted_at).toBeInstanceOf(Date);
    for (const table of [
      'residences',
      'sessions',
      'verification_tokens',
      'role_assignments',
      'in_app_notifications',
      'notification_preferences',
      'push_subscriptions',
    ]) {
      expect(await count(table, { account_id: r.accountId }), table).toBe(0);
    }
    expect(await count('dev_outbox', { recipient: r.email })).toBe(0);
    expect(await count('dev_outbox', { recipient: '+33611223344' })).toBe(0);
    expect(await filesOnDisk(ctx)).toEqual([]);
    // The post stays, and its author reads as "Ancien membre".
    const posts = await withTenant(ctx.ownerDb, c.tenant.id, (trx) =>
      trx('test_posts as p')
        .join('accounts as a', 'a.id', 'p.author_id')
        .where('p.author_id', r.accountId)
        .select('p.body', 'a.display_name'),
    );
    expect(posts).toEqual([{ body: 'Chat perdu rue Émile Cloud', display_name: 'Ancien membre' }]);
    // The audit trail keeps who did what, under the same (now anonymous) id.
    expect(await count('audit_log', { actor_id: r.accountId, action: 'rgpd.account_deleted' })).toBe(1);

    expect((await r.browser.ok<{ me: null }>('{ me { id } }')).me).toBeNull();
    const again = await new Browser(ctx.app, c.tenant.host).gql(
      'mutation($e: String!) { login(email: $e, password: "un mot de passe solide") { csrfToken } }',
      { e: r.email },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    // The email is free again for a new registration.
    const fresh = await new Browser(ctx.app, c.tenant.host, '10.200.0.1').gql(
      'mutation($i: RegisterInput!) { register(input: $i) { csrfToken } }',
      { i: { email: r.email, password: 'un autre mot de passe', displayName: 'Nouveau' } },
    );
    expect(fresh.errors).toBeUndefined();
  });
});

describe('RGPD: retention (per-commune periods, defaults)', () => {
  it('purges old proofs, old audit entries and anonymises inactive accounts, following each commune’s settings', async () => {
    const resident = await registerResident(ctx, c.tenant, 'Ancien Inactif');
    const pending = await uploadProof(resident.browser, { addressId: c.addresses.nord2 }, { content: PDF });
    expect(pending.statusCode).toBe(201);
    expect(await filesOnDisk(ctx)).toHaveLength(1);
    const staff = c.mairie.accountId;
    // Another commune keeps its audit log and its accounts ten years: they survive this sweep.
    const other = await setupCommune(ctx, {
      retention: { auditLogDays: 10 * 365, inactiveAccountDays: 10 * 365 },
    });
    const otherResident = await createTestAccount(ctx.db, other.tenant.id, {
      email: `${uniqueId('o')}@example.test`,
    });

    const asOf = new Date(Date.now() + (3 * 365 + 2) * 86_400_000);
    const result = await ctx.temporal.client.workflow.execute<
      (i: { asOf: string }) => Promise<RetentionSweepResult>
    >(RETENTION_SWEEP_WORKFLOW, {
      taskQueue: ctx.taskQueue,
      workflowId: `platform/retention-sweep/${uniqueId()}`,
      args: [{ asOf: asOf.toISOString() }],
    });
    expect(result['residents.proofs']).toBeGreaterThanOrEqual(1);
    expect(result['residents.audit_log']).toBeGreaterThan(0);
    expect(result['residents.inactive_accounts']).toBeGreaterThan(0);
    expect(await filesOnDisk(ctx)).toEqual([]);

    const [gone] = await tenantRows(ctx.db, c.tenant.id, 'accounts', { id: resident.accountId });
    expect(gone).toMatchObject({ status: 'deleted', display_name: 'Ancien membre', phone: null });
    // Staff accounts are the mairie's to close.
    expect((await tenantRows(ctx.db, c.tenant.id, 'accounts', { id: staff }))[0].status).toBe('active');
    // The other commune's longer periods held.
    expect((await tenantRows(ctx.db, other.tenant.id, 'accounts', { id: otherResident.id }))[0].status).toBe(
      'active',
    );
    expect((await tenantRows(ctx.db, other.tenant.id, 'audit_log')).length).toBeGreaterThan(0);
    const remaining = await tenantRows(ctx.db, c.tenant.id, 'audit_log');
    expect(
      remaining.every(
        (a) =>
          a.action === 'rgpd.inactive_account_anonymised' ||
          a.action === 'residents.proof_deleted' ||
          a.at > new Date(asOf.getTime() - 365 * 86_400_000),
      ),
    ).toBe(true);
  });
});
