import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestContext, type TestContext } from '../testing/index.js';
import { withTenant } from '../db/tenant.js';
import type { Actor } from './audit.js';
import { applyTenant, formatPlan, isNoChange, type ApplyDeps } from './apply.js';
import { applyFolders } from './folders.js';
import { geoServices } from '../geo/index.js';
import { installedGeoImports } from './geo-hook.js';
import { loadTenantFolder, tenantFolders } from './load.js';
import {
  magnySpec,
  REPO_TENANTS,
  serrisSpec,
  tempTenantsRoot,
  writeTenantFolder,
} from './testing/fixtures.js';

let ctx: TestContext;
let deps: ApplyDeps;
const actor: Actor = { type: 'system', source: 'test' };

beforeAll(async () => {
  ctx = await createTestContext();
  deps = { operatorDb: ctx.operatorDb, db: ctx.db, config: ctx.config, plugins: ctx.plugins };
});
afterAll(async () => ctx?.close());

const tenantRow = (slug: string) => ctx.operatorDb('tenants').where({ slug }).first();
const countRows = async (table: string) => Number((await ctx.operatorDb(table).count({ n: '*' }))[0]!.n);

function load(dir: string) {
  const r = loadTenantFolder(dir, { plugins: ctx.plugins });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.folder;
}

