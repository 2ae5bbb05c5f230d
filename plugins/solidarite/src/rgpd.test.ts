// The register in the RGPD export and erasure (the calls about an erased
// entry forgotten at once), the retention of health notes,
// and the counts the annual report reads (no name in them).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { coreExtensions, coreServices, withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import plugin from './index.js';
import { personInput, REGISTER, World } from './testing/world.js';

let ctx: TestContext;
let world: World;

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx, {}, 5);
});
afterAll(async () => ctx?.close());

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY);

it('exports and erases an entry with the account, deletes health notes after the retention period, and counts without names', async () => {
  const ccas = await world.staff('ccas_agent');
  const erin = await world.resident('Erin', 0, 3);
  // Erin enters herself, and her mother (a relative, with her agreement).
  const own = await erin.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
    i: {
      ...personInput(world.addresses[0][3]!, {
        firstName: 'Erin',
        contactMethod: 'mobile',
        phone: '06 11 22 33 44',
        consentBy: 'self',
      }),
      addressId: undefined,
      consentName: undefined,
      healthNotes: 'Asthme',
    },
  });
  const mother = await erin.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
    i: personInput(world.addresses[0][4]!, {
      firstName: 'Odette',
      lastName: 'Roux',
      consentBy: 'relative',
      consentName: 'Erin, sa fille',
    }),
  });
  const out = await erin.browser.ok<{ exportMyData: { json: string; html: string } }>(
    'mutation { exportMyData { json html } }',
  );
  const rows = JSON.parse(out.exportMyData.json).plugins.solidarite.sections['solidarity-register']
    .rows as Array<Record<string, unknown>>;
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatchObject({
    inscription: 'vous-même',
    notesDeSante: 'renseignées (chiffrées, lisibles par le CCAS)',
  });
  expect(rows[1]).toMatchObject({ inscription: 'Odette Roux (inscrit par vous)' });
  expect(out.exportMyData.json).not.toContain('Asthme');
  expect(out.exportMyData.html).toContain('Registre des personnes isolées');

  // The report's counts: people and plans, never a name.
  const stats = ctx.app.services
    .get(coreExtensions.statistics)
    .sources()
    .find((s) => s.id === 'solidarite')!;
  const figures = await withTenant(ctx.db, world.tenant.id, (trx) =>
    stats.compute(trx, { from: inDays(-1), to: inDays(1) }),
  );
  expect(figures.find((f) => f.key === 'registered')!.value).toBe(2);
  expect(JSON.stringify(figures)).not.toContain('Erin');

  // Health notes go after the commune's retention period (a year by default); the entry stays.
  const purge = plugin.retention[0]!;
  const deps = { db: ctx.db } as unknown as ActivityDeps;
  expect(await purge.purge(deps, inDays(30))).toBe(0);
  expect(await purge.purge(deps, inDays(366))).toBeGreaterThanOrEqual(1);
  const { solRegister } = await ccas.browser.ok<{
    solRegister: Array<{ firstName: string; hasHealthNotes: boolean }>;
  }>('{ solRegister { firstName hasHealthNotes } }');
  expect(solRegister.find((p) => p.firstName === 'Erin')!.hasHealthNotes).toBe(false);

  // A call was placed about each entry (its number sealed, the first name in its words).
  const platform = ctx.app.services.get(coreServices.platform);
  const ids = [own.solRegisterPerson.id, mother.solRegisterPerson.id];
  for (const id of ids)
    await withTenant(ctx.db, world.tenant.id, (trx) =>
      platform.phoneCalls.place(trx, {
        tenantId: world.tenant.id,
        handler: 'solidarite',
        key: `person:${id}:check-in:rgpd`,
        to: '01 60 43 00 00',
        message: 'Bonjour, ici le CCAS.',
      }),
    );
  const callsAbout = (id: string) =>
    withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('phone_calls').where('key', 'like', `person:${id}:%`).pluck('id'),
    );

  // Erasing the account deletes her own entry and its calls at once; her mother's stays (her consent is
  // her own), unattributed, with its call.
  await erin.browser.ok('mutation($p: String!) { deleteMyAccount(password: $p) }', {
    p: 'correct horse battery',
  });
  const left = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
    trx('sol_people').select('first_name', 'account_id', 'recorded_by'),
  );
  expect(left).toEqual([{ first_name: 'Odette', account_id: null, recorded_by: null }]);
  expect(await callsAbout(ids[0]!)).toEqual([]);
  expect(await callsAbout(ids[1]!)).toHaveLength(1);
});
