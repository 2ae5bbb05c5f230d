import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { workflowId } from '@vigie/workflows/contracts';
import { EVENT_REMINDER_KIND, type EventReminderResult } from '../workflows/contracts.js';
import { codeOf, World, type Person } from '../testing/world.js';

let ctx: TestContext;
let world: World;
let lilas: Awaited<ReturnType<World['community']>>;
let organiser: Person;
let bob: Person;
let carol: Person;

// The shortest lead a commune may set is one hour: an event starting in one
// hour and a few seconds is reminded a few seconds from now, without touching
// the workflow's timers.
const SETTINGS = { 'voisins-vigilants': { eventReminderHours: 1 } };
const soon = (seconds: number) => new Date(Date.now() + 3_600_000 + seconds * 1000).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  world = await World.create(ctx, { plugins: SETTINGS });
  lilas = await world.community('Les Lilas');
  organiser = await world.member('Organisatrice', lilas);
  bob = await world.member('Bob', lilas);
  carol = await world.member('Carol', lilas);
});
afterAll(async () => ctx?.close());

const CREATE =
  'mutation($i: EventInput!) { createEvent(input: $i) { id kindLabel startsAt organiser { displayName } myRsvp } }';

async function createEvent(startsAt: string, title = 'Fête des voisins'): Promise<string> {
  const r = await organiser.browser.ok<{ createEvent: { id: string } }>(CREATE, {
    i: { kind: 'neighbours_day', title, place: 'Square des Lilas', startsAt },
  });
  return r.createEvent.id;
}

function reminderOutcome(w: World, eventId: string): Promise<EventReminderResult> {
  return ctx.temporal.client.workflow
    .getHandle(workflowId(w.tenant.slug, EVENT_REMINDER_KIND, eventId))
    .result() as Promise<EventReminderResult>;
}

async function reminders(
  p: Person,
  eventId?: string,
): Promise<Array<{ title: string; body: string; link: string }>> {
  const r = await p.browser.ok<{
    myNotifications: Array<{ kind: string; title: string; body: string; link: string }>;
  }>('{ myNotifications(limit: 100) { kind title body link } }');
  return r.myNotifications.filter(
    (n) => n.kind === 'voisins-vigilants.event_reminder' && (!eventId || n.link.endsWith(eventId)),
  );
}

