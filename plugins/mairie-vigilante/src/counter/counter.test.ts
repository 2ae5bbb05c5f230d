// Issue 12: a resident without internet registered at the counter by a
// mairie agent, as the agent and the resident would notice it. The account,
// the residence verified by the agent (the paper proof's kind audited, never
// a document), SMS or voice for the alerts, and the invitation when there is
// an email; every refusal with its code and nothing written; only the staff
// with the permission, and only for their own commune's addresses (RLS). The
// resident then gets a sector alert by SMS, and a landline an urgent one by
// call, through the real delivery workflow (real Temporal, PostgreSQL and the
// real twilio SDK against the Twilio stand-in).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  twilioForTests,
  uniqueId,
  type TestContext,
  type TestTenant,
  type TwilioStandIn,
} from '@vigie/platform/testing';
import { coreServices, withTenant } from '@vigie/platform/plugin';

let ctx: TestContext;
let twilio: TwilioStandIn;
let app: FastifyInstance | undefined;
let tenant: TestTenant;
let other: TestTenant;
let sectorId: string;
let addresses: string[];
let otherAddress: string;
let mairie: Browser;
let mairieId: string;

const REGISTER = /* GraphQL */ `
  mutation ($input: CounterRegistrationInput!) {
    registerResidentAtCounter(input: $input) {
      accountId
      displayName
      addressLabel
      sectorName
      smsTo
      voiceTo
      importantChannels
      urgentChannels
      invitationSent
    }
  }
`;
type Registered = {
  accountId: string;
  displayName: string;
  addressLabel: string;
  sectorName: string;
  smsTo: string | null;
  voiceTo: string | null;
  importantChannels: string[];
  urgentChannels: string[];
  invitationSent: boolean;
};

/** A commune with one sector of BAN addresses. */
async function commune(t: TestTenant, n: number): Promise<{ sectorId: string; addresses: string[] }> {
  return withTenant(ctx.ownerDb, t.id, async (trx) => {
    const [sector] = await trx('sectors')
      .insert({
        tenant_id: t.id,
        name: 'Centre',
        kind: 'quartier',
        geojson: JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [2.78, 48.85],
              [2.8, 48.85],
              [2.8, 48.86],
              [2.78, 48.86],
              [2.78, 48.85],
            ],
          ],
        }),
        bbox: '((2.78,48.85),(2.8,48.86))',
        area_m2: 1_500_000,
      })
      .returning('id');
    const rows = await trx('addresses')
      .insert(
        Array.from({ length: n }, (_, i) => ({
          tenant_id: t.id,
          ban_id: `77449_${t.slug}_${i + 1}`,
          numero: i + 1,
          nom_voie: 'Rue des Tilleuls',
          code_postal: '77700',
          code_insee: '77449',
          nom_commune: 'Serris',
          lon: 2.781 + 0.0003 * i,
          lat: 48.851,
          street_key: 'rue des tilleuls|77700',
          sector_id: sector.id,
        })),
      )
      .returning('id');
    return { sectorId: sector.id as string, addresses: rows.map((r: { id: string }) => r.id) };
  });
}

beforeAll(async () => {
  const t = await twilioForTests(() => app);
  twilio = t.twilio;
  ctx = await createTestContext({ env: t.env });
  app = ctx.app;
  tenant = await createTenant(ctx.operatorDb, { slug: uniqueId('gui'), plugins: { 'mairie-vigilante': {} } });
  other = await createTenant(ctx.operatorDb, { slug: uniqueId('gui'), plugins: { 'mairie-vigilante': {} } });
  ({ sectorId, addresses } = await commune(tenant, 10));
  otherAddress = (await commune(other, 1)).addresses[0]!;
  // Urgent calls ring at any hour; receipts not awaited for long.
  await ctx
    .operatorDb('tenants')
    .where({ id: tenant.id })
    .update({ settings: JSON.stringify({ alerts: { voiceCallStart: '00:00', voiceCallEnd: '23:59' } }) });
  ({ browser: mairie, accountId: mairieId } = await staffBrowser(ctx.app, ctx.db, tenant, 'mairie_admin'));
  await ctx.startWorker();
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await twilio?.close();
});

