// The plugin's personal data in the resident's RGPD rights, on the assembled
// app: the export holds the account's rows of every kind and nobody else's
// (not a neighbour's, not another commune's); the erasure deletes what concerns
// only them and keeps, signed « ancien membre », what neighbours rely on; a
// commune that switched the plugin off still exports and erases what it stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { World, type Person } from './testing/world.js';

let ctx: TestContext;

const POLICE = {
  police: {
    phone: '01 60 43 27 15',
    email: 'pm@example.test',
    hours: 'Du lundi au samedi, 8 h - 20 h',
    address: { street: '1 place de la Mairie', postalCode: '77700', city: 'Serris' },
  },
};
const RAISE = `mutation($i: NeighbourAlertInput!) { raiseNeighbourAlert(input: $i) { alert { id } } }`;
const REACT = `mutation($a: ID!, $k: NeighbourReactionKind!) { reactToNeighbourAlert(alertId: $a, kind: $k) { id } }`;
const EXPORT = 'mutation { exportMyData { json html } }';
const DELETE = 'mutation($p: String!) { deleteMyAccount(password: $p) }';
const PASSWORD = 'correct horse battery';
const soon = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

interface Section {
  label: string;
  onErasure: string;
  rows: Array<Record<string, unknown>>;
}
interface Exported {
  plugins: Record<string, { name: string; enabled: boolean; sections: Record<string, Section> }>;
}

async function commune(opts: { plugins?: Record<string, Record<string, unknown>> } = {}): Promise<World> {
  const w = await World.create(ctx, opts);
  await ctx
    .operatorDb('tenants')
    .where({ id: w.tenant.id })
    .update({ settings: JSON.stringify(POLICE) });
  return w;
}

/** Everything a member can leave behind in the plugin, through the API where there is one. */
async function liveIn(
  w: World,
  me: Person,
  neighbour: Person,
  tag: string,
): Promise<{ threadId: string; eventId: string; alertId: string }> {
  const thread = await me.browser.ok<{ createThread: { id: string } }>(
    'mutation($i: ThreadInput!) { createThread(input: $i) { id } }',
    {
      i: {
        category: 'lost_animals',
        title: `Chat perdu (${tag})`,
        body: `Mon chat tigré a disparu (${tag}).`,
      },
    },
  );
  const theirThread = await neighbour.browser.ok<{ createThread: { id: string } }>(
    'mutation($i: ThreadInput!) { createThread(input: $i) { id } }',
    { i: { category: 'loans', title: `Prêt d’échelle (${tag}, voisin)`, body: 'Qui a une échelle ?' } },
  );
  await me.browser.ok('mutation($t: ID!, $b: String!) { addComment(threadId: $t, body: $b) { id } }', {
    t: theirThread.createThread.id,
    b: `J’en ai une (${tag}).`,
  });
  await neighbour.browser.ok('mutation($t: ID!, $b: String!) { addComment(threadId: $t, body: $b) { id } }', {
    t: thread.createThread.id,
    b: `Je l’ai vu ce matin (${tag}, voisin).`,
  });
  const event = await me.browser.ok<{ createEvent: { id: string } }>(
    'mutation($i: EventInput!) { createEvent(input: $i) { id } }',
    {
      i: {
        kind: 'neighbours_day',
        title: `Fête des voisins (${tag})`,
        place: 'Square des Lilas',
        startsAt: soon(),
      },
    },
  );
  const theirEvent = await neighbour.browser.ok<{ createEvent: { id: string } }>(
    'mutation($i: EventInput!) { createEvent(input: $i) { id } }',
    { i: { kind: 'gathering', title: `Apéro (${tag}, voisin)`, place: 'Cour', startsAt: soon() } },
  );
  await me.browser.ok('mutation($e: ID!) { rsvpEvent(eventId: $e, answer: yes) { id } }', {
    e: theirEvent.createEvent.id,
  });
  await neighbour.browser.ok('mutation($e: ID!) { rsvpEvent(eventId: $e, answer: maybe) { id } }', {
    e: event.createEvent.id,
  });
  await me.browser.ok(
    'mutation($r: ID!, $b: String!) { sendPrivateMessage(recipientId: $r, body: $b) { id } }',
    { r: neighbour.accountId, b: `Bonjour voisin (${tag})` },
  );
  await neighbour.browser.ok(
    'mutation($r: ID!, $b: String!) { sendPrivateMessage(recipientId: $r, body: $b) { id } }',
    { r: me.accountId, b: `Réponse du voisin (${tag})` },
  );
  await me.browser.ok('mutation { setReferentCandidacy(wanted: true) { status } }');
  await me.browser.ok(
    'mutation($s: String!, $b: String!) { sendSupportRequest(subject: $s, body: $b) { id } }',
    { s: `Besoin d’aide (${tag})`, b: 'Je sors de l’hôpital, qui peut faire mes courses ?' },
  );
  const mine = await me.browser.ok<{ raiseNeighbourAlert: { alert: { id: string } } }>(RAISE, {
    i: {
      what: `Quelqu’un essaie les portières (${tag}).`,
      place: 'Parking des Lilas',
      vehicle: 'Fourgon blanc',
      plate: 'ab-123-cd',
      category: 'vehicule-reperage',
    },
  });
  const theirs = await neighbour.browser.ok<{ raiseNeighbourAlert: { alert: { id: string } } }>(RAISE, {
    i: {
      what: `Un démarchage insistant (${tag}, voisin).`,
      place: 'Rue des Lilas',
      category: 'vehicule-reperage',
    },
  });
  await me.browser.ok(REACT, { a: theirs.raiseNeighbourAlert.alert.id, k: 'seen_too' });
  await me.browser.ok(REACT, { a: theirs.raiseNeighbourAlert.alert.id, k: 'can_help' });
  await neighbour.browser.ok(REACT, { a: mine.raiseNeighbourAlert.alert.id, k: 'can_help' });
  // What has no API for a member of their own: a request validated by hand, an exclusion and its appeal, a report.
  await withTenant(ctx.ownerDb, w.tenant.id, async (trx) => {
    const community = (
      await trx('residences').where({ account_id: me.accountId, status: 'active' }).first('sector_id')
    ).sector_id as string;
    await trx('vv_membership_requests').insert({
      tenant_id: w.tenant.id,
      account_id: me.accountId,
      community_id: community,
      address_label: `3 bis impasse des Lilas (${tag})`,
      status: 'approved',
    });
    const [ex] = await trx('vv_exclusions')
      .insert({
        tenant_id: w.tenant.id,
        account_id: me.accountId,
        community_id: community,
        excluded_by: neighbour.accountId,
        reason: `Propos agressifs (${tag})`,
        status: 'reinstated',
      })
      .returning('id');
    await trx('vv_exclusion_appeals').insert({
      tenant_id: w.tenant.id,
      exclusion_id: ex.id,
      account_id: me.accountId,
      statement: `Je conteste (${tag})`,
      status: 'reinstated',
    });
    await trx('vv_reports').insert({
      tenant_id: w.tenant.id,
      community_id: community,
      content_type: 'thread',
      content_id: theirThread.createThread.id,
      reporter_id: me.accountId,
      reason: 'spam',
      details: `Publicité (${tag})`,
    });
  });
  return {
    threadId: thread.createThread.id,
    eventId: event.createEvent.id,
    alertId: mine.raiseNeighbourAlert.alert.id,
  };
}

