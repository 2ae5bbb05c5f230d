// The whole journey of issue #6, through GraphQL on the assembled app, with a
// real Temporal worker: a candidacy, the police choosing the referent (the
// referent-selection workflow, its candidacy period shortened through the
// commune's settings), the referent validating a membership by hand, the new
// member alerting the community, delivery reaching the neighbours, the police
// and the mairie (the alert-delivery workflow), a neighbour answering « j'ai
// vu aussi », and the police closing the alert so that its author sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { World, type Person } from './testing/world.js';

const COLLECT_SECONDS = 3;

let ctx: TestContext;
let w: World;

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function deliveriesOf(
  alertId: string,
): Promise<Array<{ account_id: string; channel: string; status: string }>> {
  return withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
    trx('deliveries')
      .where({ alert_id: alertId, channel: 'in_app' })
      .select('account_id', 'channel', 'status'),
  );
}

beforeAll(async () => {
  ctx = await createTestContext();
  w = await World.create(ctx, {
    plugins: { 'voisins-vigilants': { candidacyPeriodDays: COLLECT_SECONDS / 86_400 } },
  });
  await ctx.startWorker();
});
afterAll(async () => ctx?.close());

describe('the journey of a community of voisins vigilants', () => {
  it('from a candidacy to a closed alert whose author sees the outcome', async () => {
    const quartier = await w.community('Bords de Marne');
    const police = await w.staff('police_agent');
    const mairie = await w.staff('mairie_admin');

    // 1. A verified resident answers « Souhaitez-vous devenir le référent de la communauté ? ».
    const alice = await w.member('Alice', quartier);
    const neighbour = await w.member('Chloé', quartier, { addressIndex: 2 });
    await alice.browser.ok('mutation { setReferentCandidacy(wanted: true) { status } }');

    // 2. The candidacy period ends; the police choose Alice; she gets the referent role.
    const ROUND = `query($c: ID!) { referentRound(communityId: $c) { phase candidates { id } referents { id } } }`;
    type Round = {
      referentRound: { phase: string; candidates: Array<{ id: string }>; referents: Array<{ id: string }> };
    };
    const choosing = await eventually(
      () => police.browser.ok<Round>(ROUND, { c: quartier.id }),
      (r) => r.referentRound.phase === 'choosing',
    );
    expect(choosing.referentRound.candidates).toEqual([{ id: alice.accountId }]);
    await police.browser.ok(
      `mutation($c: ID!, $a: [ID!]!) { chooseReferents(communityId: $c, accountIds: $a) { phase } }`,
      { c: quartier.id, a: [alice.accountId] },
    );
    const staffed = await eventually(
      () => police.browser.ok<Round>(ROUND, { c: quartier.id }),
      (r) => r.referentRound.referents.length === 1,
    );
    expect(staffed.referentRound.referents).toEqual([{ id: alice.accountId }]);

    // 3. A resident whose address is not in the BAN import asks to join; Alice validates by hand.
    const bruno: Person = await w.account('Bruno');
    const { requestMembership } = await bruno.browser.ok<{ requestMembership: { id: string } }>(
      `mutation($c: ID!) { requestMembership(input: { communityId: $c, addressLabel: "2 ter quai de la Marne (maison neuve)" }) { id } }`,
      { c: quartier.id },
    );
    const queue = await alice.browser.ok<{
      membershipRequests: Array<{ id: string; requester: { displayName: string } }>;
    }>(`query($c: ID!) { membershipRequests(communityId: $c) { id requester { displayName } } }`, {
      c: quartier.id,
    });
    expect(queue.membershipRequests).toEqual([
      { id: requestMembership.id, requester: { displayName: 'Bruno' } },
    ]);
    await alice.browser.ok(`mutation($id: ID!) { approveMembershipRequest(id: $id) { status } }`, {
      id: requestMembership.id,
    });
    const membership = await bruno.browser.ok<{
      myMembership: { status: string; community: { id: string } };
    }>('{ myMembership { status community { id } } }');
    expect(membership.myMembership).toEqual({ status: 'member', community: { id: quartier.id } });

    // 4. Bruno, now a member, accepts the charter and alerts his community.
    const { communityCharter } = await bruno.browser.ok<{ communityCharter: { version: string } }>(
      '{ communityCharter { version } }',
    );
    await bruno.browser.ok('mutation($v: String!) { acceptCharter(version: $v) { accepted } }', {
      v: communityCharter.version,
    });
    const { raiseNeighbourAlert } = await bruno.browser.ok<{
      raiseNeighbourAlert: { merged: boolean; alert: { id: string; status: string } };
    }>(
      `mutation($i: NeighbourAlertInput!) { raiseNeighbourAlert(input: $i) { merged alert { id status } } }`,
      {
        i: {
          what: 'Une voiture passe lentement devant chaque maison, trois fois de suite.',
          place: 'Quai de la Marne',
          vehicle: 'Berline grise',
          plate: 'GH-456-JK',
          category: 'vehicule-reperage',
        },
      },
    );
    expect(raiseNeighbourAlert).toMatchObject({ merged: false, alert: { status: 'received' } });
    const alertId = raiseNeighbourAlert.alert.id;

    // 5. Delivery reaches the community, the police municipale and the mairie (in the app, here), never the author.
    const delivered = await eventually(
      () => deliveriesOf(alertId),
      (rows) =>
        [alice.accountId, neighbour.accountId, police.accountId, mairie.accountId].every((id) =>
          rows.some((r) => r.account_id === id && r.status === 'delivered'),
        ),
    );
    expect(delivered.map((r) => r.account_id)).toEqual(
      expect.arrayContaining([alice.accountId, neighbour.accountId, police.accountId, mairie.accountId]),
    );
    expect(delivered.map((r) => r.account_id)).not.toContain(bruno.accountId);
    const inbox = await withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
      trx('in_app_notifications')
        .where({ account_id: neighbour.accountId, kind: 'alert' })
        .select('title', 'body', 'link'),
    );
    expect(inbox).toHaveLength(1);
    expect(inbox[0].link).toBe(`/alertes/${alertId}`);
    expect(inbox[0].body).toContain('Une voiture passe lentement');
    expect(inbox[0].body).not.toContain('GH-456-JK');

    // 6. Chloé, who received it, answers « j'ai vu aussi »; Bruno is told and the police see it.
    const received = await neighbour.browser.ok<{
      alert: { id: string; neighbourReport: { plate: string | null } };
    }>(`query($id: ID!) { alert(id: $id) { id neighbourReport { plate } } }`, { id: alertId });
    expect(received.alert).toEqual({ id: alertId, neighbourReport: { plate: null } });
    await neighbour.browser.ok(
      `mutation($a: ID!) { reactToNeighbourAlert(alertId: $a, kind: seen_too) { id } }`,
      { a: alertId },
    );
    const told = await withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
      trx('in_app_notifications')
        .where({ account_id: bruno.accountId, kind: 'voisins-vigilants.alert.seen_too' })
        .select('body'),
    );
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('Chloé');
    const policeView = await police.browser.ok<{
      alerts: {
        items: Array<{
          id: string;
          reactions: { seenToo: number; neighbours: Array<{ neighbour: { displayName: string } }> };
          neighbourReport: { plate: string };
        }>;
      };
    }>(
      '{ alerts { items { id reactions { seenToo neighbours { neighbour { displayName } } } neighbourReport { plate } } } }',
    );
    expect(policeView.alerts.items.find((a) => a.id === alertId)).toEqual({
      id: alertId,
      reactions: { seenToo: 1, neighbours: [{ neighbour: { displayName: 'Chloé' } }] },
      neighbourReport: { plate: 'GH-456-JK' },
    });

    // 7. The police close it; Bruno sees the outcome on his alert and on the community page.
    await police.browser.ok(
      `mutation($id: ID!) { setAlertStatus(id: $id, status: closed, closure: solved, note: "Véhicule contrôlé") { status } }`,
      { id: alertId },
    );
    const mine = await bruno.browser.ok<{
      myAlerts: {
        items: Array<{ id: string; status: string; closure: string; history: Array<{ status: string }> }>;
      };
    }>('{ myAlerts { items { id status closure history { status } } } }');
    expect(mine.myAlerts.items).toEqual([
      {
        id: alertId,
        status: 'closed',
        closure: 'solved',
        history: [{ status: 'received' }, { status: 'closed' }],
      },
    ]);
    const page = await bruno.browser.ok<{
      myCommunity: { latestAlerts: Array<{ id: string; status: string; mine: boolean; seenToo: number }> };
    }>('{ myCommunity { latestAlerts { id status mine seenToo } } }');
    expect(page.myCommunity.latestAlerts).toEqual([
      { id: alertId, status: 'closed', mine: true, seenToo: 1 },
    ]);
  }, 60_000);
});
