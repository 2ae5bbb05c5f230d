// Fastify's own refusals and REST input answer in the catalogue's shape:
// { code, message, details, requestId }, in the caller's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createTestContext, type TestContext, type TestTenant } from '../testing/index.js';

let ctx: TestContext;
let commune: TestTenant;
beforeAll(async () => {
  ctx = await createTestContext();
  commune = await createTenant(ctx.operatorDb);
});
afterAll(async () => ctx?.close());

function login(payload: string, contentType = 'application/json', headers: Record<string, string> = {}) {
  return ctx.app.inject({
    method: 'POST',
    url: '/operator/login',
    headers: { 'content-type': contentType, ...headers },
    payload,
  });
}

function expectShape(res: { json(): Record<string, unknown> }, code: string): Record<string, unknown> {
  const body = res.json();
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.requestId).toEqual(expect.any(String));
  expect(body).not.toHaveProperty('statusCode');
  expect(body).not.toHaveProperty('error');
  return body;
}

describe('Fastify errors in the catalogue shape', () => {
  it('answers a body that is not JSON with BAD_REQUEST, in French then in English', async () => {
    const fr = await login('{"email": ');
    expect(fr.statusCode).toBe(400);
    expect(expectShape(fr, 'BAD_REQUEST').message).toBe('La requête est invalide.');
    const en = await login('{"email": ', 'application/json', {
      'accept-language': 'en-GB,en;q=0.9,fr;q=0.5',
    });
    expect(expectShape(en, 'BAD_REQUEST').message).toBe('The request is invalid.');
  });

  it('answers an unsupported media type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await login('<login/>', 'application/xml');
    expect(res.statusCode).toBe(415);
    expectShape(res, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a URL parameter over the maximum length with 400 VALIDATION_FAILED', async () => {
    const res = await ctx.app.inject(`/residents/proof/${'a'.repeat(150)}/token`);
    expect(res.statusCode).toBe(400);
    expect(expectShape(res, 'VALIDATION_FAILED').details).toMatchObject({
      fastifyCode: 'FST_ERR_MAX_PARAM_LENGTH',
    });
  });

  it('answers a malformed id parameter with VALIDATION_FAILED naming it', async () => {
    const res = await ctx.app.inject({ url: '/alerts/photos/1470/token', headers: { host: commune.host } });
    expect(res.statusCode).toBe(400);
    expect(expectShape(res, 'VALIDATION_FAILED').details).toMatchObject({ argument: 'photoId' });
  });

  it('answers a method the route does not have with 405 and Allow; an unknown path stays 404', async () => {
    const get = await ctx.app.inject({ method: 'GET', url: '/operator/login' });
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expectShape(get, 'METHOD_NOT_ALLOWED');
    const del = await ctx.app.inject({ method: 'DELETE', url: '/healthz?x=1' });
    expect(del.statusCode).toBe(405);
    expect(String(del.headers.allow).split(', ')).toEqual(expect.arrayContaining(['GET', 'HEAD']));
    const unknown = await ctx.app.inject({ method: 'DELETE', url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expectShape(unknown, 'ROUTE_NOT_FOUND');
  });
});

describe('REST strings at the boundary', () => {
  it('refuses a NUL byte, an unpaired surrogate and an overlong field, naming the field', async () => {
    for (const [email, reason] of [
      ['ops\u0000@vigie.test', 'nul_byte'],
      ['ops\ud800@vigie.test', 'unpaired_surrogate'],
      [`${'a'.repeat(10_001)}@vigie.test`, 'too_long'],
    ] as const) {
      const res = await login(JSON.stringify({ email, password: 'x'.repeat(12), totp: '123456' }));
      expect(res.statusCode, reason).toBe(400);
      expect(expectShape(res, 'VALIDATION_FAILED').details).toEqual({ argument: 'email', reason });
    }
    const fine = await login(
      JSON.stringify({ email: 'ops@vigie.test', password: '🙂'.repeat(6), totp: '123456' }),
    );
    expect(fine.json().code).not.toBe('VALIDATION_FAILED');
  });
});
