// Referents, end to end through GraphQL on the assembled app, with the real
// Temporal dev server: the candidacy period is shortened to a few seconds
// through the commune's settings, never skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  uniqueId,
  type TestContext,
  type TestTenant,
} from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';

const COLLECT_SECONDS = 3;

let ctx: TestContext;
let tenant: TestTenant;
let police: Browser;
let policeId: string;
let chief: Browser;
let mairie: Browser;
let mairieId: string;

interface Person {
  id: string;
  browser: Browser;
}

const square = (x: number, y: number, size = 0.01) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

async function community(name: string, x: number): Promise<string> {
  const geometry = square(x, 48.85);
  return withTenant(ctx.ownerDb, tenant.id, async (trx) => {
    const [row] = await trx('sectors')
      .insert({
        tenant_id: tenant.id,
        name,
        kind: 'quartier',
        geojson: JSON.stringify(geometry),
        bbox: trx.raw('?::box', [`((${x + 0.01},48.86),(${x},48.85))`]),
        area_m2: 800_000,
      })
      .returning('id');
    return row.id as string;
  });
}

async function resident(communityId: string | null, displayName: string): Promise<Person> {
  const account = await createTestAccount(ctx.db, tenant.id, { displayName });
  if (communityId) {
    await withTenant(ctx.ownerDb, tenant.id, (trx) =>
      trx('residences').insert({
        tenant_id: tenant.id,
        account_id: account.id,
        sector_id: communityId,
        address_label: '1 rue des Tilleuls',
        status: 'active',
        source: 'manual',
        activated_at: new Date(),
      }),
    );
  }
  const browser = new Browser(ctx.app, tenant.host);
  await browser.login(account.email);
  return { id: account.id, browser };
}

async function grantReferent(accountId: string, communityId: string): Promise<void> {
  await withTenant(ctx.ownerDb, tenant.id, (trx) =>
    trx('role_assignments').insert({
      tenant_id: tenant.id,
      account_id: accountId,
      role: 'referent',
      scope_id: communityId,
    }),
  );
}

function notifications(accountId: string, kind: string): Promise<Array<{ title: string; body: string }>> {
  return withTenant(ctx.ownerDb, tenant.id, (trx) =>
    trx('in_app_notifications').where({ account_id: accountId, kind }).select('title', 'body'),
  );
}

function referentRoles(communityId: string): Promise<string[]> {
  return withTenant(ctx.ownerDb, tenant.id, (trx) =>
    trx('role_assignments')
      .where({ role: 'referent', scope_id: communityId })
      .orderBy('account_id')
      .pluck('account_id'),
  );
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ROUND = `query($c: ID!) { referentRound(communityId: $c) { phase reason roundId seatsLeft candidates { id displayName } chosen { id } referents { id displayName } } }`;
const CHOOSE = `mutation($c: ID!, $a: [ID!]!) { chooseReferents(communityId: $c, accountIds: $a) { phase chosen { id } referents { id } seatsLeft } }`;
const CANDIDACY = `mutation($w: Boolean!) { setReferentCandidacy(wanted: $w) { wanted status community { id name } } }`;

interface RoundView {
  phase: string;
  reason: string | null;
  roundId: string | null;
  seatsLeft: number;
  candidates: Array<{ id: string; displayName: string }>;
  chosen: Array<{ id: string }>;
  referents: Array<{ id: string; displayName: string }>;
}

const round = async (communityId: string) =>
  (await police.ok<{ referentRound: RoundView }>(ROUND, { c: communityId })).referentRound;
const codeOf = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx.operatorDb, {
    slug: uniqueId('ref'),
    plugins: { 'voisins-vigilants': { candidacyPeriodDays: COLLECT_SECONDS / 86_400 } },
  });
  await ctx.startWorker();
  ({ browser: police, accountId: policeId } = await staffBrowser(ctx.app, ctx.db, tenant, 'police_agent'));
  chief = (await staffBrowser(ctx.app, ctx.db, tenant, 'police_chief')).browser;
  ({ browser: mairie, accountId: mairieId } = await staffBrowser(ctx.app, ctx.db, tenant, 'mairie_admin'));
});
afterAll(async () => ctx?.close());