function rowsOf(data: Exported, kind: string): Array<Record<string, unknown>> {
  const section = data.plugins['voisins-vigilants']?.sections[kind];
  if (!section) throw new Error(`no section ${kind} in the export`);
  return section.rows;
}

async function count(w: World, table: string, where: Record<string, unknown>): Promise<number> {
  return withTenant(ctx.ownerDb, w.tenant.id, async (trx) =>
    Number((await trx(table).where(where).count('* as n').first())?.n ?? 0),
  );
}

/** Every table of the plugin keyed on an account, with the column that names it. */
const ACCOUNT_COLUMNS: Array<[string, string]> = [
  ['vv_threads', 'author_id'],
  ['vv_comments', 'author_id'],
  ['vv_events', 'author_id'],
  ['vv_event_rsvps', 'account_id'],
  ['vv_messages', 'author_id'],
  ['vv_referent_candidacies', 'account_id'],
  ['vv_support_requests', 'author_id'],
  ['vv_support_messages', 'author_id'],
  ['vv_exclusions', 'account_id'],
  ['vv_exclusion_appeals', 'account_id'],
  ['vv_charter_acceptances', 'account_id'],
  ['vv_membership_requests', 'account_id'],
  ['vv_reports', 'reporter_id'],
  ['vv_alert_reports', 'author_id'],
  ['vv_alert_reactions', 'account_id'],
];

