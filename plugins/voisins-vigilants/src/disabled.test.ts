// With the plugin off for a commune, nothing of it exists there: no GraphQL
// field or type, no route, no reminder, no notification. The commune next door
// keeps it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import { ALERT_DELIVERY_KIND, workflowId } from '@vigie/workflows/contracts';
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

const INTROSPECT =
  '{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name } } }';

describe('the plugin switched off for a commune', () => {
  it('answers PLUGIN_DISABLED and hides its fields and types from introspection', async () => {
    const community = await createCommunity(ctx.ownerDb, off.tenant.id, 'Les Lilas');
    const [address] = await addAddresses(ctx.ownerDb, off.tenant.id, community, 'Rue des Lilas', 1);
    const resident = await off.account('Résidente');
    await makeResident(ctx.ownerDb, off.tenant.id, resident.accountId, community, address);

    for (const q of [
      '{ myCommunity { id } }',
      '{ threads { id } }',
      '{ communityCharter { version } }',
      '{ conversations { unread } }',
    ]) {
      const r = await resident.browser.gql(q);
      expect(codeOf(r), q).toBe('PLUGIN_DISABLED');
    }
    for (const m of [
      'mutation { acceptCharter(version: "2025-1") { accepted } }',
      `mutation { sendPrivateMessage(recipientId: "${resident.accountId}", body: "x") { id } }`,
      'mutation { leaveCommunity }',
    ]) {
      expect(codeOf(await resident.browser.gql(m)), m).toBe('PLUGIN_DISABLED');
    }
    // The core keeps answering in the same request.
    const mixed = await resident.browser.gql('{ myCommunity { id } tenant { slug } }');
    expect(codeOf(mixed)).toBe('PLUGIN_DISABLED');
    expect(mixed.data).toMatchObject({ tenant: { slug: off.tenant.slug } });

    const schema = await resident.browser.ok<{
      __schema: {
        queryType: { fields: Array<{ name: string }> };
        mutationType: { fields: Array<{ name: string }> };
        types: Array<{ name: string }>;
      };
    }>(INTROSPECT);
    const names = [...schema.__schema.queryType.fields, ...schema.__schema.mutationType.fields].map(
      (f) => f.name,
    );
    const types = schema.__schema.types.map((t) => t.name);
    const ours = [
      'myCommunity',
      'community',
      'threads',
      'communityEvents',
      'conversations',
      'moderationLog',
      'referentActivity',
      'createThread',
      'sendPrivateMessage',
      'hideContent',
      'acceptCharter',
      'excludeMember',
      'neighbourAlertForm',
      'raiseNeighbourAlert',
      'reactToNeighbourAlert',
    ];
    for (const f of ours) expect(names, f).not.toContain(f);
    for (const t of [
      'Community',
      'Neighbour',
      'DiscussionThread',
      'CommunityEvent',
      'PrivateMessage',
      'ModerationLogEntry',
      'ModeratedContent',
      'NeighbourAlertForm',
      'CommunityAlert',
      'NeighbourAlertReactions',
    ]) {
      expect(types, t).not.toContain(t);
    }

    // The commune that has it sees all of it.
    const member = await on.account('Voisin');
    const full = await member.browser.ok<typeof schema>(INTROSPECT);
    const fullNames = [...full.__schema.queryType.fields, ...full.__schema.mutationType.fields].map(
      (f) => f.name,
    );
    for (const f of ours) expect(fullNames, f).toContain(f);
  });

  it('keeps core alerts working there, without the fields the plugin adds to them', async () => {
    const community = await createCommunity(ctx.ownerDb, off.tenant.id, 'Les Iris');
    const resident = await off.account('Iris');
    await makeResident(ctx.ownerDb, off.tenant.id, resident.accountId, community);
    const police = await off.staff('police_agent');
    const RAISE = 'mutation($i: RaiseAlertInput!) { raiseAlert(input: $i) { id status targetKind } }';

    const down = await police.browser.ok<{ raiseAlert: { id: string; status: string; targetKind: string } }>(
      RAISE,
      {
        i: {
          category: 'information',
          text: 'Coupure d’eau rue des Iris demain matin.',
          target: { kind: 'commune' },
        },
      },
    );
    expect(down.raiseAlert).toMatchObject({ status: 'acknowledged', targetKind: 'commune' });
    const up = await resident.browser.ok<{ raiseAlert: { id: string; status: string } }>(RAISE, {
      i: { category: 'incident', text: 'Une bouche d’égout est ouverte.' },
    });
    expect(up.raiseAlert.status).toBe('received');
    const d = await ctx.temporal.client.workflow
      .getHandle(workflowId(off.tenant.slug, ALERT_DELIVERY_KIND, up.raiseAlert.id))
      .describe();
    expect(d.status.name).toBe('RUNNING');
    await police.browser.ok(
      'mutation($id: ID!) { setAlertStatus(id: $id, status: closed, closure: solved) { status } }',
      { id: up.raiseAlert.id },
    );
    const mine = await resident.browser.ok<{ myAlerts: { items: Array<{ status: string }> } }>(
      '{ myAlerts { items { status } } }',
    );
    expect(mine.myAlerts.items).toEqual([{ status: 'closed' }]);

    // The fields the plugin adds to the core Alert type do not exist for this commune.
    const reactions = await police.browser.gql(
      'query($id: ID!) { alert(id: $id) { id reactions { seenToo } } }',
      { id: up.raiseAlert.id },
    );
    // The field is refused by name, nothing of the plugin runs, and the core fields still answer.
    expect(codeOf(reactions)).toBe('PLUGIN_DISABLED');
    expect(reactions.errors?.[0]?.extensions?.details).toEqual({ field: 'reactions' });
    expect(reactions.data).toEqual({ alert: { id: up.raiseAlert.id } });
    const ALERT_FIELDS = '{ __type(name: "Alert") { fields { name } } }';
    const offFields = (
      await police.browser.ok<{ __type: { fields: Array<{ name: string }> } }>(ALERT_FIELDS)
    ).__type.fields.map((f) => f.name);
    expect(offFields).toContain('status');
    expect(offFields).not.toContain('reactions');
    expect(offFields).not.toContain('neighbourReport');
    const onPolice = await on.staff('police_agent');
    const onFields = (
      await onPolice.browser.ok<{ __type: { fields: Array<{ name: string }> } }>(ALERT_FIELDS)
    ).__type.fields.map((f) => f.name);
    expect(onFields).toEqual(expect.arrayContaining(['reactions', 'neighbourReport']));
    for (const q of [
      '{ neighbourAlertForm { emergency } }',
      'mutation { raiseNeighbourAlert(input: { what: "abc", place: "ici", category: "incident" }) { merged } }',
    ]) {
      expect(codeOf(await resident.browser.gql(q)), q).toBe('PLUGIN_DISABLED');
    }
  });

  it('has no routes there', async () => {
    const offRes = await ctx.app.inject({
      url: '/p/voisins-vigilants/charter',
      headers: { host: off.tenant.host },
    });
    expect(offRes.statusCode).toBe(404);
    expect(offRes.json().code).toBe('ROUTE_NOT_FOUND');
    const onRes = await ctx.app.inject({
      url: '/p/voisins-vigilants/charter',
      headers: { host: on.tenant.host },
    });
    expect(onRes.statusCode).toBe(200);
  });

  it('runs no activity for it: an event reminder finds the plugin off and sends nothing', async () => {
    // An event left over from when the commune had the plugin.
    const community = await createCommunity(ctx.ownerDb, off.tenant.id, 'Les Roses');
    const organiser = await off.account('Organisateur');
    await makeResident(ctx.ownerDb, off.tenant.id, organiser.accountId, community);
    const eventId = await withTenant(ctx.ownerDb, off.tenant.id, async (trx) => {
      const [row] = await trx('vv_events')
        .insert({
          tenant_id: off.tenant.id,
          community_id: community,
          author_id: organiser.accountId,
          kind: 'other',
          title: 'Reste',
          place: 'Ici',
          starts_at: new Date(Date.now() + 60_000),
        })
        .returning('id');
      return row.id as string;
    });
    const activities = plugin.activities!({
      config: ctx.config,
      db: ctx.db,
      log: ctx.app.log as unknown as ActivityDeps['log'],
      services: ctx.app.services,
      files: ctx.vigie.files,
    }) as Record<string, (i: unknown) => Promise<unknown>>;
    const input = { tenantId: off.tenant.id, eventId };
    expect(await activities.voisinsVigilantsPlanEventReminder!(input)).toEqual({
      action: 'stop',
      reason: 'plugin_disabled',
    });
    expect(await activities.voisinsVigilantsSendEventReminder!(input)).toEqual({ recipients: 0 });
    const stored = await withTenant(ctx.ownerDb, off.tenant.id, (trx) =>
      trx('in_app_notifications').count('* as n').first(),
    );
    expect(Number(stored?.n)).toBe(0);
  });
});
