// Fixtures shared by test files: communes, accounts and a small GraphQL client
// that speaks to the assembled app the way a browser does (Host, cookie, CSRF).
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { withTenant } from '../db/tenant.js';
import { createAccount, type NewAccount } from '../identity/accounts.js';
import { totpAt } from '../identity/totp.js';
import { uniqueId } from './index.js';

export interface TestTenant {
  id: string;
  slug: string;
  host: string;
}

/** Creates a commune the way operators do (operator role), with the given plugins enabled. */
export async function createTenant(
  operatorDb: Knex,
  opts: {
    slug?: string;
    name?: string;
    status?: string;
    plugins?: Record<string, Record<string, unknown>>;
  } = {},
): Promise<TestTenant> {
  const slug = opts.slug ?? uniqueId('c');
  const [row] = await operatorDb('tenants')
    .insert({
      slug,
      name: opts.name ?? `Commune ${slug}`,
      insee_code: String(Math.floor(10000 + Math.random() * 89999)) + slug.slice(-4),
      postal_codes: ['77700'],
      status: opts.status ?? 'active',
    })
    .returning('id');
  const id = row.id as string;
  for (const [pluginId, settings] of Object.entries(opts.plugins ?? {})) {
    await withTenant(operatorDb, id, (trx) =>
      trx('tenant_plugins').insert({
        tenant_id: id,
        plugin_id: pluginId,
        enabled: true,
        settings: JSON.stringify(settings),
      }),
    );
  }
  return { id, slug, host: `${slug}.localhost` };
}

export async function createTestAccount(
  db: Knex,
  tenantId: string,
  input: Partial<NewAccount> & { email?: string } = {},
) {
  return withTenant(db, tenantId, (trx) =>
    createAccount(trx, tenantId, {
      email: input.email ?? `${uniqueId('u')}@example.test`,
      password: input.password ?? 'correct horse battery',
      displayName: input.displayName ?? 'Voisin Test',
      phone: input.phone ?? null,
      roles: input.roles,
      emailVerified: input.emailVerified ?? true,
      phoneVerified: input.phoneVerified,
    }),
  );
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; details?: Record<string, unknown> } }>;
}

/** A browser-like session against one commune's portal. */
export class Browser {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly host: string,
    readonly ip = '127.0.0.1',
  ) {}

  async gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { host: this.host, 'content-type': 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const res = await this.app.inject({
      method: 'POST',
      url: '/graphql',
      headers,
      payload: JSON.stringify({ query, variables }),
      remoteAddress: this.ip,
    });
    const setCookie = res.cookies.find((c) => c.name === 'vigie_session');
    if (setCookie) this.cookie = setCookie.value ? `vigie_session=${setCookie.value}` : undefined;
    const body = res.json() as GqlResult<T>;
    return { status: res.statusCode, data: body.data ?? null, errors: body.errors };
  }

  /** Runs a query and fails loudly on any GraphQL error. */
  async ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  async login(email: string, password = 'correct horse battery'): Promise<{ secondFactorRequired: boolean }> {
    const r = await this.ok<{ login: { csrfToken: string; secondFactorRequired: boolean } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { csrfToken secondFactorRequired } }',
      { e: email, p: password },
    );
    this.csrfToken = r.login.csrfToken;
    return r.login;
  }

  /** Enrols TOTP for a staff account and verifies this session. */
  async enrolTotp(): Promise<string> {
    const r = await this.ok<{ setupTotp: { secret: string } }>(
      'mutation { setupTotp { secret otpauthUri } }',
    );
    const secret = r.setupTotp.secret;
    await this.ok('mutation($c: String!) { enableTotp(code: $c) }', { c: totpAt(secret, Date.now()) });
    return secret;
  }

  async rest(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    const headers: Record<string, string> = { host: this.host };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return this.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      remoteAddress: this.ip,
    });
  }
}

/** A staff member, logged in with TOTP verified, ready for staff features. */
export async function staffBrowser(
  app: FastifyInstance,
  db: Knex,
  tenant: TestTenant,
  role: 'police_agent' | 'police_chief' | 'mairie_admin' | 'ccas_agent',
  /** Another client address: logins are rate-limited per address, a long test file may need several. */
  ip?: string,
): Promise<{ browser: Browser; accountId: string }> {
  const account = await createTestAccount(db, tenant.id, { roles: [{ role }] });
  const browser = new Browser(app, tenant.host, ip);
  await browser.login(account.email);
  await browser.enrolTotp();
  return { browser, accountId: account.id };
}
