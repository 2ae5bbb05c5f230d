import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe('server core', () => {
  it('answers /healthz and /readyz with the database and Temporal reachable', async () => {
    expect((await ctx.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: { status: 'ok' }, temporal: { status: 'ok' } },
    });
  });

  it('gives every response a request id, and keeps a well-formed one from the caller', async () => {
    const res = await ctx.app.inject({ url: '/healthz', headers: { 'x-request-id': 'req-abcdef123' } });
    expect(res.headers['x-request-id']).toBe('req-abcdef123');
    const forged = await ctx.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a stable code and no echo of the path', async () => {
    const res = await ctx.app.inject('/nope/<script>');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
    expect(res.body).not.toContain('script');
  });

  it('publishes an OpenAPI document for the REST routes', async () => {
    const doc = (await ctx.app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
  });

  it('serves GraphQL with codes in extensions', async () => {
    const ok = await ctx.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ version }' } });
    expect(ok.json()).toEqual({ data: { version: '0.1.0' } });
    const bad = await ctx.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ nope }' } });
    expect(bad.json().errors[0].extensions.code).toBe('VALIDATION_FAILED');
  });
});
