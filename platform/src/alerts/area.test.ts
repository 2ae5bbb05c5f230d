// An alert down to a zone drawn on the map (issue 12): whoever lives inside
// the zone receives it, whichever community their address is in, and nobody
// outside; the preview counts the same people the delivery then reaches; a
// bad zone is refused with its reason and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  createSectorRow,
  deliverAlert,
  RAISE,
  seedCommune,
  seedResident,
  startHarness,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
let c: SeededCommunity;
let north: string;
beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
  c = await seedCommune(h.ctx, { alerts: { retryInitialSeconds: 0.2, receiptWindowMinutes: 1 } });
  // Centre is [2.78, 2.80] × [48.84, 48.86]; Nord, above it, has the same default outline in the
  // harness, which does not matter here: residents are placed by their address, not by the outline.
  north = await createSectorRow(h.ctx.ownerDb, c.tenant.id, 'Nord');
}, 120_000);
afterAll(async () => h?.close());

/** The zone: a strip from Centre into Nord, x in [2.78, 2.79]. */
const ZONE = {
  type: 'Polygon',
  coordinates: [
    [
      [2.78, 48.84],
      [2.79, 48.84],
      [2.79, 48.87],
      [2.78, 48.87],
      [2.78, 48.84],
    ],
  ],
};

let banSeq = 0;
/** A resident living at (lon, lat), in the given community. */
async function livingAt(sectorId: string, lon: number, lat: number) {
  const p = await seedResident(h, c.tenant, sectorId);
  await withTenant(h.ctx.ownerDb, c.tenant.id, async (trx) => {
    const [a] = (await trx('addresses')
      .insert({
        tenant_id: c.tenant.id,
        ban_id: `77450_9999_${String(++banSeq).padStart(5, '0')}`,
        numero: banSeq,
        nom_voie: 'Rue des Lilas',
        code_postal: '77700',
        code_insee: '77450',
        nom_commune: 'Serris',
        lon,
        lat,
        street_key: 'rue des lilas 77700',
        sector_id: sectorId,
      })
      .returning('id')) as Array<{ id: string }>;
    await trx('residences').where({ account_id: p.id }).update({ address_id: a!.id });
  });
  return p;
}

const PREVIEW = `query ($input: RaiseAlertInput!) { alertPreview(input: $input) { recipients households byChannel { channel now } } }`;
const DETAIL = `query ($id: ID!) { alert(id: $id) { targetKind targetSectorIds targetArea } }`;
const FOLLOW_UP = `mutation ($id: ID!, $t: String!) { addAlertFollowUp(alertId: $id, text: $t) { id } }`;

const input = (area: unknown, extra: Record<string, unknown> = {}) => ({
  category: 'incident',
  severity: 'important',
  text: 'Fuite de gaz : restez chez vous, fenêtres fermées.',
  target: { kind: 'area', area: typeof area === 'string' ? area : JSON.stringify(area), ...extra },
});

const alertCount = () =>
  withTenant(h.ctx.db, c.tenant.id, async (trx) => Number((await trx('alerts').count('* as n').first())!.n));