describe('community events', () => {
  it('have a date, a place and RSVPs; the organiser comes by default', async () => {
    const id = await createEvent(inDays(10), 'Accueil des nouveaux');
    await bob.browser.ok(`mutation { rsvpEvent(eventId: "${id}", answer: maybe) { id } }`);
    await carol.browser.ok(`mutation { rsvpEvent(eventId: "${id}", answer: no) { id } }`);
    await carol.browser.ok(`mutation { rsvpEvent(eventId: "${id}", answer: yes) { id } }`);
    const seen = await bob.browser.ok<{
      communityEvent: {
        kindLabel: string;
        place: string;
        myRsvp: string;
        rsvpCounts: object;
        attendees: Array<{ displayName: string }>;
        organiser: { displayName: string };
      };
    }>(
      `{ communityEvent(id: "${id}") { kindLabel place myRsvp rsvpCounts { yes no maybe } attendees { displayName } organiser { displayName } } }`,
    );
    expect(seen.communityEvent).toEqual({
      kindLabel: 'Fête des voisins',
      place: 'Square des Lilas',
      myRsvp: 'maybe',
      rsvpCounts: { yes: 2, no: 0, maybe: 1 },
      attendees: [{ displayName: 'Carol' }, { displayName: 'Organisatrice' }],
      organiser: { displayName: 'Organisatrice' },
    });
    const page = await carol.browser.ok<{ myCommunity: { upcomingEvents: Array<{ id: string }> } }>(
      '{ myCommunity { upcomingEvents { id } } }',
    );
    expect(page.myCommunity.upcomingEvents.map((e) => e.id)).toContain(id);
    expect(
      codeOf(
        await bob.browser.gql(`mutation { updateEvent(id: "${id}", input: { place: "Chez moi" }) { id } }`),
      ),
    ).toBe('EVENT_NOT_ORGANISER');
    expect(
      codeOf(
        await organiser.browser.gql(CREATE, {
          i: {
            kind: 'welcome',
            title: 'Hier',
            place: 'Ici',
            startsAt: new Date(Date.now() - 60_000).toISOString(),
          },
        }),
      ),
    ).toBe('EVENT_IN_PAST');
    await organiser.browser.ok(
      `mutation { cancelEvent(id: "${id}", reason: "Pluie annoncée") { cancelled } }`,
    );
    expect(
      codeOf(await bob.browser.gql(`mutation { rsvpEvent(eventId: "${id}", answer: yes) { id } }`)),
    ).toBe('EVENT_CANCELLED');
    const told = await carol.browser.ok<{ myNotifications: Array<{ kind: string; body: string }> }>(
      '{ myNotifications { kind body } }',
    );
    expect(told.myNotifications.find((n) => n.kind === 'voisins-vigilants.event_cancelled')?.body).toContain(
      'Pluie annoncée',
    );
    expect(await reminderOutcome(world, id)).toEqual({ outcome: 'cancelled', recipients: 0 });
  });

  it('reminds those who answered yes or maybe when the reminder is due (durable workflow)', async () => {
    const id = await createEvent(soon(4));
    await bob.browser.ok(`mutation { rsvpEvent(eventId: "${id}", answer: maybe) { id } }`);
    await carol.browser.ok(`mutation { rsvpEvent(eventId: "${id}", answer: no) { id } }`);
    expect(await reminderOutcome(world, id)).toEqual({ outcome: 'sent', recipients: 2 });
    expect(await reminders(organiser, id)).toHaveLength(1);
    const [bobs] = await reminders(bob, id);
    expect(bobs?.title).toBe('Rappel : Fête des voisins');
    expect(bobs?.body).toContain('Square des Lilas');
    expect(await reminders(carol, id)).toEqual([]);
  });

  it('follows a new date: the sleeping workflow is woken and plans again', async () => {
    const id = await createEvent(inDays(3), 'Apéro déplacé');
    await bob.browser.ok(`mutation { rsvpEvent(eventId: "${id}", answer: yes) { id } }`);
    await new Promise((r) => setTimeout(r, 1500));
    await organiser.browser.ok(
      'mutation($id: ID!, $s: String!) { updateEvent(id: $id, input: { startsAt: $s }) { startsAt } }',
      { id, s: soon(3) },
    );
    const moved = await bob.browser.ok<{ myNotifications: Array<{ kind: string }> }>(
      '{ myNotifications { kind } }',
    );
    expect(moved.myNotifications.map((n) => n.kind)).toContain('voisins-vigilants.event_changed');
    expect(await reminderOutcome(world, id)).toEqual({ outcome: 'sent', recipients: 2 });
    expect(await reminders(bob, id)).toHaveLength(1);
  });

  it('does not remind for a commune that switched the plugin off', async () => {
    const other = await World.create(ctx, { plugins: SETTINGS });
    const community = await other.community('Les Roses');
    const host = await other.member('Hôte', community);
    const { createEvent: ev } = await host.browser.ok<{ createEvent: { id: string } }>(CREATE, {
      i: { kind: 'welcome', title: 'Bienvenue', place: 'Place des Roses', startsAt: soon(4) },
    });
    await withTenant(ctx.ownerDb, other.tenant.id, (trx) =>
      trx('tenant_plugins').where({ plugin_id: 'voisins-vigilants' }).update({ enabled: false }),
    );
    expect(await reminderOutcome(other, ev.id)).toEqual({ outcome: 'plugin_disabled', recipients: 0 });
    const stored = await withTenant(ctx.ownerDb, other.tenant.id, (trx) =>
      trx('in_app_notifications').where({ kind: 'voisins-vigilants.event_reminder' }).count('* as n').first(),
    );
    expect(Number(stored?.n)).toBe(0);
  });
});
