import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { createOperator } from './operators.js';
import { totpAt } from './totp.js';

let ctx: TestContext;
let secret: string;

beforeAll(async () => {
  ctx = await createTestContext();
  secret = (
    await createOperator(ctx.operatorDb, ctx.config, {
      email: 'ops@vigie.test',
      password: 'operator password 1',
      displayName: 'Ops',
    })
  ).totpSecret;
});
afterAll(async () => ctx?.close());

function login(body: Record<string, string>, ip = '127.0.0.1') {
  return ctx.app.inject({ method: 'POST', url: '/operator/login', payload: body, remoteAddress: ip });
}

describe('platform operators', () => {
  it('need password and TOTP together, and get a strict cookie scoped to /operator', async () => {
    expect(
      (await login({ email: 'ops@vigie.test', password: 'operator password 1', totp: '000000' })).json().code,
    ).toBe('TOTP_INVALID');
    expect(
      (
        await login({
          email: 'ops@vigie.test',
          password: 'wrong password!!',
          totp: totpAt(secret, Date.now()),
        })
      ).json().code,
    ).toBe('INVALID_CREDENTIALS');
    const code = totpAt(secret, Date.now());
    const ok = await login({ email: 'ops@vigie.test', password: 'operator password 1', totp: code });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'vigie_operator')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/operator' });
    // The same code cannot be replayed for a second session.
    expect(
      (await login({ email: 'ops@vigie.test', password: 'operator password 1', totp: code })).json().code,
    ).toBe('TOTP_INVALID');
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/operator/logout',
      headers: { cookie: `vigie_operator=${cookie.value}` },
    });
    expect(out.json().code).toBe('CSRF_TOKEN_INVALID');
    const out2 = await ctx.app.inject({
      method: 'POST',
      url: '/operator/logout',
      headers: { cookie: `vigie_operator=${cookie.value}`, 'x-csrf-token': ok.json().csrfToken },
    });
    expect(out2.statusCode).toBe(200);
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/operator/logout',
      headers: { cookie: `vigie_operator=${cookie.value}`, 'x-csrf-token': ok.json().csrfToken },
    });
    expect(again.json().code).toBe('UNAUTHENTICATED');
  });

  it('are invisible to the application role', async () => {
    await expect(ctx.db('operators').select('id')).rejects.toThrow(/permission denied/);
    await expect(ctx.db('operator_sessions').select('id')).rejects.toThrow(/permission denied/);
  });

  it('refuse malformed login bodies with a stable code', async () => {
    const r = await login({ email: 'ops@vigie.test', password: 'x', totp: 'abc' });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('VALIDATION_FAILED');
  });
});