describe('referent selection', () => {
  let centre: string;
  let alice: Person;
  let bruno: Person;
  let chloe: Person;
  let david: Person;

  it('collects candidacies, refuses early, third and non-candidate choices, appoints two and tells everyone', async () => {
    centre = await community('Centre', 2.78);
    [alice, bruno, chloe, david] = await Promise.all([
      resident(centre, 'Alice'),
      resident(centre, 'Bruno'),
      resident(centre, 'Chloé'),
      resident(centre, 'David'),
    ]);

    const first = await alice.browser.ok<{
      setReferentCandidacy: { wanted: boolean; status: string; community: { id: string } };
    }>(CANDIDACY, { w: true });
    expect(first.setReferentCandidacy).toMatchObject({
      wanted: true,
      status: 'active',
      community: { id: centre },
    });
    await bruno.browser.ok(CANDIDACY, { w: true });
    await chloe.browser.ok(CANDIDACY, { w: true });

    const collecting = await eventually(
      () => round(centre),
      (r) => r.phase === 'collecting' && r.candidates.length === 3,
    );
    expect(collecting).toMatchObject({ phase: 'collecting', reason: 'candidacy', seatsLeft: 2 });
    expect(collecting.candidates.map((c) => c.displayName).sort()).toEqual(['Alice', 'Bruno', 'Chloé']);

    // Before the period ends the validator refuses, synchronously.
    expect(codeOf(await police.gql(CHOOSE, { c: centre, a: [alice.id] }))).toBe('REFERENT_ROUND_COLLECTING');

    const choosing = await eventually(
      () => round(centre),
      (r) => r.phase === 'choosing',
    );
    expect(choosing.phase).toBe('choosing');
    // The workflow answers 'choosing' as soon as the period ends, before its
    // referentCollectionEnded activity has committed the police notification.
    const ready = await eventually(
      () => notifications(policeId, 'voisins-vigilants.referent.round_ready'),
      (n) => n.length > 0,
    );
    expect(ready).toHaveLength(1);

    expect(codeOf(await police.gql(CHOOSE, { c: centre, a: [david.id] }))).toBe('NOT_A_CANDIDATE');
    expect(codeOf(await police.gql(CHOOSE, { c: centre, a: [alice.id, bruno.id, chloe.id] }))).toBe(
      'TOO_MANY_REFERENTS',
    );

    const one = await police.ok<{ chooseReferents: { chosen: Array<{ id: string }>; seatsLeft: number } }>(
      CHOOSE,
      { c: centre, a: [alice.id] },
    );
    expect(one.chooseReferents).toMatchObject({ chosen: [{ id: alice.id }], seatsLeft: 1 });
    expect(codeOf(await police.gql(CHOOSE, { c: centre, a: [alice.id] }))).toBe('ALREADY_REFERENT');
    await police.ok(CHOOSE, { c: centre, a: [bruno.id] });
    expect(codeOf(await police.gql(CHOOSE, { c: centre, a: [chloe.id] }))).toBe('TOO_MANY_REFERENTS');

    expect(await referentRoles(centre)).toEqual([alice.id, bruno.id].sort());
    const mine = await alice.browser.ok<{ myReferentCommunities: Array<{ id: string }> }>(
      '{ myReferentCommunities { id } }',
    );
    expect(mine.myReferentCommunities).toEqual([{ id: centre }]);
    // The scoped role opens the referent tools: membership, address-verification, moderation and support queues.
    const tools = `query($c: ID!) { membershipRequests(communityId: $c) { id } verificationQueue { residenceId } moderationQueue(communityId: $c) { __typename } communitySupportRequests(communityId: $c) { id } }`;
    expect(await alice.browser.ok(tools, { c: centre })).toEqual({
      membershipRequests: [],
      verificationQueue: [],
      moderationQueue: [],
      communitySupportRequests: [],
    });
    expect(codeOf(await chloe.browser.gql(tools, { c: centre }))).toBe('FORBIDDEN');
    expect(await notifications(alice.id, 'voisins-vigilants.referent.chosen')).toHaveLength(1);
    expect(await notifications(bruno.id, 'voisins-vigilants.referent.chosen')).toHaveLength(1);
    const told = await eventually(
      () => notifications(chloe.id, 'voisins-vigilants.referent.not_chosen'),
      (n) => n.length > 0,
    );
    expect(told).toHaveLength(1);
    expect(await notifications(chloe.id, 'voisins-vigilants.referent.chosen')).toHaveLength(0);
    expect(await notifications(david.id, 'voisins-vigilants.referent.not_chosen')).toHaveLength(0);

    const staffed = await eventually(
      () => round(centre),
      (r) => r.phase === 'staffed',
    );
    expect(staffed).toMatchObject({ phase: 'staffed', seatsLeft: 0 });
    expect(
      codeOf(
        await chief.gql(`mutation($c: ID!) { openReferentRound(communityId: $c) { phase } }`, { c: centre }),
      ),
    ).toBe('REFERENT_SEATS_FILLED');
  });

  it('opens a new round when a referent steps down, and flags the community to the mairie when the last one goes', async () => {
    const stepped = await alice.browser.ok<{ stepDownAsReferent: boolean }>(
      `mutation($c: ID!) { stepDownAsReferent(communityId: $c, reason: "Je déménage bientôt") }`,
      { c: centre },
    );
    expect(stepped.stepDownAsReferent).toBe(true);
    expect(await referentRoles(centre)).toEqual([bruno.id]);

    const reopened = await eventually(
      () => round(centre),
      (r) => r.phase === 'collecting',
    );
    expect(reopened).toMatchObject({ phase: 'collecting', reason: 'vacancy', seatsLeft: 1 });
    // Chloé's candidacy was kept for the next round.
    expect(reopened.candidates.map((c) => c.id)).toEqual([chloe.id]);
    expect(
      codeOf(
        await chief.gql(`mutation($c: ID!) { openReferentRound(communityId: $c) { phase } }`, { c: centre }),
      ),
    ).toBe('REFERENT_ROUND_ALREADY_OPEN');

    const flags = `{ communitiesWithoutReferent { community { id name } roundStatus candidates } }`;
    expect(
      (
        await mairie.ok<{ communitiesWithoutReferent: Array<{ community: { id: string } }> }>(flags)
      ).communitiesWithoutReferent.map((f) => f.community.id),
    ).not.toContain(centre);
    expect(
      await notifications(mairieId, 'voisins-vigilants.referent.community_without_referent'),
    ).toHaveLength(0);

    expect(
      codeOf(
        await police.gql(
          `mutation($c: ID!, $a: ID!) { removeReferent(communityId: $c, accountId: $a, reason: "Absences répétées") }`,
          { c: centre, a: bruno.id },
        ),
      ),
    ).toBe('FORBIDDEN');
    await chief.ok(
      `mutation($c: ID!, $a: ID!) { removeReferent(communityId: $c, accountId: $a, reason: "Absences répétées") }`,
      { c: centre, a: bruno.id },
    );
    expect(await referentRoles(centre)).toEqual([]);
    expect(await notifications(bruno.id, 'voisins-vigilants.referent.removed')).toHaveLength(1);

    const flagged = await eventually(
      () => notifications(mairieId, 'voisins-vigilants.referent.community_without_referent'),
      (n) => n.length > 0,
    );
    expect(flagged[0]!.title).toContain('Centre');
    const list = (
      await mairie.ok<{
        communitiesWithoutReferent: Array<{
          community: { id: string };
          roundStatus: string;
          candidates: number;
        }>;
      }>(flags)
    ).communitiesWithoutReferent;
    expect(list.find((f) => f.community.id === centre)).toMatchObject({
      roundStatus: 'collecting',
      candidates: 1,
    });
    expect(codeOf(await police.gql(flags))).toBe('FORBIDDEN');

    // The same round takes the second free seat: still one run for the community.
    const after = await eventually(
      () => round(centre),
      (r) => r.seatsLeft === 2,
    );
    expect(after).toMatchObject({ phase: 'collecting', reason: 'vacancy', roundId: reopened.roundId });
    const running = ctx.temporal.client.workflow.list({
      query: `WorkflowId = '${tenant.slug}/referent-selection/${centre}' AND ExecutionStatus = 'Running'`,
    });
    let n = 0;
    for await (const _ of running) n++;
    expect(n).toBe(1);
  });

  it('keeps a candidacy given before the address is verified, and lets it be withdrawn', async () => {
    const newcomer = await resident(null, 'Emma');
    const early = await newcomer.browser.ok<{ setReferentCandidacy: { wanted: boolean; community: null } }>(
      CANDIDACY,
      { w: true },
    );
    expect(early.setReferentCandidacy).toEqual({ wanted: true, status: 'active', community: null });
    const withdrawn = await newcomer.browser.ok<{
      setReferentCandidacy: { wanted: boolean; status: string };
    }>(CANDIDACY, { w: false });
    expect(withdrawn.setReferentCandidacy).toMatchObject({ wanted: false, status: 'withdrawn' });
    expect(codeOf(await police.gql(CANDIDACY, { w: true }))).toBe('FORBIDDEN');
  });
});

