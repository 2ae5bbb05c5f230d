import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestAccount,
  createTestContext,
  Browser,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';

let ctx: TestContext;
let withPlugin: TestTenant;
let without: TestTenant;
let suspended: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  withPlugin = await createTenant(ctx.operatorDb, {
    slug: 'gate-on',
    plugins: { 'test-gated': { greeting: 'salut' } },
  });
  without = await createTenant(ctx.operatorDb, { slug: 'gate-off' });
  suspended = await createTenant(ctx.operatorDb, {
    slug: 'gate-susp',
    status: 'suspended',
    plugins: { 'test-gated': {} },
  });
});
afterAll(async () => ctx?.close());

const INTROSPECT =
  '{ __schema { queryType { fields { name } } mutationType { fields { name } } } t: __type(name: "GatedItem") { name } }';

describe('per-tenant plugin gating', () => {
  it('serves the plugin to a commune that enabled it', async () => {
    const acc = await createTestAccount(ctx.db, withPlugin.id);
    const b = new Browser(ctx.app, withPlugin.host);
    await b.login(acc.email);
    await b.ok('mutation { addGatedItem(label: "one") { id } }');
    expect(await b.ok('{ gatedItems { label } }')).toEqual({ gatedItems: [{ label: 'one' }] });
    const schema = await b.ok<{
      __schema: { queryType: { fields: Array<{ name: string }> } };
      t: { name: string } | null;
    }>(INTROSPECT);
    expect(schema.__schema.queryType.fields.map((f) => f.name)).toContain('gatedItems');
    expect(schema.t).toEqual({ name: 'GatedItem' });
    const ping = await b.rest('GET', '/p/test-gated/ping');
    expect(ping.json()).toEqual({ pong: true, tenant: 'gate-on' });
  });

  it('makes the plugin invisible and unusable for a commune without it', async () => {
    const acc = await createTestAccount(ctx.db, without.id);
    const b = new Browser(ctx.app, without.host);
    await b.login(acc.email);
    const q = await b.gql('{ gatedItems { label } tenant { slug } }');
    expect(q.errors?.[0]?.extensions?.code).toBe('PLUGIN_DISABLED');
    expect(q.data).toMatchObject({ tenant: { slug: 'gate-off' } });
    const m = await b.gql('mutation { addGatedItem(label: "x") { id } }');
    expect(m.errors?.[0]?.extensions?.code).toBe('PLUGIN_DISABLED');
    const schema = await b.ok<{
      __schema: {
        queryType: { fields: Array<{ name: string }> };
        mutationType: { fields: Array<{ name: string }> };
      };
      t: unknown;
    }>(INTROSPECT);
    expect(schema.__schema.queryType.fields.map((f) => f.name)).not.toContain('gatedItems');
    expect(schema.__schema.mutationType.fields.map((f) => f.name)).not.toContain('addGatedItem');
    expect(schema.t).toBeNull();
    const ping = await b.rest('GET', '/p/test-gated/ping');
    expect(ping.statusCode).toBe(404);
    expect(ping.json().code).toBe('ROUTE_NOT_FOUND');
    const count = await ctx.ownerDb.transaction(async (trx) => {
      await trx.raw("select set_config('app.tenant_id', ?, true)", [without.id]);
      return trx('test_gated_items').count('* as n').first();
    });
    expect(count?.n).toBe(0);
  });

  it('switches within seconds when an operator enables the plugin', async () => {
    const t = await createTenant(ctx.operatorDb, { slug: 'gate-late' });
    const b = new Browser(ctx.app, t.host);
    expect((await b.rest('GET', '/p/test-gated/ping')).statusCode).toBe(404);
    await ctx.operatorDb.transaction(async (trx) => {
      await trx.raw("select set_config('app.tenant_id', ?, true)", [t.id]);
      await trx('tenant_plugins').insert({ tenant_id: t.id, plugin_id: 'test-gated', enabled: true });
    });
    ctx.app.tenants.invalidate();
    expect((await b.rest('GET', '/p/test-gated/ping')).statusCode).toBe(200);
  });
});

describe('host resolution and suspension', () => {
  it('answers an unknown commune host with 404 TENANT_NOT_FOUND', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { host: 'nowhere.localhost:3000', 'content-type': 'application/json' },
      payload: { query: '{ version }' },
    });
    expect(res.statusCode).toBe(404);
    // GraphQL answers in GraphQL's shape, with the catalogue's code.
    expect(res.json().errors[0].extensions.code).toBe('TENANT_NOT_FOUND');
    const rest = await ctx.app.inject({ url: '/p/test-gated/ping', headers: { host: 'nowhere.localhost' } });
    expect(rest.statusCode).toBe(404);
    expect(rest.json().code).toBe('TENANT_NOT_FOUND');
  });

  it('answers a browser opening a page of an unknown host with a page that says so, in its language', async () => {
    const fr = await ctx.app.inject({
      url: '/alertes',
      headers: { host: 'nowhere.localhost', accept: 'text/html' },
    });
    expect(fr.statusCode).toBe(404);
    expect(fr.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(fr.headers['content-security-policy']).toContain("default-src 'self'");
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain('<h1>Aucune commune à cette adresse</h1>');
    const en = await ctx.app.inject({
      url: '/',
      headers: { host: 'nowhere.localhost', accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('<h1>No commune at this address</h1>');
  });

  it('keeps a suspended commune read-only with a banner, while login still works', async () => {
    const acc = await createTestAccount(ctx.db, suspended.id);
    const b = new Browser(ctx.app, suspended.host);
    await b.login(acc.email);
    const t = await b.ok<{ tenant: { status: string; banner: string } }>('{ tenant { status banner } }');
    expect(t.tenant.status).toBe('suspended');
    expect(t.tenant.banner).toContain('lecture seule');
    expect(t.tenant.banner).toContain('17');
    const m = await b.gql('mutation { addGatedItem(label: "nope") { id } }');
    expect(m.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
    expect(await b.ok('{ gatedItems { label } }')).toEqual({ gatedItems: [] });
    const reg = await new Browser(ctx.app, suspended.host).gql(
      'mutation { register(input: { email: "n@example.test", password: "long enough pass", displayName: "Nouveau" }) { csrfToken } }',
    );
    expect(reg.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
  });
});