async function footprint(w: World, accountId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [table, column] of ACCOUNT_COLUMNS) out[table] = await count(w, table, { [column]: accountId });
  return out;
}

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe('RGPD export and erasure of the plugin’s data', () => {
  let w: World;
  let alice: Person;
  let bruno: Person;
  let alices: Awaited<ReturnType<typeof liveIn>>;
  let elsewhere: World;
  let chloe: Person;

  beforeAll(async () => {
    w = await commune();
    const lilas = await w.community('Lilas');
    alice = await w.member('Alice Export', lilas);
    bruno = await w.member('Bruno Voisin', lilas, { addressIndex: 2 });
    alices = await liveIn(w, alice, bruno, 'serris');
    // The commune next door, where the same things happen to other people.
    elsewhere = await commune();
    const roses = await elsewhere.community('Roses');
    chloe = await elsewhere.member('Chloé Ailleurs', roses);
    await liveIn(
      elsewhere,
      chloe,
      await elsewhere.member('Denis Ailleurs', roses, { addressIndex: 2 }),
      'ailleurs',
    );
  });

  it('exports every kind of the plugin’s data about the account, and nobody else’s', async () => {
    const out = await alice.browser.ok<{ exportMyData: { json: string; html: string } }>(EXPORT);
    const data = JSON.parse(out.exportMyData.json) as Exported;
    expect(data.plugins['voisins-vigilants']).toMatchObject({
      name: 'Voisins vigilants et solidaires',
      enabled: true,
    });

    expect(rowsOf(data, 'threads')).toEqual([
      expect.objectContaining({
        id: alices.threadId,
        title: 'Chat perdu (serris)',
        body: 'Mon chat tigré a disparu (serris).',
        hiddenAt: null,
      }),
    ]);
    expect(rowsOf(data, 'comments').map((r) => r.body)).toEqual(['J’en ai une (serris).']);
    expect(rowsOf(data, 'events')).toEqual([
      expect.objectContaining({
        id: alices.eventId,
        title: 'Fête des voisins (serris)',
        place: 'Square des Lilas',
      }),
    ]);
    // The organiser answers yes to their own event.
    expect(
      rowsOf(data, 'eventAnswers')
        .map((r) => [r.event, r.answer])
        .sort(),
    ).toEqual([
      ['Apéro (serris, voisin)', 'yes'],
      ['Fête des voisins (serris)', 'yes'],
    ]);
    expect(rowsOf(data, 'privateMessagesSent')).toEqual([
      expect.objectContaining({ to: 'Bruno Voisin', body: 'Bonjour voisin (serris)' }),
    ]);
    expect(rowsOf(data, 'referentCandidacy')).toEqual([expect.objectContaining({ status: 'active' })]);
    expect(rowsOf(data, 'supportRequests')).toEqual([
      expect.objectContaining({ subject: 'Besoin d’aide (serris)', status: 'open' }),
    ]);
    expect(rowsOf(data, 'supportMessages')).toEqual([
      expect.objectContaining({
        asReferent: false,
        body: 'Je sors de l’hôpital, qui peut faire mes courses ?',
      }),
    ]);
    expect(rowsOf(data, 'exclusions')).toEqual([
      expect.objectContaining({ reason: 'Propos agressifs (serris)', status: 'reinstated' }),
    ]);
    expect(rowsOf(data, 'exclusionAppeals')).toEqual([
      expect.objectContaining({ statement: 'Je conteste (serris)' }),
    ]);
    expect(rowsOf(data, 'charterAcceptances')).toEqual([expect.objectContaining({ version: '2025-1' })]);
    expect(rowsOf(data, 'membershipRequests')).toEqual([
      expect.objectContaining({ address: '3 bis impasse des Lilas (serris)' }),
    ]);
    expect(rowsOf(data, 'reports')).toEqual([
      expect.objectContaining({ reason: 'spam', details: 'Publicité (serris)' }),
    ]);
    expect(rowsOf(data, 'alerts')).toEqual([
      expect.objectContaining({
        alertId: alices.alertId,
        what: 'Quelqu’un essaie les portières (serris).',
        plate: 'AB-123-CD',
      }),
    ]);
    // The core side of the same alert: what the police received.
    expect(
      (data as Exported & { alertsRaised: Array<{ id: string }> }).alertsRaised.map((a) => a.id),
    ).toEqual([alices.alertId]);
    expect(
      rowsOf(data, 'alertReactions')
        .map((r) => r.reaction)
        .sort(),
    ).toEqual(['can_help', 'seen_too']);

    // Nothing of the neighbour's (their words, their contact details), nothing of the other commune.
    const text = out.exportMyData.json;
    for (const theirs of [
      'Qui a une échelle',
      'Je l’ai vu ce matin',
      'Réponse du voisin',
      'Un démarchage insistant',
      bruno.email,
      bruno.phone,
      'ailleurs',
      chloe.accountId,
    ])
      expect(text).not.toContain(theirs);
    // Nor who the neighbour is behind an id (the referent who excluded her, the one she wrote to).
    expect(JSON.stringify(data.plugins)).not.toContain(bruno.accountId);

    // The readable summary has the plugin's sections, and says what erasure would do.
    expect(out.exportMyData.html).toContain('<h2>Voisins vigilants et solidaires</h2>');
    expect(out.exportMyData.html).toContain('<h3>Discussions que vous avez ouvertes</h3>');
    expect(out.exportMyData.html).toContain('Chat perdu (serris)');
    expect(out.exportMyData.html).toContain(
      'À la suppression de votre compte : supprimées (elles contiennent votre adresse).',
    );
    expect(out.exportMyData.html).not.toContain('<script');
  });

  it('erases the account: what concerns only them goes, what neighbours rely on stays as « ancien membre »', async () => {
    const bruno0 = await footprint(w, bruno.accountId);
    const chloe0 = await footprint(elsewhere, chloe.accountId);
    expect(await footprint(w, alice.accountId)).toEqual({
      vv_threads: 1,
      vv_comments: 1,
      vv_events: 1,
      vv_event_rsvps: 2,
      vv_messages: 1,
      vv_referent_candidacies: 1,
      vv_support_requests: 1,
      vv_support_messages: 1,
      vv_exclusions: 1,
      vv_exclusion_appeals: 1,
      vv_charter_acceptances: 1,
      vv_membership_requests: 1,
      vv_reports: 1,
      vv_alert_reports: 1,
      vv_alert_reactions: 2,
    });

    await alice.browser.ok(DELETE, { p: PASSWORD });

    expect(await footprint(w, alice.accountId)).toEqual({
      // Kept: the thread and the comments under it, the event others answered, the message in Bruno's conversation, the police's alert record.
      vv_threads: 1,
      vv_comments: 1,
      vv_events: 1,
      vv_messages: 1,
      vv_reports: 1,
      vv_alert_reports: 1,
      vv_alert_reactions: 1,
      // Gone.
      vv_event_rsvps: 0,
      vv_referent_candidacies: 0,
      vv_support_requests: 0,
      vv_support_messages: 0,
      vv_exclusions: 0,
      vv_exclusion_appeals: 0,
      vv_charter_acceptances: 0,
      vv_membership_requests: 0,
    });
    expect(await count(w, 'vv_alert_reactions', { account_id: alice.accountId, kind: 'seen_too' })).toBe(1);
    // Nobody else lost anything: not the neighbour (their answer to her event, her thread's comments), not the other commune.
    expect(await footprint(w, bruno.accountId)).toEqual(bruno0);
    expect(await footprint(elsewhere, chloe.accountId)).toEqual(chloe0);

    // Neighbours still read the thread, now signed by a former member.
    const seen = await bruno.browser.ok<{
      threads: Array<{
        id: string;
        title: string;
        author: { displayName: string };
        comments: Array<{ body: string }>;
      }>;
    }>('{ threads { id title author { displayName } comments { body } } }');
    expect(seen.threads.find((t) => t.id === alices.threadId)).toMatchObject({
      title: 'Chat perdu (serris)',
      author: { displayName: 'ancien membre' },
      comments: [{ body: 'Je l’ai vu ce matin (serris, voisin).' }],
    });
  });
});

