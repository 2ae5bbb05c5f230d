import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { codeOf, World, type Person } from '../testing/world.js';

let ctx: TestContext;
let world: World;
let lilas: Awaited<ReturnType<World['community']>>;
let roses: Awaited<ReturnType<World['community']>>;
let author: Person;
let reader: Person;
let referent: Person;
let otherReferent: Person;

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx);
  lilas = await world.community('Les Lilas');
  roses = await world.community('Les Roses');
  author = await world.member('Auteur', lilas);
  reader = await world.member('Lectrice', lilas);
  referent = await world.referent('Référente', lilas);
  otherReferent = await world.referent('Référent des Roses', roses);
});
afterAll(async () => ctx?.close());

const REPORT =
  'mutation($t: ModeratedContent!, $id: ID!, $r: ReportReason!, $d: String) { reportContent(input: { contentType: $t, contentId: $id, reason: $r, details: $d }) { id status reason } }';

async function thread(by: Person, title: string): Promise<string> {
  const r = await by.browser.ok<{ createThread: { id: string } }>(
    'mutation($t: String!) { createThread(input: { category: other, title: $t, body: "Le voisin du 12 est sûrement le voleur" }) { id } }',
    { t: title },
  );
  return r.createThread.id;
}

describe('reports', () => {
  it('any member reports a post, a comment, an event or a message written to them, once', async () => {
    const t = await thread(author, 'Vol de vélo');
    const { addComment } = await author.browser.ok<{ addComment: { id: string } }>(
      `mutation { addComment(threadId: "${t}", body: "Je l'ai vu, c'est lui") { id } }`,
    );
    const starts = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const { createEvent } = await author.browser.ok<{ createEvent: { id: string } }>(
      `mutation { createEvent(input: { kind: other, title: "Soirée privée", place: "Chez moi", startsAt: "${starts}" }) { id } }`,
    );
    const { sendPrivateMessage } = await author.browser.ok<{ sendPrivateMessage: { id: string } }>(
      `mutation { sendPrivateMessage(recipientId: "${reader.accountId}", body: "Tu vas voir") { id } }`,
    );

    for (const [type, id] of [
      ['thread', t],
      ['comment', addComment.id],
      ['event', createEvent.id],
      ['message', sendPrivateMessage.id],
    ] as const) {
      const r = await reader.browser.ok<{ reportContent: { status: string } }>(REPORT, {
        t: type,
        id,
        r: 'accusation',
        d: 'Accuse un voisin nommément',
      });
      expect(r.reportContent.status, type).toBe('open');
    }
    expect(codeOf(await reader.browser.gql(REPORT, { t: 'thread', id: t, r: 'spam' }))).toBe(
      'ALREADY_REPORTED',
    );
    expect(codeOf(await author.browser.gql(REPORT, { t: 'thread', id: t, r: 'spam' }))).toBe(
      'CANNOT_REPORT_OWN_CONTENT',
    );
    // A message can only be reported by its recipient; another community's content not at all.
    const third = await world.member('Tiers', lilas);
    expect(
      codeOf(await third.browser.gql(REPORT, { t: 'message', id: sendPrivateMessage.id, r: 'harassment' })),
    ).toBe('CONTENT_NOT_FOUND');
    const rose = await world.member('Rose', roses);
    expect(codeOf(await rose.browser.gql(REPORT, { t: 'thread', id: t, r: 'harassment' }))).toBe(
      'CONTENT_NOT_FOUND',
    );
    await third.browser.ok(REPORT, { t: 'thread', id: t, r: 'harassment' });

    const queue = await referent.browser.ok<{
      moderationQueue: Array<{
        contentType: string;
        contentId: string;
        reportCount: number;
        reasons: string[];
        excerpt: string;
        author: { displayName: string };
      }>;
    }>(
      `{ moderationQueue(communityId: "${lilas.id}") { contentType contentId reportCount reasons details excerpt author { displayName } } }`,
    );
    expect(queue.moderationQueue).toHaveLength(4);
    expect(queue.moderationQueue.find((i) => i.contentId === t)).toMatchObject({
      contentType: 'thread',
      reportCount: 2,
      reasons: ['accusation', 'harassment'],
      author: { displayName: 'Auteur' },
    });
    expect(queue.moderationQueue.find((i) => i.contentId === t)?.excerpt).toContain('Vol de vélo');
    expect(
      codeOf(
        await otherReferent.browser.gql(`{ moderationQueue(communityId: "${lilas.id}") { contentId } }`),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(await reader.browser.gql(`{ moderationQueue(communityId: "${lilas.id}") { contentId } }`)),
    ).toBe('FORBIDDEN');

    // Referents are told once per reported content, however many members report it.
    const notes = await referent.browser.ok<{ myNotifications: Array<{ kind: string }> }>(
      '{ myNotifications(limit: 100) { kind } }',
    );
    expect(notes.myNotifications.filter((n) => n.kind === 'voisins-vigilants.content_reported')).toHaveLength(
      4,
    );
  });
});

describe('hiding content', () => {
  it('lets a referent of the community hide with a reason: logged, audited, the author told, the content gone', async () => {
    const t = await thread(author, 'Rôdeur rue des Lilas');
    await reader.browser.ok(REPORT, { t: 'thread', id: t, r: 'accusation' });
    expect(
      codeOf(
        await otherReferent.browser.gql(
          `mutation { hideContent(contentType: thread, contentId: "${t}", reason: "Accusation") { id } }`,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await reader.browser.gql(
          `mutation { hideContent(contentType: thread, contentId: "${t}", reason: "Accusation") { id } }`,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await referent.browser.gql(
          `mutation { hideContent(contentType: thread, contentId: "${t}", reason: "") { id } }`,
        ),
      ),
    ).toBe('VALIDATION_FAILED');

    const { hideContent } = await referent.browser.ok<{
      hideContent: { action: string; reason: string; actor: { displayName: string } };
    }>(
      `mutation { hideContent(contentType: thread, contentId: "${t}", reason: "Accusation nominative contraire à la charte") { action reason actor { displayName } } }`,
    );
    expect(hideContent).toEqual({
      action: 'hide',
      reason: 'Accusation nominative contraire à la charte',
      actor: { displayName: 'Référente' },
    });
    expect(
      codeOf(
        await referent.browser.gql(
          `mutation { hideContent(contentType: thread, contentId: "${t}", reason: "Encore") { id } }`,
        ),
      ),
    ).toBe('CONTENT_ALREADY_HIDDEN');

    expect(
      (await reader.browser.ok<{ threads: Array<{ id: string }> }>('{ threads { id } }')).threads.map(
        (x) => x.id,
      ),
    ).not.toContain(t);
    expect((await reader.browser.ok<{ thread: unknown }>(`{ thread(id: "${t}") { id } }`)).thread).toBeNull();
    const queue = await referent.browser.ok<{ moderationQueue: Array<{ contentId: string }> }>(
      `{ moderationQueue(communityId: "${lilas.id}") { contentId } }`,
    );
    expect(queue.moderationQueue.map((i) => i.contentId)).not.toContain(t);
    const told = await author.browser.ok<{ myNotifications: Array<{ kind: string; body: string }> }>(
      '{ myNotifications { kind body } }',
    );
    expect(told.myNotifications.find((n) => n.kind === 'voisins-vigilants.content_hidden')?.body).toContain(
      'Accusation nominative contraire à la charte',
    );
    const audited = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('audit_log')
        .where({ action: 'voisins-vigilants.content.hidden', target_id: t })
        .first('actor_id', 'meta'),
    );
    expect(audited).toMatchObject({
      actor_id: referent.accountId,
      meta: {
        communityId: lilas.id,
        byReferent: true,
        reason: 'Accusation nominative contraire à la charte',
      },
    });

    // Restoring is logged the same way.
    await referent.browser.ok(
      `mutation { restoreContent(contentType: thread, contentId: "${t}", reason: "Propos reformulés par l'auteur") { id } }`,
    );
    expect(
      (await reader.browser.ok<{ thread: { id: string } | null }>(`{ thread(id: "${t}") { id } }`)).thread,
    ).toEqual({ id: t });
  });

  it('shows the moderation log to the mairie only', async () => {
    const t = await thread(author, 'Publicité');
    await reader.browser.ok(REPORT, { t: 'thread', id: t, r: 'spam' });
    await referent.browser.ok(
      `mutation { dismissReports(contentType: thread, contentId: "${t}", reason: "Annonce de vide-grenier, autorisée") { id } }`,
    );
    const mairie = await world.staff('mairie_admin');
    const log = await mairie.browser.ok<{
      moderationLog: Array<{
        action: string;
        reason: string;
        contentType: string;
        excerpt: string;
        actor: { displayName: string };
        community: { name: string };
      }>;
    }>(
      `{ moderationLog(communityId: "${lilas.id}") { action reason contentType excerpt actor { displayName } community { name } } }`,
    );
    expect(log.moderationLog.map((e) => e.action)).toEqual(['dismiss', 'restore', 'hide']);
    expect(log.moderationLog[2]).toMatchObject({
      reason: 'Accusation nominative contraire à la charte',
      contentType: 'thread',
      actor: { displayName: 'Référente' },
      community: { name: 'Les Lilas' },
    });
    expect(log.moderationLog[2]?.excerpt).toContain('Rôdeur rue des Lilas');
    for (const b of [referent.browser, reader.browser, (await world.staff('police_agent')).browser]) {
      expect(codeOf(await b.gql('{ moderationLog { id } }'))).toBe('FORBIDDEN');
    }
    // Two referents of the community see each other's moderation.
    const second = await world.referent('Deuxième Référent', lilas);
    const activity = await second.browser.ok<{
      referentActivity: Array<{ action: string; actor: { displayName: string } }>;
    }>(`{ referentActivity(communityId: "${lilas.id}") { action actor { displayName } } }`);
    expect(activity.referentActivity.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'voisins-vigilants.content.hidden',
        'voisins-vigilants.content.restored',
        'voisins-vigilants.content.reports_dismissed',
      ]),
    );
    expect(new Set(activity.referentActivity.map((a) => a.actor.displayName))).toEqual(
      new Set(['Référente']),
    );
  });
});
