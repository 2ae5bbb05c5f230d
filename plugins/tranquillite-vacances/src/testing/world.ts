// A commune with the plugin enabled, a street of BAN addresses, residents with
// a verified residence, the police and a mairie agent, logged in as browsers:
// the starting point of the plugin's tests. Rows are written with SQL in the
// commune's transaction, the way the geo and residents modules leave them.
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

export class World {
  constructor(
    readonly ctx: TestContext,
    readonly tenant: TestTenant,
    readonly sectorId: string,
    /** Addresses 1..n of the street, each 100 m further east. */
    readonly addresses: string[],
  ) {}

  static async create(ctx: TestContext, settings: Record<string, unknown> = {}): Promise<World> {
    const tenant = await createTenant(ctx.operatorDb, {
      slug: uniqueId('tv'),
      plugins: { 'tranquillite-vacances': settings },
    });
    const { sectorId, addresses } = await withTenant(ctx.ownerDb, tenant.id, async (trx) => {
      const lon = 2.78;
      const lat = 48.85;
      const [sector] = await trx('sectors')
        .insert({
          tenant_id: tenant.id,
          name: 'Centre',
          kind: 'quartier',
          geojson: JSON.stringify({
            type: 'Polygon',
            coordinates: [
              [
                [lon, lat],
                [lon + 0.02, lat],
                [lon + 0.02, lat + 0.01],
                [lon, lat + 0.01],
                [lon, lat],
              ],
            ],
          }),
          bbox: `((${lon},${lat}),(${lon + 0.02},${lat + 0.01}))`,
          area_m2: 1_500_000,
        })
        .returning('id');
      const rows = await trx('addresses')
        .insert(
          Array.from({ length: 8 }, (_, k) => ({
            tenant_id: tenant.id,
            ban_id: `77449_${tenant.slug}_${k + 1}`,
            numero: k + 1,
            nom_voie: 'Rue des Tilleuls',
            code_postal: '77700',
            code_insee: '77449',
            nom_commune: 'Serris',
            // Shuffled along the street, so that a route differs from the numbering.
            lon: lon + 0.0014 * [3, 7, 1, 5, 0, 6, 2, 4][k]!,
            lat: lat + 0.001,
            street_key: 'rue des tilleuls|77700',
            sector_id: sector.id,
          })),
        )
        .returning('id');
      return { sectorId: sector.id as string, addresses: rows.map((r: { id: string }) => r.id) };
    });
    return new World(ctx, tenant, sectorId, addresses);
  }

  async account(
    displayName: string,
    roles?: Array<{ role: 'resident' | 'referent'; scopeId?: string | null }>,
  ) {
    const email = `${uniqueId('hab')}@example.test`;
    const account = await createTestAccount(this.ctx.db, this.tenant.id, {
      displayName,
      email,
      ...(roles ? { roles } : {}),
    });
    const browser = new Browser(this.ctx.app, this.tenant.host);
    await browser.login(email);
    return { browser, accountId: account.id as string, email };
  }

  /** A resident whose residence at address n (0-based) is verified. */
  async resident(displayName: string, n: number): Promise<Person> {
    const p = await this.account(displayName);
    await withTenant(this.ctx.ownerDb, this.tenant.id, (trx) =>
      trx('residences').insert({
        tenant_id: this.tenant.id,
        account_id: p.accountId,
        sector_id: this.sectorId,
        address_id: this.addresses[n],
        status: 'active',
        source: 'proof',
        activated_at: new Date(),
      }),
    );
    return p;
  }

  staff(role: 'police_agent' | 'police_chief' | 'mairie_admin') {
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
    kind ? n.kind === `tranquillite-vacances.${kind}` : n.kind.startsWith('tranquillite-vacances.'),
  );
}

export const DECLARE = `mutation($i: TvAbsenceInput!, $for: ID) {
  declareAbsence(input: $i, forAccountId: $for) { id status addressLabel departsAt returnsAt declaredAtCounter }
}`;

export function absenceInput(departsAt: Date, returnsAt: Date, extra: Record<string, unknown> = {}) {
  return {
    kind: 'home',
    residence: 'main',
    departsAt: departsAt.toISOString(),
    returnsAt: returnsAt.toISOString(),
    awayPhone: '06 11 22 33 44',
    contactName: 'Mme Martin (voisine)',
    contactPhone: '06 55 66 77 88',
    keyHolders: 'Mme Martin, 3 rue des Tilleuls',
    doorCode: 'B1234',
    dwelling: 'house',
    alarm: true,
    alarmCompany: 'Verisure',
    presenceSimulation: true,
    vehicles: 'Clio grise dans l’allée',
    pets: 'aucun',
    notes: 'Volets fermés ; courrier relevé par la voisine.',
    noticeChannels: ['in_app', 'sms'],
    ...extra,
  };
}
