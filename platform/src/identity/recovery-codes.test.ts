// Recovery codes of staff two-factor authentication against the assembled app:
// ten codes shown once after TOTP is on, each accepted once at login in place
// of the app's code, stored as hashes only, and replaced when asked again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';

let ctx: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx.operatorDb, {});
});
afterAll(async () => ctx?.close());

const ISSUE = 'mutation { issueTotpRecoveryCodes }';
const VERIFY = 'mutation($c: String!) { verifyTotp(code: $c) }';

describe('TOTP recovery codes', () => {
  it('are issued once TOTP is verified, each works once, and new ones replace them', async () => {
    const agent = await createTestAccount(ctx.db, tenant.id, { roles: [{ role: 'police_agent' }] });
    const b = new Browser(ctx.app, tenant.host);
    await b.login(agent.email);
    // Not before the second factor is verified in this session.
    expect((await b.gql(ISSUE)).errors?.[0]?.extensions?.code).toBe('TOTP_REQUIRED');
    await b.enrolTotp();
    const { issueTotpRecoveryCodes: codes } = await b.ok<{ issueTotpRecoveryCodes: string[] }>(ISSUE);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Only hashes are stored.
    const stored = await withTenant(ctx.db, tenant.id, (trx) =>
      trx('totp_recovery_codes').where({ account_id: agent.id }).pluck('code_hash'),
    );
    expect(stored).toHaveLength(10);
    for (const c of codes) expect(stored).not.toContain(c);

    const next = new Browser(ctx.app, tenant.host);
    expect(await next.login(agent.email)).toMatchObject({ secondFactorRequired: true });
    expect(await next.ok(VERIFY, { c: codes[0]!.toUpperCase() })).toEqual({ verifyTotp: true });
    expect((await next.gql('{ alerts { items { id } } }')).errors).toBeUndefined();

    const again = new Browser(ctx.app, tenant.host);
    await again.login(agent.email);
    expect((await again.gql(VERIFY, { c: codes[0]! })).errors?.[0]?.extensions?.code).toBe('TOTP_INVALID');
    expect((await again.gql(VERIFY, { c: 'abcde-fghjk' })).errors?.[0]?.extensions?.code).toBe(
      'TOTP_INVALID',
    );

    // New codes replace the old ones.
    const { issueTotpRecoveryCodes: fresh } = await next.ok<{ issueTotpRecoveryCodes: string[] }>(ISSUE);
    const later = new Browser(ctx.app, tenant.host);
    await later.login(agent.email);
    expect((await later.gql(VERIFY, { c: codes[1]! })).errors?.[0]?.extensions?.code).toBe('TOTP_INVALID');
    expect(await later.ok(VERIFY, { c: fresh[1]! })).toEqual({ verifyTotp: true });
  });
});
