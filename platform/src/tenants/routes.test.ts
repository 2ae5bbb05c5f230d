import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { createOperator } from '../identity/operators.js';
import { totpAt } from '../identity/totp.js';
import { withTenant } from '../db/tenant.js';
import { REPO_TENANTS, serrisSpec } from './testing/fixtures.js';

let ctx: TestContext;
let headers: Record<string, string>;
let operatorId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  const op = await createOperator(ctx.operatorDb, ctx.config, {
    email: 'ops@vigie.test',
    password: 'operator password 1',
    displayName: 'Ops',
  });
  operatorId = op.id;
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/operator/login',
    payload: {
      email: 'ops@vigie.test',
      password: 'operator password 1',
      totp: totpAt(op.totpSecret, Date.now()),
    },
  });
  const cookie = res.cookies.find((c) => c.name === 'vigie_operator')!;
  headers = { cookie: `vigie_operator=${cookie.value}`, 'x-csrf-token': res.json().csrfToken };
});
afterAll(async () => ctx?.close());

const logo = `data:image/svg+xml;base64,${readFileSync(path.join(REPO_TENANTS, 'serris', 'logo.svg')).toString('base64')}`;
const body = () => ({
  ...serrisSpec(),
  branding: { ...(serrisSpec().branding as object), logo },
  status: 'active',
});
const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('operator API /operator/communes', () => {
  it('is closed to anyone without an operator session', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/operator/communes' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: '/operator/communes',
      headers: { cookie: headers.cookie! },
      payload: body(),
    });
    expect(noCsrf.json().code).toBe('CSRF_TOKEN_INVALID');
  });

  it('creates a commune with the same checks as the YAML, every problem at once', async () => {
    const bad = await call('POST', '/operator/communes', {
      ...body(),
      inseeCode: '77999',
      extra: true,
      branding: { ...body().branding, primaryColor: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('TENANT_SPEC_INVALID');
    expect(bad.json().details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['/extra', '/branding/primaryColor']),
    );
    const wrongCp = await call('POST', '/operator/communes', { ...body(), postalCodes: ['77000'] });
    expect(wrongCp.json().details.issues).toEqual([
      {
        path: '/postalCodes/0',
        message: "le code postal 77000 n'appartient pas à Serris (codes postaux : 77700)",
      },
    ]);

    const dry = await call('POST', '/operator/communes?dryRun=true', body());
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ slug: 'serris', action: 'create', applied: false });
    expect(await ctx.operatorDb('tenants').where({ slug: 'serris' }).first()).toBeUndefined();

    const created = await call('POST', '/operator/communes', body());
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      slug: 'serris',
      action: 'create',
      applied: true,
      firstAdmin: 'invited',
    });
    const again = await call('POST', '/operator/communes', body());
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('TENANT_EXISTS');

    const list = await call('GET', '/operator/communes');
    expect(list.json()).toEqual([
      expect.objectContaining({
        slug: 'serris',
        name: 'Serris',
        inseeCode: '77449',
        status: 'active',
        plugins: [],
      }),
    ]);
  });

  it('suspends and reactivates; the portal follows at once', async () => {
    const s = await call('POST', '/operator/communes/serris/suspend', { reason: 'fin de contrat' });
    expect(s.json()).toEqual({
      slug: 'serris',
      status: 'suspended',
      previousStatus: 'active',
      changed: true,
    });
    const tenant = await ctx.app.tenants.resolve('serris.localhost');
    expect(tenant.kind === 'tenant' && tenant.tenant.status).toBe('suspended');
    const r = await call('POST', '/operator/communes/serris/reactivate', {});
    expect(r.json()).toMatchObject({ status: 'active', changed: true });
    expect((await call('POST', '/operator/communes/nowhere/suspend', {})).json().code).toBe(
      'TENANT_NOT_FOUND',
    );

    const audit = await ctx
      .operatorDb('operator_audit_log')
      .whereIn('action', ['tenant.suspended', 'tenant.reactivated'])
      .orderBy('id')
      .select('action', 'operator_id');
    expect(audit).toEqual([
      { action: 'tenant.suspended', operator_id: operatorId },
      { action: 'tenant.reactivated', operator_id: operatorId },
    ]);
  });

  it('enables and disables plugins with their settings and dependency rules', async () => {
    const refused = await call('PUT', '/operator/communes/serris/plugins/test-dependent', {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('PLUGIN_DEPENDENCY_DISABLED');
    const invalid = await call('PUT', '/operator/communes/serris/plugins/test-base', {
      settings: { radiusMeters: 'far' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      code: 'PLUGIN_SETTINGS_INVALID',
      details: { issues: [expect.objectContaining({ path: '/radiusMeters' })] },
    });
    expect((await call('PUT', '/operator/communes/serris/plugins/nope', {})).json().code).toBe(
      'PLUGIN_UNKNOWN',
    );

    const on = await call('PUT', '/operator/communes/serris/plugins/test-base', {
      settings: { radiusMeters: 900 },
    });
    expect(on.json()).toEqual({
      pluginId: 'test-base',
      changed: true,
      state: { enabled: true, settings: { radiusMeters: 900 } },
    });
    expect((await call('PUT', '/operator/communes/serris/plugins/test-dependent', {})).statusCode).toBe(200);
    const blocked = await call('DELETE', '/operator/communes/serris/plugins/test-base');
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('PLUGIN_REQUIRED_BY_ENABLED');
    expect((await call('DELETE', '/operator/communes/serris/plugins/test-dependent')).json().changed).toBe(
      true,
    );

    const tenant = await ctx.app.tenants.resolve('serris.localhost');
    expect(tenant.kind === 'tenant' && [...tenant.tenant.plugins.keys()]).toEqual(['test-base']);
  });

  it('invites a mairie admin once', async () => {
    const first = await call('POST', '/operator/communes/serris/admin-invitations', {
      email: 'DGS@serris.example',
    });
    expect(first.json()).toEqual({ outcome: 'invited' });
    expect(
      (
        await call('POST', '/operator/communes/serris/admin-invitations', { email: 'dgs@serris.example' })
      ).json(),
    ).toEqual({ outcome: 'exists' });
    const tenantId = (await ctx.operatorDb('tenants').where({ slug: 'serris' }).first('id')).id as string;
    const roles = await withTenant(ctx.db, tenantId, (trx) =>
      trx('accounts')
        .join('role_assignments', 'role_assignments.account_id', 'accounts.id')
        .where('accounts.email', 'dgs@serris.example')
        .pluck('role'),
    );
    expect(roles).toEqual(['mairie_admin']);
    expect(
      (await call('POST', '/operator/communes/serris/admin-invitations', { email: 'not-an-email' })).json()
        .code,
    ).toBe('VALIDATION_FAILED');
  });

  it('is documented in the OpenAPI description', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/operator/communes',
        '/operator/communes/{slug}/suspend',
        '/operator/communes/{slug}/reactivate',
        '/operator/communes/{slug}/plugins/{pluginId}',
        '/operator/communes/{slug}/admin-invitations',
      ]),
    );
    expect(
      doc.paths['/operator/communes'].post.requestBody.content['application/json'].schema.properties
        .inseeCode,
    ).toBeDefined();
  });
});
