// A commune with voisins-vigilants and the register enabled, two sectors
// (communities) with BAN addresses, residents with a verified residence, and
// staff logged in as browsers: the starting point of the plugin's tests.
import {
  Browser,
  createTenant,
  createTestAccount,
  staffBrowser,
  uniqueId,
  type TestContext,
  type TestTenant,
} from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';

export interface Person {
  browser: Browser;
  accountId: string;
  email: string;
}

const LON = 2.78;
const LAT = 48.85;

export class World {
  constructor(
    readonly ctx: TestContext,
    readonly tenant: TestTenant,
    /** Two communities side by side. */
    readonly sectors: [string, string],
    /** Addresses per sector. */
    readonly addresses: [string[], string[]],
  ) {}

  static async create(
    ctx: TestContext,
    settings: Record<string, unknown> = {},
    perSector = 30,
  ): Promise<World> {
    const tenant = await createTenant(ctx.operatorDb, {
      slug: uniqueId('sol'),
      plugins: { 'voisins-vigilants': {}, solidarite: settings },
    });
    const made = await withTenant(ctx.ownerDb, tenant.id, async (trx) => {
      const out: Array<{ sector: string; addresses: string[] }> = [];
      for (const [k, name] of ['Centre', 'Nord'].entries()) {
        const lon = LON + k * 0.02;
        const [sector] = await trx('sectors')
          .insert({
            tenant_id: tenant.id,
            name,
            kind: 'quartier',
            geojson: JSON.stringify({
              type: 'Polygon',
              coordinates: [
                [
                  [lon, LAT],
                  [lon + 0.02, LAT],
                  [lon + 0.02, LAT + 0.01],
                  [lon, LAT + 0.01],
                  [lon, LAT],
                ],
              ],
            }),
            bbox: `((${lon},${LAT}),(${lon + 0.02},${LAT + 0.01}))`,
            area_m2: 1_500_000,
          })
          .returning('id');
        const street = k === 0 ? 'Rue des Tilleuls' : 'Allée des Érables';
        const rows = await trx('addresses')
          .insert(
            Array.from({ length: perSector }, (_, n) => ({
              tenant_id: tenant.id,
              ban_id: `77449_${tenant.slug}_${k}_${n + 1}`,
              numero: n + 1,
              nom_voie: street,
              code_postal: '77700',
              code_insee: '77449',
              nom_commune: 'Serris',
              lon: lon + 0.0003 * n,
              lat: LAT + 0.001,
              street_key: `${street.toLowerCase()}|77700`,
              sector_id: sector.id,
            })),
          )
          .returning('id');
        out.push({ sector: sector.id as string, addresses: rows.map((r: { id: string }) => r.id) });
      }
      return out;
    });
    return new World(
      ctx,
      tenant,
      [made[0]!.sector, made[1]!.sector],
      [made[0]!.addresses, made[1]!.addresses],
    );
  }

  /** A resident whose residence at address n of sector s is verified. */
  async resident(displayName: string, s: 0 | 1, n: number): Promise<Person> {
    const email = `${uniqueId('hab')}@example.test`;
    const account = await createTestAccount(this.ctx.db, this.tenant.id, { displayName, email });
    await withTenant(this.ctx.ownerDb, this.tenant.id, (trx) =>
      trx('residences').insert({
        tenant_id: this.tenant.id,
        account_id: account.id,
        sector_id: this.sectors[s],
        address_id: this.addresses[s][n],
        status: 'active',
        source: 'proof',
        activated_at: new Date(),
      }),
    );
    const browser = new Browser(this.ctx.app, this.tenant.host);
    await browser.login(email);
    return { browser, accountId: account.id as string, email };
  }

  staff(role: 'police_agent' | 'police_chief' | 'mairie_admin' | 'ccas_agent') {
    return staffBrowser(this.ctx.app, this.ctx.db, this.tenant, role);
  }
}

/** The stable code of the first GraphQL error. */
export function codeOf(r: { errors?: Array<{ extensions?: { code?: string } }> }): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

export async function notices(p: { browser: Browser }, kind?: string) {
  const r = await p.browser.ok<{
    myNotifications: Array<{ kind: string; title: string; body: string; link: string | null }>;
  }>('{ myNotifications(limit: 100) { kind title body link } }');
  return r.myNotifications.filter((n) =>
    kind ? n.kind === `solidarite.${kind}` : n.kind.startsWith('solidarite.'),
  );
}

export const REGISTER = `mutation($i: SolPersonInput!) {
  solRegisterPerson(input: $i) { id firstName lastName addressLabel phone contactMethod escalation healthNotes hasHealthNotes }
}`;

export function personInput(addressId: string, extra: Record<string, unknown> = {}) {
  return {
    firstName: 'Jeanne',
    lastName: 'Martin',
    addressId,
    contactMethod: 'landline',
    phone: '01 60 43 00 00',
    intervalDays: 1,
    escalatePolice: true,
    visibility: 'ccas_and_volunteers',
    consent: true,
    consentBy: 'agent',
    consentName: 'Jeanne Martin, au guichet du CCAS',
    ...extra,
  };
}

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await wait(150);
  }
}
