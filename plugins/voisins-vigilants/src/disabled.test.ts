// With the plugin off for a commune, nothing of it exists there: no GraphQL
// field or type, no route, no reminder, no notification. The commune next door
// keeps it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import { codeOf, World } from './testing/world.js';
import { addAddresses, createCommunity, makeResident } from './testing/fixtures.js';
import plugin from './index.js';

let ctx: TestContext;
let on: World;
let off: World;

beforeAll(async () => {
  ctx = await createTestContext();
  on = await World.create(ctx);
  off = await World.create(ctx, { plugins: {} });
});
afterAll(async () => ctx?.close());

const INTROSPECT = '{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name } } }';

describe('the plugin switched off for a commune', () => {
  it('answers PLUGIN_DISABLED and hides its fields and types from introspection', async () => {
    const community = await createCommunity(ctx.ownerDb, off.tenant.id, 'Les Lilas');
    const [address] = await addAddresses(ctx.ownerDb, off.tenant.id, community, 'Rue des Lilas', 1);
    const resident = await off.account('Résidente');
    await makeResident(ctx.ownerDb, off.tenant.id, resident.accountId, community, address);

    for (const q of ['{ myCommunity { id } }', '{ threads { id } }', '{ communityCharter { version } }', '{ conversations { unread } }']) {
      const r = await resident.browser.gql(q);
      expect(codeOf(r), q).toBe('PLUGIN_DISABLED');
    }
    for (const m of ['mutation { acceptCharter(version: "2025-1") { accepted } }', `mutation { sendPrivateMessage(recipientId: "${resident.accountId}", body: "x") { id } }`, 'mutation { leaveCommunity }']) {
      expect(codeOf(await resident.browser.gql(m)), m).toBe('PLUGIN_DISABLED');
    }
    // The core keeps answering in the same request.
    const mixed = await resident.browser.gql('{ myCommunity { id } tenant { slug } }');
    expect(codeOf(mixed)).toBe('PLUGIN_DISABLED');
    expect(mixed.data).toMatchObject({ tenant: { slug: off.tenant.slug } });

    const schema = await resident.browser.ok<{ __schema: { queryType: { fields: Array<{ name: string }> }; mutationType: { fields: Array<{ name: string }> }; types: Array<{ name: string }> } }>(INTROSPECT);
    const names = [...schema.__schema.queryType.fields, ...schema.__schema.mutationType.fields].map((f) => f.name);
    const types = schema.__schema.types.map((t) => t.name);
    const ours = ['myCommunity', 'community', 'threads', 'communityEvents', 'conversations', 'moderationLog', 'referentActivity', 'createThread', 'sendPrivateMessage', 'hideContent', 'acceptCharter', 'excludeMember'];
    for (const f of ours) expect(names, f).not.toContain(f);
    for (const t of ['Community', 'Neighbour', 'DiscussionThread', 'CommunityEvent', 'PrivateMessage', 'ModerationLogEntry', 'ModeratedContent']) expect(types, t).not.toContain(t);

    // The commune that has it sees all of it.
    const member = await on.account('Voisin');
    const full = await member.browser.ok<typeof schema>(INTROSPECT);
    const fullNames = [...full.__schema.queryType.fields, ...full.__schema.mutationType.fields].map((f) => f.name);
    for (const f of ours) expect(fullNames, f).toContain(f);
  });

  it('has no routes there', async () => {
    const offRes = await ctx.app.inject({ url: '/p/voisins-vigilants/charter', headers: { host: off.tenant.host } });
    expect(offRes.statusCode).toBe(404);
    expect(offRes.json().code).toBe('ROUTE_NOT_FOUND');
    const onRes = await ctx.app.inject({ url: '/p/voisins-vigilants/charter', headers: { host: on.tenant.host } });
    expect(onRes.statusCode).toBe(200);
  });

  it('runs no activity for it: an event reminder finds the plugin off and sends nothing', async () => {
    // An event left over from when the commune had the plugin.
    const community = await createCommunity(ctx.ownerDb, off.tenant.id, 'Les Roses');
    const organiser = await off.account('Organisateur');
    await makeResident(ctx.ownerDb, off.tenant.id, organiser.accountId, community);
    const eventId = await withTenant(ctx.ownerDb, off.tenant.id, async (trx) => {
      const [row] = await trx('vv_events')
        .insert({ tenant_id: off.tenant.id, community_id: community, author_id: organiser.accountId, kind: 'other', title: 'Reste', place: 'Ici', starts_at: new Date(Date.now() + 60_000) })
        .returning('id');
      return row.id as string;
    });
    const activities = plugin.activities!({ config: ctx.config, db: ctx.db, log: ctx.app.log as unknown as ActivityDeps['log'], services: ctx.app.services }) as Record<string, (i: unknown) => Promise<unknown>>;
    const input = { tenantId: off.tenant.id, eventId };
    expect(await activities.voisinsVigilantsPlanEventReminder!(input)).toEqual({ action: 'stop', reason: 'plugin_disabled' });
    expect(await activities.voisinsVigilantsSendEventReminder!(input)).toEqual({ recipients: 0 });
    const stored = await withTenant(ctx.ownerDb, off.tenant.id, (trx) => trx('in_app_notifications').count('* as n').first());
    expect(Number(stored?.n)).toBe(0);
  });
});