describe('referent tools', () => {
  let gare: string;
  let port: string;
  let ref1: Person;
  let ref2: Person;
  let other: Person;
  let member: Person;

  beforeAll(async () => {
    gare = await community('Gare', 2.8);
    port = await community('Port', 2.9);
    [ref1, ref2, member, other] = await Promise.all([
      resident(gare, 'Réf Un'),
      resident(gare, 'Réf Deux'),
      resident(gare, 'Membre'),
      resident(port, 'Réf Port'),
    ]);
    await grantReferent(ref1.id, gare);
    await grantReferent(ref2.id, gare);
    await grantReferent(other.id, port);
  });

  it('threads a support request between a member and the referents of their community', async () => {
    const sent = await member.browser.ok<{
      sendSupportRequest: {
        id: string;
        status: string;
        community: { id: string };
        author: { displayName: string };
      };
    }>(
      `mutation { sendSupportRequest(subject: "Voisine âgée seule", body: "Ma voisine du 3 ne sort plus, qui peut passer la voir ?") { id status community { id } author { displayName } } }`,
    );
    const id = sent.sendSupportRequest.id;
    expect(sent.sendSupportRequest).toMatchObject({
      status: 'open',
      community: { id: gare },
      author: { displayName: 'Membre' },
    });
    expect(await notifications(ref1.id, 'voisins-vigilants.support.request')).toHaveLength(1);
    expect(await notifications(ref2.id, 'voisins-vigilants.support.request')).toHaveLength(1);
    expect(await notifications(other.id, 'voisins-vigilants.support.request')).toHaveLength(0);

    const queue = await ref1.browser.ok<{
      communitySupportRequests: Array<{ id: string; messages: Array<{ body: string }> }>;
    }>(
      `query($c: ID!) { communitySupportRequests(communityId: $c, status: "open") { id messages { body } } }`,
      { c: gare },
    );
    expect(queue.communitySupportRequests.map((r) => r.id)).toEqual([id]);

    const answered = await ref1.browser.ok<{
      replyToSupportRequest: {
        status: string;
        messages: Array<{ fromReferent: boolean; author: { displayName: string } }>;
      };
    }>(
      `mutation($id: ID!) { replyToSupportRequest(id: $id, body: "Je passe ce soir.") { status messages { fromReferent author { displayName } } } }`,
      { id },
    );
    expect(answered.replyToSupportRequest.status).toBe('answered');
    expect(answered.replyToSupportRequest.messages).toEqual([
      { fromReferent: false, author: { displayName: 'Membre' } },
      { fromReferent: true, author: { displayName: 'Réf Un' } },
    ]);
    expect(await notifications(member.id, 'voisins-vigilants.support.answered')).toHaveLength(1);

    await member.browser.ok(
      `mutation($id: ID!) { replyToSupportRequest(id: $id, body: "Merci beaucoup !") { status } }`,
      { id },
    );
    const mine = await member.browser.ok<{
      mySupportRequests: Array<{ status: string; messages: Array<{ body: string }> }>;
    }>(`{ mySupportRequests { status messages { body } } }`);
    expect(mine.mySupportRequests[0]).toMatchObject({ status: 'open' });
    expect(mine.mySupportRequests[0]!.messages).toHaveLength(3);

    // A referent of another community neither sees nor answers it.
    expect(
      codeOf(await other.browser.gql(`query($id: ID!) { supportRequest(id: $id) { id } }`, { id })),
    ).toBe('SUPPORT_REQUEST_NOT_FOUND');
    expect(
      codeOf(
        await other.browser.gql(`query($c: ID!) { communitySupportRequests(communityId: $c) { id } }`, {
          c: gare,
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await other.browser.gql(`mutation($id: ID!) { replyToSupportRequest(id: $id, body: "?") { id } }`, {
          id,
        }),
      ),
    ).toBe('SUPPORT_REQUEST_NOT_FOUND');

    const closed = await ref2.browser.ok<{ closeSupportRequest: { status: string } }>(
      `mutation($id: ID!) { closeSupportRequest(id: $id) { status } }`,
      { id },
    );
    expect(closed.closeSupportRequest.status).toBe('closed');
    expect(
      codeOf(
        await member.browser.gql(
          `mutation($id: ID!) { replyToSupportRequest(id: $id, body: "Encore moi") { id } }`,
          { id },
        ),
      ),
    ).toBe('SUPPORT_REQUEST_CLOSED');
  });

  it("redraws the community's boundary with the sector API's safeguards, and each referent sees the other's actions", async () => {
    const redraw = `mutation($c: ID!, $g: String!, $o: Boolean) { redrawCommunityBoundary(communityId: $c, geometry: $g, confirmOverlap: $o) { community { id } areaM2 overlaps { id } movedAddresses } }`;
    expect(codeOf(await ref1.browser.gql(redraw, { c: gare, g: '{"type":"Polygon"' }))).toBe(
      'BOUNDARY_GEOMETRY_INVALID',
    );
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [2.8, 48.85],
          [2.81, 48.86],
          [2.81, 48.85],
          [2.8, 48.86],
          [2.8, 48.85],
        ],
      ],
    };
    expect(codeOf(await ref1.browser.gql(redraw, { c: gare, g: JSON.stringify(bowtie) }))).toBe(
      'SECTOR_SELF_INTERSECTING',
    );
    // Wider, so that it overlaps the Port community: refused unless confirmed.
    const wide = JSON.stringify(square(2.8, 48.85, 0.105));
    expect(codeOf(await ref1.browser.gql(redraw, { c: gare, g: wide }))).toBe('SECTOR_OVERLAP');
    expect(
      codeOf(await other.browser.gql(redraw, { c: gare, g: JSON.stringify(square(2.8, 48.85, 0.02)) })),
    ).toBe('FORBIDDEN');
    const saved = await ref1.browser.ok<{
      redrawCommunityBoundary: { community: { id: string }; areaM2: number; overlaps: unknown[] };
    }>(redraw, {
      c: gare,
      g: JSON.stringify(square(2.8, 48.85, 0.02)),
    });
    expect(saved.redrawCommunityBoundary).toMatchObject({ community: { id: gare }, overlaps: [] });
    expect(saved.redrawCommunityBoundary.areaM2).toBeGreaterThan(3_000_000);

    const activity = `query($c: ID!) { referentActivity(communityId: $c) { action actor { displayName } } }`;
    const seen = (
      await ref2.browser.ok<{
        referentActivity: Array<{ action: string; actor: { displayName: string } | null }>;
      }>(activity, { c: gare })
    ).referentActivity;
    expect(seen).toEqual(
      expect.arrayContaining([
        { action: 'voisins-vigilants.boundary.redrawn', actor: { displayName: 'Réf Un' } },
        { action: 'voisins-vigilants.support.answered', actor: { displayName: 'Réf Un' } },
        { action: 'voisins-vigilants.support.closed', actor: { displayName: 'Réf Deux' } },
      ]),
    );
    // Each audit entry names the community, so the other community's referent sees none of it.
    expect(codeOf(await other.browser.gql(activity, { c: gare }))).toBe('FORBIDDEN');
    expect(codeOf(await member.browser.gql(activity, { c: gare }))).toBe('FORBIDDEN');
  });
});

