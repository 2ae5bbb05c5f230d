import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  createTenant,
  createTestAccount,
  createTestContext,
  Browser,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { totpAt } from './totp.js';

let ctx: TestContext;
let serris: TestTenant;
let magny: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  serris = await createTenant(ctx.operatorDb, { slug: 'serris-id' });
  magny = await createTenant(ctx.operatorDb, { slug: 'magny-id' });
});
afterAll(async () => ctx?.close());

async function outbox(tenantId: string, kind: string, to: string): Promise<string> {
  const row = await withTenant(ctx.db, tenantId, (trx) =>
    trx('dev_outbox')
      .where({ recipient: to })
      .whereRaw("meta->>'kind' = ?", [kind])
      .orderBy('created_at', 'desc')
      .first(),
  );
  if (!row) throw new Error(`no ${kind} message for ${to}`);
  return row.body as string;
}

const REGISTER = `mutation($i: RegisterInput!) { register(input: $i) { csrfToken secondFactorRequired me { id displayName emailVerified phoneVerified roles { role } } } }`;

describe('resident registration journey', () => {
  it('registers on a commune, verifies email and phone through the outbox, logs out and back in', async () => {
    const b = new Browser(ctx.app, serris.host);
    const reg = await b.ok<{
      register: {
        csrfToken: string;
        me: { id: string; emailVerified: boolean; phoneVerified: boolean; roles: Array<{ role: string }> };
      };
    }>(REGISTER, {
      i: {
        email: 'Camille@Example.test',
        password: 'un mot de passe solide',
        displayName: 'Camille',
        phone: '06 12 34 56 78',
      },
    });
    b.csrfToken = reg.register.csrfToken;
    expect(reg.register.me).toMatchObject({
      emailVerified: false,
      phoneVerified: false,
      roles: [{ role: 'resident' }],
    });

    const mail = await outbox(serris.id, 'email_verification', 'camille@example.test');
    const token = /token=([\w-]+)/.exec(mail)![1]!;
    expect(mail).toContain(`http://${serris.slug}.localhost:3000/verifier-email?token=`);
    await b.ok('mutation($t: String!) { verifyEmail(token: $t) }', { t: token });
    // A link works once.
    expect(
      (await b.gql('mutation($t: String!) { verifyEmail(token: $t) }', { t: token })).errors?.[0]?.extensions
        ?.code,
    ).toBe('TOKEN_INVALID');

    const sms = await outbox(serris.id, 'phone_verification', '+33612345678');
    const wrong = await b.gql('mutation { verifyPhone(code: "000000") }');
    expect(wrong.errors?.[0]?.extensions?.code).toBe('TOKEN_INVALID');
    await b.ok('mutation($c: String!) { verifyPhone(code: $c) }', { c: /(\d{6})/.exec(sms)![1] });
    const me = await b.ok<{ me: { emailVerified: boolean; phoneVerified: boolean } }>(
      '{ me { emailVerified phoneVerified } }',
    );
    expect(me.me).toEqual({ emailVerified: true, phoneVerified: true });

    await b.ok('mutation { logout }');
    expect((await b.ok<{ me: null }>('{ me { id } }')).me).toBeNull();
    const again = new Browser(ctx.app, serris.host);
    await again.login('camille@example.test', 'un mot de passe solide');
    expect((await again.ok<{ me: { id: string } }>('{ me { id } }')).me.id).toBe(reg.register.me.id);
  });

  it('treats the same email on another commune as a different account, invisible from the first', async () => {
    const email = 'dominique@example.test';
    const a = await new Browser(ctx.app, serris.host).ok<{ register: { me: { id: string } } }>(REGISTER, {
      i: { email, password: 'serris password 1', displayName: 'Dominique' },
    });
    const b = await new Browser(ctx.app, magny.host).ok<{ register: { me: { id: string } } }>(REGISTER, {
      i: { email, password: 'magny password 22', displayName: 'Dominique' },
    });
    expect(a.register.me.id).not.toBe(b.register.me.id);
    const wrongCommune = new Browser(ctx.app, magny.host);
    const r = await wrongCommune.gql(
      'mutation { login(email: "dominique@example.test", password: "serris password 1") { csrfToken } }',
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    const dup = await new Browser(ctx.app, serris.host).gql(REGISTER, {
      i: { email: 'DOMINIQUE@example.test', password: 'another password', displayName: 'Dom' },
    });
    expect(dup.errors?.[0]?.extensions?.code).toBe('EMAIL_TAKEN');
  });

  it('refuses bad input with stable codes and stores nothing', async () => {
    const b = new Browser(ctx.app, serris.host, '10.9.9.9');
    const cases: Array<[Record<string, string>, string]> = [
      [{ email: 'not-an-email', password: 'long enough password', displayName: 'Alex' }, 'EMAIL_INVALID'],
      [{ email: 'short@example.test', password: 'short', displayName: 'Alex' }, 'PASSWORD_TOO_SHORT'],
      [
        {
          email: 'phone@example.test',
          password: 'long enough password',
          displayName: 'Alex',
          phone: '01 02',
        },
        'PHONE_INVALID',
      ],
      [
        { email: 'name@example.test', password: 'long enough password', displayName: 'A' },
        'DISPLAY_NAME_INVALID',
      ],
    ];
    for (const [input, code] of cases)
      expect((await b.gql(REGISTER, { i: input })).errors?.[0]?.extensions?.code).toBe(code);
    const count = await withTenant(ctx.db, serris.id, (trx) =>
      trx('accounts')
        .whereIn('email', ['short@example.test', 'phone@example.test', 'name@example.test'])
        .count('* as n')
        .first(),
    );
    expect(count?.n).toBe(0);
  });
});

describe('login protection', () => {
  it('locks an account after repeated failures and audits every attempt', async () => {
    const acc = await createTestAccount(ctx.db, serris.id, { email: 'lock@example.test' });
    const b = new Browser(ctx.app, serris.host, '10.0.0.2');
    for (let i = 0; i < 4; i++)
      expect(
        (
          await b.gql(
            'mutation { login(email: "lock@example.test", password: "wrong password!") { csrfToken } }',
          )
        ).errors?.[0]?.extensions?.code,
      ).toBe('INVALID_CREDENTIALS');
    expect(
      (
        await b.gql(
          'mutation { login(email: "lock@example.test", password: "wrong password!") { csrfToken } }',
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe('ACCOUNT_LOCKED');
    // Even the right password is refused while locked.
    expect(
      (
        await b.gql(
          'mutation { login(email: "lock@example.test", password: "correct horse battery") { csrfToken } }',
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe('ACCOUNT_LOCKED');
    const actions = await withTenant(ctx.db, serris.id, (trx) =>
      trx('audit_log').where({ actor_id: acc.id }).orderBy('id').pluck('action'),
    );
    expect(actions).toEqual([
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.account_locked',
      'auth.login_refused_locked',
    ]);
  });

  it('rate-limits logins per IP', async () => {
    const b = new Browser(ctx.app, serris.host, '10.0.0.3');
    const codes: string[] = [];
    for (let i = 0; i < 32; i++)
      codes.push(
        (
          await b.gql(
            `mutation { login(email: "nobody${i}@example.test", password: "whatever pass") { csrfToken } }`,
          )
        ).errors?.[0]?.extensions?.code ?? 'OK',
      );
    expect(codes.slice(0, 30).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes.slice(30)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('resets a password without revealing whether the account exists, and ends old sessions', async () => {
    await createTestAccount(ctx.db, serris.id, { email: 'reset@example.test' });
    const old = new Browser(ctx.app, serris.host);
    await old.login('reset@example.test');
    const anon = new Browser(ctx.app, serris.host, '10.0.0.4');
    const exists = await anon.gql('mutation { requestPasswordReset(email: "reset@example.test") }');
    const missing = await anon.gql('mutation { requestPasswordReset(email: "ghost@example.test") }');
    expect(exists).toEqual(missing);
    const mail = await outbox(serris.id, 'password_reset', 'reset@example.test');
    const token = /token=([\w-]+)/.exec(mail)![1]!;
    await anon.ok('mutation($t: String!) { resetPassword(token: $t, password: "a brand new secret") }', {
      t: token,
    });
    expect((await old.ok<{ me: null }>('{ me { id } }')).me).toBeNull();
    await new Browser(ctx.app, serris.host).login('reset@example.test', 'a brand new secret');
  });
});

describe('sessions and CSRF', () => {
  it('refuses a cookie-authenticated mutation without the CSRF token', async () => {
    const acc = await createTestAccount(ctx.db, serris.id);
    const b = new Browser(ctx.app, serris.host);
    await b.login(acc.email);
    const token = b.csrfToken;
    b.csrfToken = undefined;
    const r = await b.gql('mutation { revokeOtherSessions }');
    expect(r.status).toBe(403);
    expect(r.errors?.[0]?.extensions?.code ?? (r as unknown as { code: string }).code).toBeDefined();
    b.csrfToken = 'forged';
    expect((await b.gql('mutation { revokeOtherSessions }')).status).toBe(403);
    b.csrfToken = token;
    expect(
      (await b.ok<{ revokeOtherSessions: number }>('mutation { revokeOtherSessions }')).revokeOtherSessions,
    ).toBe(0);
  });

  it('sets an httpOnly SameSite=Lax session cookie and revokes sessions', async () => {
    const acc = await createTestAccount(ctx.db, serris.id);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { host: serris.host, 'content-type': 'application/json' },
      payload: {
        query: `mutation { login(email: "${acc.email}", password: "correct horse battery") { csrfToken } }`,
      },
    });
    const c = res.cookies.find((x) => x.name === 'vigie_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    const a = new Browser(ctx.app, serris.host);
    await a.login(acc.email);
    const b = new Browser(ctx.app, serris.host);
    await b.login(acc.email);
    const sessions = await a.ok<{ mySessions: Array<{ id: string; current: boolean }> }>(
      '{ mySessions { id current } }',
    );
    expect(sessions.mySessions.length).toBe(3);
    expect(await a.ok('mutation { revokeOtherSessions }')).toEqual({ revokeOtherSessions: 2 });
    expect((await b.ok<{ me: null }>('{ me { id } }')).me).toBeNull();
  });
});

describe('staff two-factor authentication', () => {
  it('keeps staff features closed until TOTP is set up, then asks for a code at each login', async () => {
    const admin = await createTestAccount(ctx.db, serris.id, { roles: [{ role: 'mairie_admin' }] });
    const b = new Browser(ctx.app, serris.host);
    expect(await b.login(admin.email)).toMatchObject({ secondFactorRequired: false });
    expect((await b.gql('{ auditLog { action } }')).errors?.[0]?.extensions?.code).toBe(
      'TOTP_SETUP_REQUIRED',
    );
    const secret = await b.enrolTotp();
    expect(
      (await b.ok<{ auditLog: Array<{ action: string }> }>('{ auditLog { action } }')).auditLog.map(
        (e) => e.action,
      ),
    ).toContain('auth.totp_enabled');

    const next = new Browser(ctx.app, serris.host);
    expect(await next.login(admin.email)).toMatchObject({ secondFactorRequired: true });
    expect((await next.gql('{ auditLog { action } }')).errors?.[0]?.extensions?.code).toBe('TOTP_REQUIRED');
    expect((await next.gql('mutation { verifyTotp(code: "123456") }')).errors?.[0]?.extensions?.code).toBe(
      'TOTP_INVALID',
    );
    // The code accepted at enrolment cannot be replayed; the next time step can be used.
    const nextCode = totpAt(secret, Date.now() + 30_000);
    await next.ok('mutation($c: String!) { verifyTotp(code: $c) }', { c: nextCode });
    expect(
      (await next.ok<{ auditLog: unknown[] }>('{ auditLog { action } }')).auditLog.length,
    ).toBeGreaterThan(0);
    const replay = new Browser(ctx.app, serris.host);
    await replay.login(admin.email);
    expect(
      (await replay.gql('mutation($c: String!) { verifyTotp(code: $c) }', { c: nextCode })).errors?.[0]
        ?.extensions?.code,
    ).toBe('TOTP_INVALID');
  });

  it('lets a mairie admin grant roles, audited, and forbids residents', async () => {
    const { browser: admin } = await (
      await import('../testing/index.js')
    ).staffBrowser(ctx.app, ctx.db, serris, 'mairie_admin');
    const resident = await createTestAccount(ctx.db, serris.id);
    await admin.ok('mutation($a: ID!) { assignRole(accountId: $a, role: "police_agent") }', {
      a: resident.id,
    });
    const log = await admin.ok<{ auditLog: Array<{ action: string; targetId: string }> }>(
      '{ auditLog(action: "role.") { action targetId } }',
    );
    expect(log.auditLog[0]).toEqual({ action: 'role.granted', targetId: resident.id });
    const r = new Browser(ctx.app, serris.host);
    const plain = await createTestAccount(ctx.db, serris.id);
    await r.login(plain.email);
    expect(
      (await r.gql('mutation($a: ID!) { assignRole(accountId: $a, role: "mairie_admin") }', { a: plain.id }))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
  });
});

describe('language per account', () => {
  it('switches the signed-in account to English and back, remembered across logins', async () => {
    const b = new Browser(ctx.app, serris.host);
    const reg = await b.ok<{ register: { csrfToken: string } }>(REGISTER, {
      i: { email: 'lou@example.test', password: 'un mot de passe solide', displayName: 'Lou' },
    });
    b.csrfToken = reg.register.csrfToken;
    expect((await b.ok<{ me: { locale: string } }>('{ me { locale } }')).me.locale).toBe('fr');
    const set = await b.ok<{ setMyLocale: { locale: string } }>(
      'mutation { setMyLocale(locale: en) { locale } }',
    );
    expect(set.setMyLocale.locale).toBe('en');
    const again = new Browser(ctx.app, serris.host);
    await again.login('lou@example.test', 'un mot de passe solide');
    expect((await again.ok<{ me: { locale: string } }>('{ me { locale } }')).me.locale).toBe('en');
    await again.ok('mutation { setMyLocale(locale: fr) { locale } }');
    expect((await b.ok<{ me: { locale: string } }>('{ me { locale } }')).me.locale).toBe('fr');

    const bad = await b.gql('mutation { setMyLocale(locale: de) { locale } }');
    expect(bad.errors?.[0]?.message).toMatch(/Locale/);
    const anonymous = await new Browser(ctx.app, serris.host).gql(
      'mutation { setMyLocale(locale: en) { locale } }',
    );
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
