import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { acceptCharter, codeOf, World } from '../testing/world.js';

let ctx: TestContext;
let world: World;
let lilas: Awaited<ReturnType<World['community']>>;
let roses: Awaited<ReturnType<World['community']>>;

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx, { plugins: { 'voisins-vigilants': { charterVersion: '2025-1' } } });
  lilas = await world.community('Les Lilas');
  roses = await world.community('Les Roses');
});
afterAll(async () => ctx?.close());

const NEW_THREAD =
  'mutation($i: ThreadInput!) { createThread(input: $i) { id title category categoryLabel author { displayName } } }';

describe('the community charter', () => {
  it('must be accepted once before posting; the accepted version is stored', async () => {
    const alice = await world.member('Alice', lilas, { charter: false });
    const input = { i: { category: 'lost_animals', title: 'Chat perdu', body: 'Chat tigré, collier rouge' } };
    const refused = await alice.browser.gql(NEW_THREAD, input);
    expect(codeOf(refused)).toBe('CHARTER_NOT_ACCEPTED');
    const charter = await alice.browser.ok<{
      communityCharter: { version: string; text: string; accepted: boolean };
    }>('{ communityCharter { version text accepted } }');
    expect(charter.communityCharter).toMatchObject({ version: '2025-1', accepted: false });
    expect(charter.communityCharter.text).toContain('17');
    expect(codeOf(await alice.browser.gql('mutation { acceptCharter(version: "2019") { accepted } }'))).toBe(
      'CHARTER_VERSION_OUTDATED',
    );
    await acceptCharter(alice.browser);
    await acceptCharter(alice.browser);
    const stored = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('vv_charter_acceptances').where({ account_id: alice.accountId }).select('version'),
    );
    expect(stored).toEqual([{ version: '2025-1' }]);
    const ok = await alice.browser.ok<{ createThread: { title: string } }>(NEW_THREAD, input);
    expect(ok.createThread.title).toBe('Chat perdu');
  });

  it('asks again when the commune publishes a new version', async () => {
    const bob = await world.member('Bob', lilas);
    await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('tenant_plugins')
        .where({ plugin_id: 'voisins-vigilants' })
        .update({ settings: JSON.stringify({ charterVersion: '2026-1' }) }),
    );
    ctx.app.tenants.invalidate();
    try {
      expect(
        codeOf(
          await bob.browser.gql(NEW_THREAD, {
            i: { category: 'loans', title: 'Prête perceuse', body: 'Qui a une perceuse ?' },
          }),
        ),
      ).toBe('CHARTER_NOT_ACCEPTED');
      const c = await bob.browser.ok<{
        communityCharter: { version: string; accepted: boolean; acceptedVersion: string };
      }>('{ communityCharter { version accepted acceptedVersion } }');
      expect(c.communityCharter).toEqual({ version: '2026-1', accepted: false, acceptedVersion: '2025-1' });
    } finally {
      await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('tenant_plugins')
          .where({ plugin_id: 'voisins-vigilants' })
          .update({ settings: JSON.stringify({ charterVersion: '2025-1' }) }),
      );
      ctx.app.tenants.invalidate();
    }
  });

  it('is published at /p/voisins-vigilants/charter for the registration page', async () => {
    const res = await ctx.app.inject({
      url: '/p/voisins-vigilants/charter',
      headers: { host: world.tenant.host },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: '2025-1' });
  });
});

describe('discussions', () => {
  it('posts threads and comments in the member’s own community, by category', async () => {
    const claire = await world.member('Claire', lilas);
    const denis = await world.member('Denis', lilas);
    const rose = await world.member('Rose', roses);
    const { createThread } = await claire.browser.ok<{
      createThread: { id: string; categoryLabel: string; author: { displayName: string } };
    }>(NEW_THREAD, {
      i: {
        category: 'mutual_aid',
        title: 'Courses pour Mme Martin',
        body: 'Qui peut faire ses courses jeudi ?',
      },
    });
    expect(createThread).toMatchObject({
      categoryLabel: 'Entraide (aide à un voisin âgé, courses…)',
      author: { displayName: 'Claire' },
    });
    await denis.browser.ok(
      `mutation { addComment(threadId: "${createThread.id}", body: "Moi, jeudi à 10 h") { id } }`,
    );

    const board = await denis.browser.ok<{
      threads: Array<{
        id: string;
        commentCount: number;
        comments: Array<{ body: string; author: { displayName: string } }>;
      }>;
    }>('{ threads(category: mutual_aid) { id commentCount comments { body author { displayName } } } }');
    expect(board.threads).toEqual([
      {
        id: createThread.id,
        commentCount: 1,
        comments: [{ body: 'Moi, jeudi à 10 h', author: { displayName: 'Denis' } }],
      },
    ]);
    expect(
      (await denis.browser.ok<{ threads: unknown[] }>('{ threads(category: loans) { id } }')).threads,
    ).toEqual([]);

    // Another community neither sees nor answers it.
    expect(
      (await rose.browser.ok<{ threads: Array<{ id: string }> }>('{ threads { id } }')).threads.map(
        (t) => t.id,
      ),
    ).not.toContain(createThread.id);
    expect(
      (await rose.browser.ok<{ thread: unknown }>(`{ thread(id: "${createThread.id}") { id } }`)).thread,
    ).toBeNull();
    expect(
      codeOf(
        await rose.browser.gql(
          `mutation { addComment(threadId: "${createThread.id}", body: "Coucou") { id } }`,
        ),
      ),
    ).toBe('THREAD_NOT_FOUND');
    expect(codeOf(await rose.browser.gql(`{ threads(communityId: "${lilas.id}") { id } }`))).toBe(
      'COMMUNITY_NOT_FOUND',
    );

    const notes = await claire.browser.ok<{ myNotifications: Array<{ kind: string; body: string }> }>(
      '{ myNotifications { kind body } }',
    );
    expect(notes.myNotifications).toContainEqual({
      kind: 'voisins-vigilants.thread_comment',
      body: 'Denis a répondu à votre discussion.',
    });

    // The mairie and the police see every community's board.
    const police = await world.staff('police_agent');
    const seen = await police.browser.ok<{ threads: Array<{ id: string }> }>(
      `{ threads(communityId: "${lilas.id}") { id } }`,
    );
    expect(seen.threads.map((t) => t.id)).toContain(createThread.id);
    const page = await claire.browser.ok<{ myCommunity: { latestThreads: Array<{ id: string }> } }>(
      '{ myCommunity { latestThreads(limit: 1) { id } } }',
    );
    expect(page.myCommunity.latestThreads).toEqual([{ id: createThread.id }]);
  });

  it('refuses empty or oversized posts and non-members', async () => {
    const eve = await world.member('Ève', lilas);
    const r = await eve.browser.gql(NEW_THREAD, {
      i: { category: 'other', title: 'a', body: 'x'.repeat(5001) },
    });
    expect(codeOf(r)).toBe('VALIDATION_FAILED');
    expect((r.errors?.[0]?.extensions?.details?.issues as unknown[]).length).toBe(2);
    const stranger = await world.account('Inconnu');
    expect(
      codeOf(
        await stranger.browser.gql(NEW_THREAD, {
          i: { category: 'other', title: 'Bonjour', body: 'Bonjour' },
        }),
      ),
    ).toBe('NOT_A_MEMBER');
    expect(codeOf(await new Browser(ctx.app, world.tenant.host).gql('{ threads { id } }'))).toBe(
      'UNAUTHENTICATED',
    );
  });
});
