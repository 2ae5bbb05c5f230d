// A commune with the plugin enabled, its communities and people logged in as
// browsers: the starting point of the plugin's GraphQL tests.
import {
  Browser,
  createTenant,
  createTestAccount,
  staffBrowser,
  uniqueId,
  type TestContext,
  type TestTenant,
} from '@vigie/platform/testing';
import { addAddresses, createCommunity, makeReferent, makeResident } from './fixtures.js';

export interface Person {
  browser: Browser;
  accountId: string;
  email: string;
  displayName: string;
  phone: string;
  address: string | null;
}

export class World {
  private phones = 0;

  constructor(
    readonly ctx: TestContext,
    readonly tenant: TestTenant,
  ) {}

  static async create(
    ctx: TestContext,
    opts: { plugins?: Record<string, Record<string, unknown>>; slug?: string } = {},
  ): Promise<World> {
    const tenant = await createTenant(ctx.operatorDb, {
      slug: opts.slug ?? uniqueId('vv'),
      plugins: opts.plugins ?? { 'voisins-vigilants': {} },
    });
    return new World(ctx, tenant);
  }

  async community(
    name: string,
    street = `Rue ${name}`,
    addresses = 4,
  ): Promise<{ id: string; name: string; addresses: string[]; street: string }> {
    const id = await createCommunity(this.ctx.ownerDb, this.tenant.id, name);
    return {
      id,
      name,
      street,
      addresses: await addAddresses(this.ctx.ownerDb, this.tenant.id, id, street, addresses),
    };
  }

  /** A logged-in account, with a phone and an email that neighbours must never see. */
  async account(
    displayName: string,
    opts: {
      roles?: Array<{
        role: 'resident' | 'referent' | 'police_agent' | 'police_chief' | 'mairie_admin';
        scopeId?: string | null;
      }>;
    } = {},
  ): Promise<Person> {
    const phone = `06${String(10_000_000 + this.phones++ * 7919 + Math.floor(Math.random() * 1000)).slice(-8)}`;
    const email = `${uniqueId('voisin')}@example.test`;
    const account = await createTestAccount(this.ctx.db, this.tenant.id, {
      displayName,
      email,
      phone,
      ...(opts.roles ? { roles: opts.roles } : {}),
    });
    const browser = new Browser(this.ctx.app, this.tenant.host);
    await browser.login(email);
    return {
      browser,
      accountId: account.id,
      email,
      displayName,
      phone: account.phone ?? phone,
      address: null,
    };
  }

  /** A verified member of the community (active residence at one of its addresses), charter accepted unless told otherwise. */
  async member(
    displayName: string,
    community: { id: string; addresses: string[]; street: string },
    opts: { charter?: boolean; addressIndex?: number } = {},
  ): Promise<Person> {
    const p = await this.account(displayName);
    const index = opts.addressIndex ?? 0;
    await makeResident(
      this.ctx.ownerDb,
      this.tenant.id,
      p.accountId,
      community.id,
      community.addresses[index] ?? null,
    );
    if (opts.charter !== false) await acceptCharter(p.browser);
    return { ...p, address: `${index + 1} ${community.street}` };
  }

  async referent(
    displayName: string,
    community: { id: string; addresses: string[]; street: string },
  ): Promise<Person> {
    const p = await this.member(displayName, community, { addressIndex: 1 });
    await makeReferent(this.ctx.ownerDb, this.tenant.id, p.accountId, community.id);
    return p;
  }

  async staff(
    role: 'police_agent' | 'police_chief' | 'mairie_admin',
  ): Promise<{ browser: Browser; accountId: string }> {
    return staffBrowser(this.ctx.app, this.ctx.db, this.tenant, role);
  }
}

export async function acceptCharter(b: Browser): Promise<void> {
  const { communityCharter } = await b.ok<{ communityCharter: { version: string } }>(
    '{ communityCharter { version } }',
  );
  await b.ok('mutation($v: String!) { acceptCharter(version: $v) { accepted } }', {
    v: communityCharter.version,
  });
}

/** The stable code of the first GraphQL error. */
export function codeOf(r: { errors?: Array<{ extensions?: { code?: string } }> }): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}
