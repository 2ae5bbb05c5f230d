import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { withTenant } from '../db/tenant.js';
import type { Actor } from './audit.js';
import { applyTenant } from './apply.js';
import { disablePlugin, enabledPlugins, enablePlugin } from './plugins.js';
import { listTenants, reactivateTenant, suspendTenant } from './status.js';
import { assertValidTenantSpec } from './validate.js';
import { magnySpec, serrisSpec } from './testing/fixtures.js';

let ctx: TestContext;
let serrisId: string;
let magnyId: string;
const cli: Actor = { type: 'system', source: 'test' };

beforeAll(async () => {
  ctx = await createTestContext();
  const deps = { operatorDb: ctx.operatorDb, db: ctx.db, config: ctx.config, plugins: ctx.plugins };
  const noLogo = (s: Record<string, unknown>) => ({
    ...s,
    branding: { ...(s.branding as object), logo: undefined },
    firstAdmin: undefined,
  });
  for (const spec of [serrisSpec(), magnySpec()]) {
    await applyTenant(
      deps,
      { definition: assertValidTenantSpec(noLogo(spec), { plugins: ctx.plugins }) },
      { actor: cli },
    );
  }
  const idOf = async (slug: string) =>
    (await ctx.operatorDb('tenants').where({ slug }).first('id')).id as string;
  serrisId = await idOf('serris');
  magnyId = await idOf('magny-le-hongre');
});
afterAll(async () => ctx?.close());