describe('an alert down to a zone drawn on the map', () => {
  it('reaches whoever lives inside the zone (its border included) in any community, and nobody outside; the preview counts the same people', async () => {
    const inside = await livingAt(c.sectorId, 2.785, 48.845);
    const insideNorth = await livingAt(north, 2.785, 48.865);
    const onBorder = await livingAt(c.sectorId, 2.79, 48.85);
    const outside = await livingAt(c.sectorId, 2.795, 48.845);
    const farNorth = await livingAt(north, 2.785, 48.875);

    const preview = await c.police.browser.ok<{ alertPreview: { recipients: number; households: number } }>(
      PREVIEW,
      { input: input(ZONE) },
    );
    const raised = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, { input: input(ZONE) });
    await deliverAlert(h, c.tenant, raised.raiseAlert.id);
    const reached = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('deliveries').where({ alert_id: raised.raiseAlert.id }).distinct('account_id').pluck('account_id'),
    );
    for (const p of [inside, insideNorth, onBorder]) expect(reached).toContain(p.id);
    for (const p of [outside, farNorth]) expect(reached).not.toContain(p.id);
    // The three residents (three households), and nobody else but the staff.
    expect(preview.alertPreview.recipients).toBe(reached.length);
    expect(preview.alertPreview.households).toBe(3);

    const detail = await c.police.browser.ok<{
      alert: { targetKind: string; targetSectorIds: string[]; targetArea: string };
    }>(DETAIL, { id: raised.raiseAlert.id });
    expect(detail.alert.targetKind).toBe('area');
    expect(detail.alert.targetSectorIds).toEqual([c.sectorId, north].sort());
    expect(JSON.parse(detail.alert.targetArea)).toEqual(ZONE);
    // A resident it reached reads it; one outside the zone does not.
    expect(
      (await inside.browser.ok<{ alert: unknown }>(DETAIL, { id: raised.raiseAlert.id })).alert,
    ).not.toBeNull();
    expect(
      (await outside.browser.ok<{ alert: unknown }>(DETAIL, { id: raised.raiseAlert.id })).alert,
    ).toBeNull();

    // A follow-up keeps the zone, and goes to the same people.
    const f = await c.police.browser.ok<{ addAlertFollowUp: { id: string } }>(FOLLOW_UP, {
      id: raised.raiseAlert.id,
      t: 'Le gaz est coupé, vous pouvez aérer.',
    });
    const followUp = (
      await c.police.browser.ok<{ alert: { targetKind: string } }>(DETAIL, { id: f.addAlertFollowUp.id })
    ).alert;
    expect(followUp.targetKind).toBe('area');
  }, 120_000);

  it('refuses a bad zone with its reason, a zone with nobody in it, and a resident drawing one; nothing is stored', async () => {
    const before = await alertCount();
    const codeOf = async (who: SeededCommunity['police'], i: unknown) => {
      const r = await who.browser.gql(RAISE, { input: i });
      return r.errors?.[0]?.extensions as { code?: string; details?: Record<string, unknown> } | undefined;
    };
    expect(await codeOf(c.police, input('{"type":'))).toMatchObject({
      code: 'ALERT_AREA_INVALID',
      details: { reason: 'not_json' },
    });
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [2.78, 48.84],
          [2.79, 48.85],
          [2.79, 48.84],
          [2.78, 48.85],
          [2.78, 48.84],
        ],
      ],
    };
    expect(await codeOf(c.police, input(bowtie))).toMatchObject({
      code: 'ALERT_AREA_INVALID',
      details: { reason: 'SECTOR_SELF_INTERSECTING' },
    });
    expect(await codeOf(c.police, input({ type: 'Point', coordinates: [2.78, 48.84] }))).toMatchObject({
      code: 'ALERT_AREA_INVALID',
    });
    expect(await codeOf(c.police, { ...input(ZONE), target: { kind: 'area' } })).toMatchObject({
      code: 'ALERT_AREA_INVALID',
      details: { reason: 'missing' },
    });
    expect(await codeOf(c.police, input(ZONE, { sectorIds: [c.sectorId] }))).toMatchObject({
      code: 'ALERT_TARGET_INVALID',
    });
    expect(
      await codeOf(c.police, {
        ...input(ZONE),
        target: { kind: 'sectors', sectorIds: [c.sectorId], area: JSON.stringify(ZONE) },
      }),
    ).toMatchObject({ code: 'ALERT_TARGET_INVALID' });
    const nowhere = {
      type: 'Polygon',
      coordinates: [
        [
          [3.1, 49.1],
          [3.2, 49.1],
          [3.2, 49.2],
          [3.1, 49.1],
        ],
      ],
    };
    expect(await codeOf(c.police, input(nowhere))).toMatchObject({ code: 'ALERT_AREA_EMPTY' });
    // Longer than any zone of 5,000 points: refused before any resolver runs.
    expect(await codeOf(c.police, input('x'.repeat(200_001)))).toMatchObject({ code: 'VALIDATION_FAILED' });
    const resident = await livingAt(c.sectorId, 2.781, 48.841);
    expect(await codeOf(resident as never, input(ZONE))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await alertCount()).toBe(before);
  }, 60_000);
});