describe('seats', () => {
  it('gives the last seat to one of two simultaneous choices', async () => {
    const lac = await community('Lac', 3.0);
    const [sitting, x, y] = await Promise.all([
      resident(lac, 'Assis'),
      resident(lac, 'Xavier'),
      resident(lac, 'Yasmine'),
    ]);
    await grantReferent(sitting.id, lac);
    const open = `mutation($c: ID!) { openReferentRound(communityId: $c) { phase reason seatsLeft candidates { id } } }`;
    expect(codeOf(await police.gql(open, { c: lac }))).toBe('FORBIDDEN');
    const opened = await chief.ok<{ openReferentRound: RoundView }>(open, { c: lac });
    expect(opened.openReferentRound).toMatchObject({
      phase: 'collecting',
      reason: 'manual',
      seatsLeft: 1,
      candidates: [],
    });
    // Candidates apply while the round collects: their signals join the running round.
    await x.browser.ok(CANDIDACY, { w: true });
    await y.browser.ok(CANDIDACY, { w: true });
    expect((await round(lac)).candidates.map((c) => c.id).sort()).toEqual([x.id, y.id].sort());
    await eventually(
      () => round(lac),
      (r) => r.phase === 'choosing',
    );

    const results = await Promise.all([
      police.gql(CHOOSE, { c: lac, a: [x.id] }),
      chief.gql(CHOOSE, { c: lac, a: [y.id] }),
    ]);
    expect(results.map((r) => codeOf(r) ?? 'ok').sort()).toEqual(['TOO_MANY_REFERENTS', 'ok']);
    expect(await referentRoles(lac)).toHaveLength(2);
  });

  it('frees the seat of a referent who leaves the community', async () => {
    const parc = await community('Parc', 3.1);
    const leaving = await resident(parc, 'Partant');
    await grantReferent(leaving.id, parc);
    await leaving.browser.ok(`mutation { leaveCommunity(reason: "Déménagement") }`);
    expect(await referentRoles(parc)).toEqual([]);
    const reopened = await eventually(
      () => round(parc),
      (r) => r.phase === 'collecting',
    );
    expect(reopened).toMatchObject({ phase: 'collecting', reason: 'vacancy', seatsLeft: 2 });
    const flagged = await eventually(
      () => notifications(mairieId, 'voisins-vigilants.referent.community_without_referent'),
      (n) => n.some((m) => m.title.includes('Parc')),
    );
    expect(flagged.some((m) => m.title.includes('Parc'))).toBe(true);
  });
});
