// GET /metrics: the instance's own registry, behind a bearer token (or loopback
// only without one), with counts a 3 a.m. failure shows up in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';

let ctx: TestContext;
let other: TestContext;

beforeAll(async () => {
  [ctx, other] = await Promise.all([
    createTestContext({
      env: {
        VIGIE_METRICS_TOKEN: 'scrape-me',
        TWILIO_AUTH_TOKEN: 'tok',
        TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
        TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}`,
      },
    }),
    createTestContext({ plugins: [] }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([ctx?.close(), other?.close()]);
});

const scrape = (c: TestContext, headers: Record<string, string> = {}) =>
  c.app.inject({ method: 'GET', url: '/metrics', headers });

describe('GET /metrics', () => {
  it('refuses a scrape without the configured token, and answers Prometheus text with it', async () => {
    expect((await scrape(ctx)).statusCode).toBe(401);
    expect((await scrape(ctx, { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    const res = await scrape(ctx, { authorization: 'Bearer scrape-me' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/vigie_db_pool_connections\{pool="app",state="used"\} \d+/);
    expect(res.body).toContain('# TYPE vigie_provider_sends_total counter');
  });

  it('answers a loopback caller when no token is configured, and nobody else', async () => {
    expect((await scrape(other)).statusCode).toBe(200);
    const remote = await other.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(remote.statusCode).toBe(401);
  });

  it('counts refused webhooks by provider and reason, in this instance only', async () => {
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/webhooks/twilio/status',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      payload: 'MessageSid=SM1&MessageStatus=delivered',
    });
    expect(forged.statusCode).toBe(403);
    const text = (await scrape(ctx, { authorization: 'Bearer scrape-me' })).body;
    expect(text).toContain('vigie_webhooks_total{provider="twilio",result="forged"} 1');
    expect((await scrape(other)).body).not.toContain('result="forged"');
  });
});
