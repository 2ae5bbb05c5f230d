// Memberships ended by the core, not the plugin: an account erased, a move
// approved. The referent seat is freed and a vacancy round opens, as when a
// referent leaves through the plugin; a commune that switched the plugin off
// is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENT_SELECTION_KIND } from '../workflows/contracts.js';
import { createTestContext, uniqueId, type Browser, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { World, type Person } from '../testing/world.js';

let ctx: TestContext;
let w: World;
let police: Browser;
let mairie: Browser;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  w = await World.create(ctx);
  police = (await w.staff('police_agent')).browser;
  mairie = (await w.staff('mairie_admin')).browser;
});
afterAll(async () => ctx?.close());

const ROUND = `query($c: ID!) { referentRound(communityId: $c) { phase reason seatsLeft } }`;
type RoundView = { phase: string; reason: string | null; seatsLeft: number } | null;
const round = async (communityId: string) =>
  (await police.ok<{ referentRound: RoundView }>(ROUND, { c: communityId })).referentRound;

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function referentRoles(world: World, communityId: string): Promise<string[]> {
  return withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
    trx('role_assignments')
      .where({ role: 'referent', scope_id: communityId })
      .orderBy('account_id')
      .pluck('account_id'),
  );
}

/** Is there a referent-selection run for the community at all (started or not)? */
async function runExists(world: World, communityId: string): Promise<boolean> {
  const handle = ctx.temporal.client.workflow.getHandle(
    `${world.tenant.slug}/${REFERENT_SELECTION_KIND}/${communityId}`,
  );
  return handle.describe().then(
    () => true,
    () => false,
  );
}

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.from('1 0 obj << /Type /Catalog >> endobj\n'.repeat(40)),
  Buffer.from('%%EOF\n'),
]);

async function uploadProof(b: Browser, residenceId: string) {
  const boundary = `----vigie${uniqueId()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="residenceId"\r\n\r\n${residenceId}\r\n`,
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="justificatif.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers: Record<string, string> = {
    host: b.host,
    'content-type': `multipart/form-data; boundary=${boundary}`,
  };
  if (b.cookie) headers.cookie = b.cookie;
  if (b.csrfToken) headers['x-csrf-token'] = b.csrfToken;
  return b.app.inject({
    method: 'POST',
    url: '/residents/proof',
    headers,
    payload: body,
    remoteAddress: b.ip,
  });
}

/** The core's moving-house path: the request, the proof, the mairie's approval through the verification workflow. */
async function moveHouse(world: World, person: Person, addressId: string, reviewer: Browser): Promise<void> {
  const move = await person.browser.ok<{ moveHouse: { residence: { id: string } } }>(
    `mutation($a: ID) { moveHouse(addressId: $a) { residence { id } } }`,
    { a: addressId },
  );
  const residenceId = move.moveHouse.residence.id;
  const up = await uploadProof(person.browser, residenceId);
  expect(up.statusCode, up.body).toBe(201);
  const routed = await eventually(
    () =>
      withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('residences').where({ id: residenceId }).first('review_level'),
      ),
    (r) => r?.review_level === 'mairie',
  );
  expect(routed?.review_level).toBe('mairie');
  const decided = await reviewer.ok<{ decideVerification: { status: string } }>(
    `mutation($id: ID!) { decideVerification(residenceId: $id, decision: APPROVE) { status } }`,
    { id: residenceId },
  );
  expect(decided.decideVerification.status).toBe('active');
}

describe('memberships ended by the core', () => {
  it('a referent who erases their account frees the seat: the role is gone and a vacancy round opens', async () => {
    const erable = await w.community('Érable');
    const rita = await w.referent('Rita', erable);
    expect(await referentRoles(w, erable.id)).toEqual([rita.accountId]);
    await rita.browser.ok('mutation { deleteMyAccount(password: "correct horse battery") }');
    expect(await referentRoles(w, erable.id)).toEqual([]);
    const reopened = await eventually(
      () => round(erable.id),
      (r) => r?.phase === 'collecting',
    );
    expect(reopened).toMatchObject({ phase: 'collecting', reason: 'vacancy', seatsLeft: 2 });
  });

  it('a referent who moves to another community frees the seat of the one they left', async () => {
    const [tilleuls, platanes] = await Promise.all([w.community('Tilleuls'), w.community('Platanes')]);
    const marc = await w.referent('Marc', tilleuls);
    await moveHouse(w, marc, platanes.addresses[0]!, mairie);
    expect(await referentRoles(w, tilleuls.id)).toEqual([]);
    const reopened = await eventually(
      () => round(tilleuls.id),
      (r) => r?.phase === 'collecting',
    );
    expect(reopened).toMatchObject({ phase: 'collecting', reason: 'vacancy', seatsLeft: 2 });
    // The community they joined has no seat of theirs and no round of this move.
    expect(await referentRoles(w, platanes.id)).toEqual([]);
    expect(await runExists(w, platanes.id)).toBe(false);
  });

  it('a plain member who moves leaves the referents and the rounds alone', async () => {
    const [chenes, saules] = await Promise.all([w.community('Chênes'), w.community('Saules')]);
    const sitting = await w.referent('Sonia', chenes);
    const paul = await w.member('Paul', chenes);
    await moveHouse(w, paul, saules.addresses[0]!, mairie);
    expect(await referentRoles(w, chenes.id)).toEqual([sitting.accountId]);
    expect(await runExists(w, chenes.id)).toBe(false);
    expect(await runExists(w, saules.id)).toBe(false);
  });

  it('a commune that switched the plugin off: a referent who moves keeps the role and no round opens', async () => {
    const off = await World.create(ctx);
    const offMairie = (await off.staff('mairie_admin')).browser;
    const [ormes, pins] = await Promise.all([off.community('Ormes'), off.community('Pins')]);
    const olga = await off.referent('Olga', ormes);
    await withTenant(ctx.ownerDb, off.tenant.id, (trx) =>
      trx('tenant_plugins').where({ plugin_id: 'voisins-vigilants' }).update({ enabled: false }),
    );
    await moveHouse(off, olga, pins.addresses[0]!, offMairie);
    const ended = await withTenant(ctx.ownerDb, off.tenant.id, (trx) =>
      trx('residences')
        .where({ account_id: olga.accountId, sector_id: ormes.id })
        .first('status', 'decision_reason'),
    );
    expect(ended).toEqual({ status: 'ended', decision_reason: 'moved' });
    expect(await referentRoles(off, ormes.id)).toEqual([olga.accountId]);
    expect(await runExists(off, ormes.id)).toBe(false);
  });
});