describe('vigie tenants apply', () => {
  it('dry run of a new commune prints the creation and writes nothing', async () => {
    const before = await countRows('tenants');
    const [outcome] = await applyFolders(deps, [`${REPO_TENANTS}/serris`], { dryRun: true, actor });
    if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
    expect(outcome.plan.action).toBe('create');
    expect(outcome.plan.applied).toBe(false);
    expect(outcome.plan.changes.map((c) => c.field)).toEqual(
      expect.arrayContaining([
        'name',
        'inseeCode',
        'postalCodes',
        'status',
        'branding.primaryColor',
        'settings.police.phone',
      ]),
    );
    expect(formatPlan(outcome.plan, true)).toContain('serris: would be created');
    expect(await countRows('tenants')).toBe(before);
    expect(await countRows('operator_audit_log')).toBe(0);
  });

  it('applies the shipped communes with their geography, invites their first admin, and reports no change on the second run', async () => {
    const dirs = tenantFolders(REPO_TENANTS);
    const withGeo = { ...deps, geo: installedGeoImports(ctx.vigie.get(geoServices.hooks)) };
    const first = await applyFolders(withGeo, dirs, { actor });
    expect(first.map((o) => (o.ok ? o.plan.action : o.issues))).toEqual(['create', 'create']);
    expect(first.map((o) => o.ok && o.plan.firstAdmin)).toEqual(['invited', 'invited']);

    const serris = await tenantRow('serris');
    expect(serris).toMatchObject({
      name: 'Serris',
      insee_code: '77449',
      postal_codes: ['77700'],
      status: 'active',
    });
    expect(serris.settings.police).toMatchObject({
      phone: '01 60 43 27 15',
      email: 'police.municipale@serris.fr',
    });
    expect(serris.branding.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect((await tenantRow('magny-le-hongre')).status).toBe('trial');

    // The portal serves the applied branding, the logo inline as a data: URL.
    const portal = await new Browser(ctx.app, 'serris.localhost').ok<{
      tenant: { branding: { displayName: string; primaryColor: string; logoUrl: string | null } };
    }>('{ tenant { branding { displayName primaryColor logoUrl } } }');
    expect(portal.tenant.branding).toEqual({
      displayName: 'Ville de Serris',
      primaryColor: '#1d4f91',
      logoUrl: serris.branding.logo,
    });
    expect(portal.tenant.branding.logoUrl).toMatch(/^data:image\/svg\+xml;base64,/);

    // The first mairie admin exists in its commune with the role, and got a link to choose a password.
    const admin = await withTenant(ctx.db, serris.id, async (trx) => {
      const a = await trx('accounts')
        .where({ email: 'premier.admin@serris.example' })
        .first('id', 'password_hash');
      const roles = await trx('role_assignments').where({ account_id: a.id }).pluck('role');
      const mail = await trx('dev_outbox').where({ recipient: 'premier.admin@serris.example' }).first('body');
      return { a, roles, mail };
    });
    expect(admin.a.password_hash).toBeNull();
    expect(admin.roles).toEqual(['mairie_admin']);
    expect(admin.mail.body).toContain('http://serris.localhost:3000/nouveau-mot-de-passe?token=');
    expect(admin.mail.body).toContain('valable 7 jours');

    const audit = await ctx
      .operatorDb('operator_audit_log')
      .where({ tenant_id: serris.id })
      .orderBy('id')
      .pluck('action');
    expect(audit).toEqual(['tenant.created', 'tenant.admin_invited']);

    const serrisPlan = first.find((o) => o.ok && o.plan.slug === 'serris');
    expect(
      serrisPlan?.ok && serrisPlan.plan.geo.map((g) => [g.kind, g.outcome, g.changed === g.total]),
    ).toEqual([
      ['addresses', 'imported', true],
      ['sectors', 'imported', true],
    ]);
    const addresses = await withTenant(ctx.db, serris.id, (trx) => trx('addresses').count({ n: '*' }));
    expect(addresses[0]!.n).toBeGreaterThan(1000);

    for (const dryRun of [true, false]) {
      const second = await applyFolders(withGeo, dirs, { actor, dryRun });
      for (const o of second) {
        if (!o.ok) throw new Error(JSON.stringify(o));
        expect(isNoChange(o.plan)).toBe(true);
        expect(formatPlan(o.plan, dryRun)).toMatch(
          /: no change\n {2}= first mairie admin: already has its mairie admin\n {2}= addresses: unchanged \(0 of \d+ added or updated\)\n {2}= sectors: unchanged/,
        );
      }
    }
    expect(
      await ctx.operatorDb('operator_audit_log').where({ tenant_id: serris.id }).count({ n: '*' }),
    ).toEqual([{ n: 2 }]);

    // A dry run rehearses the import in a rolled-back transaction: it says what would change and writes nothing.
    const countAddresses = async () =>
      (await withTenant(ctx.db, serris.id, (trx) => trx('addresses').count({ n: '*' })))[0]!.n;
    await withTenant(ctx.ownerDb, serris.id, (trx) =>
      trx('addresses').whereIn('id', trx('addresses').select('id').limit(5)).delete(),
    );
    const afterDelete = await countAddresses();
    const [rehearsal] = await applyFolders(withGeo, [`${REPO_TENANTS}/serris`], { actor, dryRun: true });
    expect(rehearsal?.ok && rehearsal.plan.geo[0]).toMatchObject({
      kind: 'addresses',
      outcome: 'would change',
      changed: 5,
    });
    expect(await countAddresses()).toBe(afterDelete);
  }, 240_000);

  it('updates field by field, and a dry run of an update changes nothing', async () => {
    const root = tempTenantsRoot();
    const spec = {
      ...serrisSpec(),
      status: 'active',
      branding: { ...(serrisSpec().branding as object), primaryColor: '#112233' },
      domains: ['vigilance.serris.example'],
    };
    const dir = writeTenantFolder(root, spec);
    const dry = await applyTenant(deps, load(dir), { actor, dryRun: true });
    expect(dry.action).toBe('update');
    expect(dry.changes).toEqual(
      expect.arrayContaining([
        { field: 'branding.primaryColor', from: '#1d4f91', to: '#112233' },
        { field: 'domains', from: [], to: ['vigilance.serris.example'] },
      ]),
    );
    expect((await tenantRow('serris')).branding.primaryColor).toBe('#1d4f91');

    const applied = await applyTenant(deps, load(dir), { actor });
    expect(applied.applied).toBe(true);
    expect((await tenantRow('serris')).branding.primaryColor).toBe('#112233');
    expect(
      await ctx.operatorDb('tenant_domains').where({ domain: 'vigilance.serris.example' }).first('tenant_id'),
    ).toEqual({ tenant_id: applied.tenantId });
    expect((await applyTenant(deps, load(dir), { actor })).action).toBe('none');
  }, 120_000);

  it('refuses a domain already used by another commune, and an INSEE code already used', async () => {
    const root = tempTenantsRoot();
    const magny = writeTenantFolder(root, { ...magnySpec(), domains: ['vigilance.serris.example'] });
    await expect(applyTenant(deps, load(magny), { actor })).rejects.toMatchObject({
      code: 'TENANT_DOMAIN_TAKEN',
    });
    const twin = writeTenantFolder(root, { ...serrisSpec(), slug: 'serris-bis' });
    await expect(applyTenant(deps, load(twin), { actor })).rejects.toMatchObject({ code: 'TENANT_EXISTS' });
  });

  it('enables plugins from the file only when their dependencies end up enabled', async () => {
    const root = tempTenantsRoot();
    const onlyDependent = writeTenantFolder(root, {
      ...magnySpec(),
      status: 'trial',
      plugins: { 'test-dependent': {} },
    });
    await expect(applyTenant(deps, load(onlyDependent), { actor })).rejects.toMatchObject({
      code: 'PLUGIN_DEPENDENCY_DISABLED',
    });

    const both = writeTenantFolder(root, {
      ...magnySpec(),
      status: 'trial',
      plugins: { 'test-dependent': {}, 'test-base': { settings: { radiusMeters: 800 } } },
    });
    const plan = await applyTenant(deps, load(both), { actor });
    expect(plan.changes).toEqual(
      expect.arrayContaining([
        { field: 'plugins.test-base.enabled', from: undefined, to: true },
        { field: 'plugins.test-base.settings.radiusMeters', from: undefined, to: 800 },
      ]),
    );
    const rows = await withTenant(ctx.operatorDb, plan.tenantId!, (trx) =>
      trx('tenant_plugins')
        .whereLike('plugin_id', 'test-%')
        .orderBy('plugin_id')
        .select('plugin_id', 'enabled', 'settings'),
    );
    expect(rows).toEqual([
      { plugin_id: 'test-base', enabled: true, settings: { radiusMeters: 800 } },
      { plugin_id: 'test-dependent', enabled: true, settings: {} },
    ]);
  });

  it('never reactivates a suspended commune, and suspends one whose file says so', async () => {
    const magnyId = (await tenantRow('magny-le-hongre')).id;
    await ctx.operatorDb('tenants').where({ id: magnyId }).update({ status: 'suspended' });
    const root = tempTenantsRoot();
    const dir = writeTenantFolder(root, {
      ...magnySpec(),
      status: 'active',
      plugins: { 'test-dependent': {}, 'test-base': { settings: { radiusMeters: 800 } } },
    });
    const plan = await applyTenant(deps, load(dir), { actor });
    expect(plan.notes[0]).toContain('reste suspendue');
    expect((await tenantRow('magny-le-hongre')).status).toBe('suspended');
    await ctx.operatorDb('tenants').where({ id: magnyId }).update({ status: 'trial' });
  });

  it('leaves nothing behind when a write fails half-way', async () => {
    // A trigger makes the plugin insert fail after the tenant row and its domain were written.
    await ctx.ownerDb.raw(
      `create function fail_plugin_insert() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`,
    );
    await ctx.ownerDb.raw(
      `create trigger fail_plugin_insert before insert on tenant_plugins for each row execute function fail_plugin_insert()`,
    );
    try {
      const root = tempTenantsRoot();
      const dir = writeTenantFolder(root, {
        ...serrisSpec(),
        slug: 'chessy',
        name: 'Chessy',
        inseeCode: '77111',
        domains: ['vigilance.chessy.example'],
        plugins: { 'test-base': {} },
        firstAdmin: undefined,
      });
      await expect(applyTenant(deps, load(dir), { actor })).rejects.toThrow(/boom/);
      expect(await tenantRow('chessy')).toBeUndefined();
      expect(
        await ctx.operatorDb('tenant_domains').where({ domain: 'vigilance.chessy.example' }).first(),
      ).toBeUndefined();
      expect(
        await ctx.operatorDb('operator_audit_log').whereRaw("meta->>'slug' = 'chessy'").first(),
      ).toBeUndefined();
    } finally {
      await ctx.ownerDb.raw('drop trigger fail_plugin_insert on tenant_plugins');
      await ctx.ownerDb.raw('drop function fail_plugin_insert()');
    }
  });

  it('reports every broken folder without stopping the others', async () => {
    const root = tempTenantsRoot();
    writeTenantFolder(root, { ...serrisSpec(), inseeCode: '77999' });
    writeTenantFolder(root, magnySpec());
    const out = await applyFolders(deps, tenantFolders(root), { actor, dryRun: true });
    expect(out.map((o) => o.ok)).toEqual([true, false]);
    const bad = out[1]!;
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['/inseeCode']);
  });
});