const svc = () => ({ plugins: ctx.plugins, actor: cli });
const asOperator = <T>(
  tenantId: string,
  fn: (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>,
) => withTenant(ctx.operatorDb, tenantId, fn);

describe('plugin enablement', () => {
  it('refuses an unknown plugin', async () => {
    await expect(
      asOperator(serrisId, (trx) => enablePlugin(trx, svc(), serrisId, 'no-such-plugin')),
    ).rejects.toMatchObject({
      code: 'PLUGIN_UNKNOWN',
      details: { installed: expect.arrayContaining(['test-base', 'test-dependent']) },
    });
  });

  it('refuses to enable a plugin whose dependency is disabled', async () => {
    await expect(
      asOperator(serrisId, (trx) => enablePlugin(trx, svc(), serrisId, 'test-dependent')),
    ).rejects.toMatchObject({
      code: 'PLUGIN_DEPENDENCY_DISABLED',
      details: { problems: [{ plugin: 'test-dependent', missing: ['test-base'] }] },
    });
  });

  it('refuses invalid settings with the path of each problem, and applies defaults', async () => {
    await expect(
      asOperator(serrisId, (trx) =>
        enablePlugin(trx, svc(), serrisId, 'test-base', { radiusMeters: 10, colour: 'red' }),
      ),
    ).rejects.toMatchObject({
      code: 'PLUGIN_SETTINGS_INVALID',
      details: {
        plugin: 'test-base',
        issues: expect.arrayContaining([expect.objectContaining({ path: '/radiusMeters' })]),
      },
    });
    await expect(
      asOperator(serrisId, (trx) => enablePlugin(trx, svc(), serrisId, 'test-dependent', { anything: 1 })),
    ).rejects.toMatchObject({ code: 'PLUGIN_SETTINGS_INVALID' });
    const r = await asOperator(serrisId, (trx) =>
      enablePlugin(trx, svc(), serrisId, 'test-base', { label: 'Quartiers' }),
    );
    expect(r).toEqual({
      pluginId: 'test-base',
      changed: true,
      state: { enabled: true, settings: { radiusMeters: 500, label: 'Quartiers' } },
    });
  });

  it('enables the dependent plugin once its dependency is on, for this commune only', async () => {
    await asOperator(serrisId, (trx) => enablePlugin(trx, svc(), serrisId, 'test-dependent'));
    const serris = await withTenant(ctx.db, serrisId, (trx) => enabledPlugins(trx, serrisId));
    const magny = await withTenant(ctx.db, magnyId, (trx) => enabledPlugins(trx, magnyId));
    expect([...serris.keys()].sort()).toEqual(['test-base', 'test-dependent']);
    expect(serris.get('test-base')).toEqual({ radiusMeters: 500, label: 'Quartiers' });
    expect(magny.size).toBe(0);
    // Through the app role, RLS hides Serris's rows from Magny's context even without the filter.
    expect(await withTenant(ctx.db, magnyId, (trx) => trx('tenant_plugins').select('plugin_id'))).toEqual([]);
  });

  it('refuses to disable a plugin an enabled plugin depends on', async () => {
    await expect(
      asOperator(serrisId, (trx) => disablePlugin(trx, svc(), serrisId, 'test-base')),
    ).rejects.toMatchObject({
      code: 'PLUGIN_REQUIRED_BY_ENABLED',
      statusCode: 409,
      details: { plugin: 'test-base', requiredBy: ['test-dependent'] },
    });
  });

  it('disables in dependency order, keeps settings for later, and audits each switch', async () => {
    expect(
      (await asOperator(serrisId, (trx) => disablePlugin(trx, svc(), serrisId, 'test-dependent'))).changed,
    ).toBe(true);
    expect(
      (await asOperator(serrisId, (trx) => disablePlugin(trx, svc(), serrisId, 'test-base'))).changed,
    ).toBe(true);
    expect(
      (await asOperator(serrisId, (trx) => disablePlugin(trx, svc(), serrisId, 'test-base'))).changed,
    ).toBe(false);
    const back = await asOperator(serrisId, (trx) => enablePlugin(trx, svc(), serrisId, 'test-base'));
    expect(back.state.settings).toEqual({ radiusMeters: 500, label: 'Quartiers' });
    expect(
      (await asOperator(serrisId, (trx) => enablePlugin(trx, svc(), serrisId, 'test-base'))).changed,
    ).toBe(false);

    const ops = await ctx
      .operatorDb('operator_audit_log')
      .where({ tenant_id: serrisId })
      .whereLike('action', 'tenant.plugin%')
      .orderBy('id')
      .select('action', 'meta');
    expect(ops.map((o) => `${o.action} ${o.meta.plugin}`)).toEqual([
      'tenant.plugin_enabled test-base',
      'tenant.plugin_enabled test-dependent',
      'tenant.plugin_disabled test-dependent',
      'tenant.plugin_disabled test-base',
      'tenant.plugin_enabled test-base',
    ]);
    // The commune sees the same actions in its own audit log.
    const own = await withTenant(ctx.db, serrisId, (trx) =>
      trx('audit_log').whereLike('action', 'tenant.plugin%').count({ n: '*' }),
    );
    expect(own).toEqual([{ n: 5 }]);
  });

  it('lets a mairie admin switch a plugin through the app role, audited in the commune log only', async () => {
    const account = await withTenant(
      ctx.db,
      magnyId,
      async (trx) =>
        (
          await trx('accounts')
            .insert({ tenant_id: magnyId, email: 'maire@magny.example', display_name: 'Maire' })
            .returning('id')
        )[0]!.id as string,
    );
    const actor: Actor = { type: 'account', id: account };
    await withTenant(ctx.db, magnyId, (trx) =>
      enablePlugin(trx, { plugins: ctx.plugins, actor }, magnyId, 'test-base'),
    );
    const own = await withTenant(ctx.db, magnyId, (trx) =>
      trx('audit_log').where({ action: 'tenant.plugin_enabled' }).first('actor_type', 'actor_id'),
    );
    expect(own).toEqual({ actor_type: 'account', actor_id: account });
    expect(
      await ctx
        .operatorDb('operator_audit_log')
        .where({ tenant_id: magnyId, action: 'tenant.plugin_enabled' })
        .first(),
    ).toBeUndefined();
  });
});

describe('suspension', () => {
  it('suspends and reactivates to the previous status, auditing both in both logs', async () => {
    const op: Actor = { type: 'system', source: 'cli' };
    expect(await suspendTenant(ctx.operatorDb, 'magny-le-hongre', op, 'impayé')).toEqual({
      slug: 'magny-le-hongre',
      status: 'suspended',
      previousStatus: 'trial',
      changed: true,
    });
    expect((await suspendTenant(ctx.operatorDb, 'magny-le-hongre', op)).changed).toBe(false);
    expect((await ctx.operatorDb('tenants').where({ id: magnyId }).first('status')).status).toBe('suspended');

    expect(await reactivateTenant(ctx.operatorDb, 'magny-le-hongre', op)).toEqual({
      slug: 'magny-le-hongre',
      status: 'trial',
      previousStatus: 'suspended',
      changed: true,
    });
    expect((await reactivateTenant(ctx.operatorDb, 'magny-le-hongre', op)).changed).toBe(false);

    const ops = await ctx
      .operatorDb('operator_audit_log')
      .where({ tenant_id: magnyId })
      .whereIn('action', ['tenant.suspended', 'tenant.reactivated'])
      .orderBy('id')
      .select('action', 'meta', 'operator_id');
    expect(ops).toEqual([
      {
        action: 'tenant.suspended',
        meta: { previousStatus: 'trial', reason: 'impayé', source: 'cli' },
        operator_id: null,
      },
      { action: 'tenant.reactivated', meta: { status: 'trial', source: 'cli' }, operator_id: null },
    ]);
    const own = await withTenant(ctx.db, magnyId, (trx) =>
      trx('audit_log')
        .whereIn('action', ['tenant.suspended', 'tenant.reactivated'])
        .orderBy('id')
        .pluck('actor_type'),
    );
    expect(own).toEqual(['system', 'system']);
  });

  it('reactivates to an explicit status, and refuses an unknown commune', async () => {
    const op: Actor = { type: 'system', source: 'cli' };
    await suspendTenant(ctx.operatorDb, 'serris', op);
    expect((await reactivateTenant(ctx.operatorDb, 'serris', op, 'active')).status).toBe('active');
    await expect(suspendTenant(ctx.operatorDb, 'atlantis', op)).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
  });

  it('lists communes with their enabled plugins', async () => {
    const list = await listTenants(ctx.operatorDb);
    expect(list.map((t) => [t.slug, t.status, t.plugins])).toEqual([
      ['magny-le-hongre', 'trial', ['test-base']],
      ['serris', 'active', ['test-base']],
    ]);
  });
});
