// `npm start` seeds a living demo commune: its demo residents log in to a
// community with members, alerts in every status with their history,
// discussions, an event and private messages, all read through GraphQL as
// the portal will. Seeding twice adds nothing.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestContext, type TestContext } from '../testing/index.js';
import { withTenant } from '../db/tenant.js';
import { seedDemo } from './seed.js';
import { DEMO_PASSWORD } from './demo.js';
import { REPO_TENANTS } from '../tenants/testing/fixtures.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const runtime = (env: 'development' | 'production') =>
  ({
    config: { ...ctx.config, env },
    db: ctx.db,
    operatorDb: ctx.operatorDb,
    plugins: ctx.plugins,
    get: ctx.vigie.get,
  }) as Parameters<typeof seedDemo>[0];
const silent = pino({ level: 'silent' });

async function counts(tenantId: string): Promise<Record<string, number>> {
  const tables = [
    'residences',
    'alerts',
    'alert_status_history',
    'in_app_notifications',
    'vv_threads',
    'vv_comments',
    'vv_events',
    'vv_event_rsvps',
    'vv_messages',
    'vv_charter_acceptances',
    'tv_absences',
  ];
  return withTenant(ctx.db, tenantId, async (trx) => {
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number(((await trx(t).count({ n: '*' })) as Array<{ n: string }>)[0]!.n);
    return out;
  });
}

const HOST = 'serris.localhost';