describe('a commune without the plugin', () => {
  it('still exports and erases what the plugin stored before the commune switched it off', async () => {
    const w = await commune();
    const tilleuls = await w.community('Tilleuls');
    const eve = await w.member('Ève Partie', tilleuls);
    const fred = await w.member('Fred Resté', tilleuls, { addressIndex: 2 });
    await liveIn(w, eve, fred, 'avant');
    await withTenant(ctx.operatorDb, w.tenant.id, (trx) =>
      trx('tenant_plugins').where({ plugin_id: 'voisins-vigilants' }).update({ enabled: false }),
    );

    const out = await eve.browser.ok<{ exportMyData: { json: string; html: string } }>(EXPORT);
    const data = JSON.parse(out.exportMyData.json) as Exported;
    expect(data.plugins['voisins-vigilants']?.enabled).toBe(false);
    expect(rowsOf(data, 'threads').map((r) => r.title)).toEqual(['Chat perdu (avant)']);
    expect(rowsOf(data, 'charterAcceptances')).toHaveLength(1);
    expect(out.exportMyData.html).toContain('Ce service n’est plus proposé par votre commune');

    await eve.browser.ok(DELETE, { p: PASSWORD });
    const after = await footprint(w, eve.accountId);
    expect(after).toMatchObject({
      vv_threads: 1,
      vv_charter_acceptances: 0,
      vv_event_rsvps: 0,
      vv_support_requests: 0,
      vv_referent_candidacies: 0,
      vv_membership_requests: 0,
    });
  });

  it('that never had it lists nothing of it', async () => {
    const w = await commune({ plugins: {} });
    const gaby = await w.account('Gaby Sans');
    const out = await gaby.browser.ok<{ exportMyData: { json: string; html: string } }>(EXPORT);
    const data = JSON.parse(out.exportMyData.json) as Exported;
    expect(data.plugins).toEqual({});
    expect(out.exportMyData.html).not.toContain('Voisins vigilants');
    // And erasing the account goes through the plugin's kinds without harm.
    await gaby.browser.ok(DELETE, { p: PASSWORD });
    expect(Object.values(await footprint(w, gaby.accountId)).every((n) => n === 0)).toBe(true);
  });
});