const input = (over: Record<string, unknown> = {}) => ({
  displayName: 'Germaine Dupuis',
  addressId: addresses[0],
  mobile: '06 12 34 56 01',
  email: null,
  proofKind: 'energy_bill',
  ...over,
});

async function counts(t: TestTenant = tenant) {
  return withTenant(ctx.ownerDb, t.id, async (trx) => {
    const n = async (table: string) =>
      Number(((await trx(table).count('* as n').first()) as { n: string }).n);
    return {
      accounts: await n('accounts'),
      residences: await n('residences'),
      preferences: await n('notification_preferences'),
      outbox: await n('dev_outbox'),
      audit: Number(
        (
          (await trx('audit_log')
            .where('action', 'residents.registered_at_counter')
            .count('* as n')
            .first()) as { n: string }
        ).n,
      ),
    };
  });
}

describe('registering at the counter', () => {
  it('creates the account, the residence the agent verified, SMS alerts and the invitation to the portal', async () => {
    const r = await mairie.ok<{ registerResidentAtCounter: Registered }>(REGISTER, {
      input: input({ email: 'Germaine.Dupuis@example.test', locale: 'fr', proofKind: 'rent_receipt' }),
    });
    const done = r.registerResidentAtCounter;
    expect(done).toMatchObject({
      displayName: 'Germaine Dupuis',
      addressLabel: '1 Rue des Tilleuls 77700 Serris',
      sectorName: 'Centre',
      smsTo: '+33612345601',
      voiceTo: null,
      importantChannels: ['in_app', 'email', 'sms'],
      urgentChannels: ['in_app', 'email', 'sms'],
      invitationSent: true,
    });
    const { account, residence, audit, outbox } = await withTenant(ctx.ownerDb, tenant.id, async (trx) => ({
      account: await trx('accounts').where({ id: done.accountId }).first(),
      residence: await trx('residences').where({ account_id: done.accountId }).first(),
      audit: await trx('audit_log')
        .where({ action: 'residents.registered_at_counter', target_id: done.accountId })
        .first(),
      outbox: await trx('dev_outbox').where({ recipient: 'germaine.dupuis@example.test' }).first(),
    }));
    expect(account).toMatchObject({
      email: 'germaine.dupuis@example.test',
      password_hash: null,
      locale: 'fr',
    });
    expect(account.phone_verified_at).not.toBeNull();
    expect(account.email_verified_at).toBeNull();
    expect(residence).toMatchObject({
      status: 'active',
      source: 'counter',
      sector_id: sectorId,
      address_id: addresses[0],
      decided_by: mairieId,
    });
    expect(audit).toMatchObject({ actor_type: 'account', actor_id: mairieId });
    expect(audit.meta).toMatchObject({
      residenceId: residence.id,
      proofKind: 'rent_receipt',
      proofLabel: 'Quittance de loyer',
      verifiedBy: mairieId,
      phoneVerification: 'Téléphone mobile vérifié par l’agent au guichet',
      invitationSent: true,
    });
    expect(audit.meta.proof).toContain('vu au guichet');
    // No number, email or name in the audit log.
    expect(JSON.stringify(audit.meta)).not.toMatch(/612345601|germaine|Dupuis/i);
    // The invitation is the operator's: a link to choose a password, which opens the portal.
    expect(outbox.meta.kind).toBe('invitation');
    const token = /nouveau-mot-de-passe\?token=([\w-]+)&invitation=1/.exec(outbox.body)?.[1];
    expect(token).toBeTruthy();
    const resident = new Browser(ctx.app, tenant.host, '127.0.0.9');
    await resident.ok('mutation ($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }', {
      t: token,
      p: 'un mot de passe solide',
    });
    await resident.login('germaine.dupuis@example.test', 'un mot de passe solide');
    const me = await resident.ok<{ me: { displayName: string; phoneVerified: boolean } }>(
      '{ me { displayName phoneVerified } }',
    );
    expect(me.me).toEqual({ displayName: 'Germaine Dupuis', phoneVerified: true });
  });

  it('without email nor mobile: a landline for voice calls, no invitation, an account nobody can sign in to', async () => {
    const before = await counts();
    const r = await mairie.ok<{ registerResidentAtCounter: Registered }>(REGISTER, {
      input: input({
        displayName: 'Marcel Petit',
        addressId: addresses[1],
        mobile: null,
        landline: '01 60 43 00 02',
        proofKind: 'tax_notice',
        locale: 'en',
      }),
    });
    expect(r.registerResidentAtCounter).toMatchObject({
      smsTo: null,
      voiceTo: '+33160430002',
      importantChannels: ['in_app', 'voice'],
      urgentChannels: ['in_app', 'voice'],
      invitationSent: false,
    });
    const id = r.registerResidentAtCounter.accountId;
    const { account, prefs } = await withTenant(ctx.ownerDb, tenant.id, async (trx) => ({
      account: await trx('accounts').where({ id }).first(),
      prefs: await trx('notification_preferences').where({ account_id: id }).first(),
    }));
    expect(account).toMatchObject({ email: null, phone: null, password_hash: null, locale: 'en' });
    expect(prefs).toMatchObject({ voice_phone: '+33160430002', urgent_channels: ['in_app', 'voice'] });
    const after = await counts();
    expect(after.outbox).toBe(before.outbox);
    expect(after.accounts).toBe(before.accounts + 1);
  });

  it('refuses with a stable code and writes nothing', async () => {
    await createTestAccount(ctx.db, tenant.id, { email: 'pris@example.test', phone: '06 12 34 56 99' });
    await mairie.ok(REGISTER, {
      input: input({ displayName: 'Lucienne Roy', addressId: addresses[2], mobile: '06 12 34 56 02' }),
    });
    const cases: Array<[string, Record<string, unknown>, string?]> = [
      ['ADDRESS_NOT_FOUND', { addressId: otherAddress }],
      ['ADDRESS_NOT_FOUND', { addressId: '00000000-0000-4000-8000-000000000000' }],
      [
        'COUNTER_ALREADY_REGISTERED',
        { displayName: 'lucienne  ROY', addressId: addresses[2], mobile: '0612345603' },
      ],
      ['COUNTER_PHONE_TAKEN', { mobile: '+33612345699' }, 'mobile'],
      ['COUNTER_PHONE_TAKEN', { mobile: '0612345602' }, 'mobile'],
      ['COUNTER_PHONE_TAKEN', { mobile: null, landline: '01 60 43 00 02' }, 'landline'],
      ['EMAIL_TAKEN', { email: 'PRIS@example.test' }],
      ['EMAIL_INVALID', { email: 'pas-une-adresse' }],
      ['PHONE_INVALID', { mobile: '01 60 43 00 00' }],
      ['PHONE_INVALID', { mobile: '12' }],
      ['VOICE_NUMBER_INVALID', { landline: '08 92 00 00 00' }],
      ['COUNTER_PHONE_REQUIRED', { mobile: '  ', landline: null }],
      ['DISPLAY_NAME_INVALID', { displayName: 'X' }],
    ];
    const before = await counts();
    for (const [code, over, field] of cases) {
      const r = await mairie.gql(REGISTER, {
        input: input({ addressId: addresses[3], mobile: '0612345690', ...over }),
      });
      expect(r.errors?.[0]?.extensions?.code, `${code} ${JSON.stringify(over)}`).toBe(code);
      if (field) expect(r.errors?.[0]?.extensions?.details).toMatchObject({ field });
    }
    const bad = await mairie.gql(REGISTER, { input: input({ proofKind: 'photo_du_compteur' }) });
    expect(bad.errors?.[0]?.message).toMatch(/CounterProofKind/);
    expect(await counts()).toEqual(before);
  });

  it('only for the staff with the permission, and only with addresses of their own commune', async () => {
    const resident = await createTestAccount(ctx.db, tenant.id, {});
    const asResident = new Browser(ctx.app, tenant.host, '127.0.0.11');
    await asResident.login(resident.email);
    const agent = await staffBrowser(ctx.app, ctx.db, tenant, 'police_agent', '127.0.0.12');
    const chief = await staffBrowser(ctx.app, ctx.db, tenant, 'police_chief', '127.0.0.13');
    const elsewhere = await staffBrowser(ctx.app, ctx.db, other, 'mairie_admin', '127.0.0.14');
    const before = await counts();
    for (const b of [asResident, agent.browser]) {
      const r = await b.gql(REGISTER, { input: input({ addressId: addresses[4], mobile: '0612345604' }) });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // Another commune's agent cannot reach this commune's addresses: RLS hides them.
    const r = await elsewhere.browser.gql(REGISTER, {
      input: input({ addressId: addresses[4], mobile: '0612345604' }),
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('ADDRESS_NOT_FOUND');
    expect(await counts()).toEqual(before);
    const otherBefore = await counts(other);
    // The chief of the police municipale may, at the police station's counter.
    await chief.browser.ok(REGISTER, {
      input: input({ displayName: 'René Blanc', addressId: addresses[4], mobile: '0612345604' }),
    });
    expect(await counts(other)).toEqual(otherBefore);
  });
});

describe('the alerts reach them', () => {
  it('by SMS for a sector alert, and by a call to the landline for an urgent one, through the delivery workflow', async () => {
    const sms = await mairie.ok<{ registerResidentAtCounter: Registered }>(REGISTER, {
      input: input({ displayName: 'Yvonne Marchand', addressId: addresses[5], mobile: '06 12 34 56 05' }),
    });
    const call = await mairie.ok<{ registerResidentAtCounter: Registered }>(REGISTER, {
      input: input({
        displayName: 'Lucien Marchand',
        addressId: addresses[6],
        mobile: null,
        landline: '01 60 43 00 06',
      }),
    });
    const police = await staffBrowser(ctx.app, ctx.db, tenant, 'police_chief', '127.0.0.15');
    const raised = await police.browser.ok<{ raiseAlert: { id: string } }>(
      'mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }',
      {
        input: {
          category: 'incident',
          severity: 'urgent',
          text: 'Fuite de gaz rue des Tilleuls : restez chez vous, fenêtres fermées.',
          target: { kind: 'sectors', sectorIds: [sectorId] },
        },
      },
    );
    const alertId = raised.raiseAlert.id;
    const deliveryOf = (accountId: string, channel: string) =>
      withTenant(ctx.ownerDb, tenant.id, (trx) =>
        trx('deliveries').where({ alert_id: alertId, account_id: accountId, channel }).first('status'),
      );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [s, v] = await Promise.all([
        deliveryOf(sms.registerResidentAtCounter.accountId, 'sms'),
        deliveryOf(call.registerResidentAtCounter.accountId, 'voice'),
      ]);
      // A call answered with 1 pressed is acknowledged.
      if (s?.status === 'delivered' && v?.status === 'acknowledged') break;
      if (Date.now() > deadline)
        throw new Error(`not delivered: sms ${JSON.stringify(s)}, voice ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const texts = twilio.messages.filter((m) => m.to === '+33612345605');
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toContain('Fuite de gaz rue des Tilleuls');
    const calls = twilio.calls.filter((c) => c.to === '+33160430006');
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]!.said.map((s) => s.text).join(' ')).toContain('Fuite de gaz');
  }, 120_000);
});

describe('the retention sweep', () => {
  it('keeps a resident registered at the counter, who never signs in, while their residence is active', async () => {
    const kept = await mairie.ok<{ registerResidentAtCounter: Registered }>(REGISTER, {
      input: input({ displayName: 'Odette Lambert', addressId: addresses[7], mobile: '06 12 34 56 07' }),
    });
    const idle = await createTestAccount(ctx.db, tenant.id, { displayName: 'Jamais Connecté' });
    // Three years and more without a login: past the default period of inactive accounts.
    const asOf = new Date(Date.now() + (3 * 365 + 2) * 86_400_000);
    const sweep = ctx.vigie
      .get(coreServices.retentionTargets)
      .find((t) => t.name === 'residents.inactive_accounts')!;
    const { config, db, log, services, files } = ctx.vigie;
    expect(await sweep.purge({ config, db, log, services, files }, asOf)).toBeGreaterThan(0);
    const status = (id: string) =>
      withTenant(
        ctx.ownerDb,
        tenant.id,
        async (trx) => (await trx('accounts').where({ id }).first('status')).status,
      );
    expect(await status(idle.id)).toBe('deleted');
    expect(await status(kept.registerResidentAtCounter.accountId)).toBe('active');
  }, 120_000);
});