describe('the demo commune lives (npm start, development)', () => {
  it('makes the demo residents verified members of a community with alerts, threads, an event and messages, once', async () => {
    const t0 = Date.now();
    await seedDemo(runtime('development'), REPO_TENANTS, silent);
    const firstMs = Date.now() - t0;
    const serris = (await ctx.operatorDb('tenants').where({ slug: 'serris' }).first('id')).id as string;
    const after = await counts(serris);
    const t1 = Date.now();
    await seedDemo(runtime('development'), REPO_TENANTS, silent);
    const againMs = Date.now() - t1;
    expect(await counts(serris)).toEqual(after);
    console.log(
      `[demo] seed: first run ${firstMs} ms (both communes, folders applied), second run ${againMs} ms`,
    );
    expect(againMs).toBeLessThan(2_000);

    const alice = new Browser(ctx.app, HOST);
    await alice.login('alice@serris.example', DEMO_PASSWORD);
    const community = await alice.ok<{
      myCommunity: {
        id: string;
        name: string;
        memberCount: number;
        referents: Array<{ displayName: string }>;
        members: Array<{ displayName: string }>;
      };
      myMembership: { status: string };
    }>(
      '{ myCommunity { id name memberCount referents { displayName } members { displayName } } myMembership { status } }',
    );
    expect(community.myMembership.status).toBe('member');
    expect(community.myCommunity.memberCount).toBe(3);
    expect(community.myCommunity.referents.map((r) => r.displayName)).toEqual(['Claire (référente)']);
    expect(community.myCommunity.members.map((m) => m.displayName).sort()).toEqual([
      'Alice V.',
      'Bruno L.',
      'Claire (référente)',
    ]);

    // Alice's own alerts: one just received, one closed as unfounded, each with its history.
    const mine = await alice.ok<{
      myAlerts: {
        items: Array<{
          status: string;
          closure: string | null;
          history: Array<{ status: string; at: string }>;
        }>;
      };
    }>('{ myAlerts { items { status closure history { status closure at } } } }');
    expect(mine.myAlerts.items.map((a) => [a.status, a.closure])).toEqual([
      ['received', null],
      ['closed', 'unfounded'],
    ]);
    expect(mine.myAlerts.items[1]!.history.map((h) => h.status)).toEqual(['received', 'closed']);

    // Bruno's is taken in charge, the referent's closed with an outcome: every status is on show.
    const bruno = new Browser(ctx.app, HOST);
    await bruno.login('bruno@serris.example', DEMO_PASSWORD);
    const his = await bruno.ok<{
      myAlerts: { items: Array<{ status: string; history: Array<{ status: string; at: string }> }> };
    }>('{ myAlerts { items { status history { status at } } } }');
    expect(his.myAlerts.items).toHaveLength(1);
    expect(his.myAlerts.items[0]!.history.map((h) => h.status)).toEqual([
      'received',
      'acknowledged',
      'in_progress',
    ]);
    const at = his.myAlerts.items[0]!.history.map((h) => Date.parse(h.at));
    expect(at[1]! - at[0]!).toBeGreaterThan(0);
    const referent = new Browser(ctx.app, HOST);
    await referent.login('referent@serris.example', DEMO_PASSWORD);
    const hers = await referent.ok<{
      myAlerts: { items: Array<{ status: string; closure: string | null }> };
    }>('{ myAlerts { items { status closure } } }');
    expect(hers.myAlerts.items).toEqual([{ status: 'closed', closure: 'solved' }]);

    // Tranquillité Vacances: the referent declared two absences, each with its watch workflow; Alice none (hers to try).
    const absences = await referent.ok<{
      myAbsences: Array<{ id: string; status: string; departsAt: string }>;
    }>('{ myAbsences { id status departsAt } }');
    expect(absences.myAbsences.map((a) => a.status).sort()).toEqual(['pending', 'validated']);
    expect(absences.myAbsences.every((a) => Date.parse(a.departsAt) > Date.now())).toBe(true);
    for (const a of absences.myAbsences)
      expect(
        (await ctx.temporal.client.workflow.getHandle(`serris/absence-watch/${a.id}`).describe()).status.name,
      ).toBe('RUNNING');
    expect((await alice.ok<{ myAbsences: unknown[] }>('{ myAbsences { id } }')).myAbsences).toEqual([]);

    const board = await alice.ok<{
      threads: Array<{ title: string; commentCount: number; author: { displayName: string } }>;
    }>('{ threads { title commentCount author { displayName } } }');
    expect(board.threads).toHaveLength(2);
    expect(board.threads.every((t) => t.commentCount >= 2)).toBe(true);

    const events = await alice.ok<{
      communityEvents: Array<{
        title: string;
        startsAt: string;
        myRsvp: string;
        rsvpCounts: { yes: number; maybe: number };
      }>;
    }>('{ communityEvents { title startsAt myRsvp rsvpCounts { yes maybe } } }');
    expect(events.communityEvents).toHaveLength(1);
    expect(events.communityEvents[0]).toMatchObject({
      title: 'Apéro des voisins',
      myRsvp: 'yes',
      rsvpCounts: { yes: 2, maybe: 1 },
    });
    expect(Date.parse(events.communityEvents[0]!.startsAt)).toBeGreaterThan(Date.now());

    const talk = await alice.ok<{
      conversations: Array<{ neighbour: { displayName: string }; unread: number }>;
    }>('{ conversations { neighbour { displayName } unread } }');
    expect(talk.conversations).toEqual([{ neighbour: { displayName: 'Bruno L.' }, unread: 0 }]);
    const bob = await bruno.ok<{
      conversations: Array<{ neighbour: { displayName: string }; unread: number }>;
    }>('{ conversations { neighbour { displayName } unread } }');
    expect(bob.conversations).toEqual([{ neighbour: { displayName: 'Alice V.' }, unread: 1 }]);

    const inbox = await alice.ok<{ myUnreadNotificationCount: number }>('{ myUnreadNotificationCount }');
    expect(inbox.myUnreadNotificationCount).toBeGreaterThan(0);
    const notes = await alice.ok<{ myNotifications: Array<{ title: string; link: string }> }>(
      '{ myNotifications { title link } }',
    );
    // Her neighbours' alerts, in the words the delivery workflow uses; none of her own.
    expect(notes.myNotifications.map((n) => n.title).sort()).toEqual([
      'Alerte : Démarchage frauduleux',
      'URGENT : Fenêtre ou porte ouverte en l’absence des occupants',
    ]);
    // A demo resident can post at once: the charter is accepted.
    const charter = await alice.ok<{ communityCharter: { accepted: boolean } }>(
      '{ communityCharter { accepted } }',
    );
    expect(charter.communityCharter.accepted).toBe(true);
  }, 120_000);

  it('seeds no life outside development', async () => {
    const before = await ctx.operatorDb('tenants').where({ slug: 'serris' }).first('id');
    const n = before ? (await counts(before.id as string)).alerts : 0;
    await seedDemo(runtime('production'), REPO_TENANTS, silent);
    const serris = (await ctx.operatorDb('tenants').where({ slug: 'serris' }).first('id')).id as string;
    expect((await counts(serris)).alerts).toBe(n);
  });
});
