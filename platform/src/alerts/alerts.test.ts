// The alert model through the assembled app: who may raise what, triage and
// its history, what each role sees, live subscriptions, and alerts raised by
// SMS (signed Twilio webhooks). Delivery itself is in delivery.test.ts and
// features.test.ts; here no worker runs, the workflows just wait.
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_DELIVERY_KIND, workflowId } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { isOptedOut } from '../notifications/opt-outs.js';
import { Browser, createTenant, createTestAccount, staffBrowser, type TestTenant } from '../testing/index.js';
import {
  createSectorRow,
  PUBLIC_URL,
  RAISE,
  seedCommune,
  startHarness,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
let c: SeededCommunity;
let other: { tenant: TestTenant; police: Browser };
let secondSector: string;
const COMMUNE_NUMBER = '+33757000000';

async function resident(
  tenant: TestTenant,
  sectorId: string | null,
  opts: { phone?: string } = {},
): Promise<{ browser: Browser; id: string }> {
  const a = await createTestAccount(h.ctx.db, tenant.id, {
    phone: opts.phone ?? null,
    phoneVerified: !!opts.phone,
  });
  if (sectorId) {
    await withTenant(h.ctx.ownerDb, tenant.id, (trx) =>
      trx('residences').insert({
        tenant_id: tenant.id,
        account_id: a.id,
        sector_id: sectorId,
        address_label: '3 rue des Lilas',
        status: 'active',
        source: 'manual',
        activated_at: new Date(),
      }),
    );
  }
  const browser = new Browser(h.ctx.app, tenant.host);
  await browser.login(a.email);
  return { browser, id: a.id };
}

beforeAll(async () => {
  h = await startHarness();
  c = await seedCommune(h.ctx, { sms: { number: COMMUNE_NUMBER } });
  secondSector = await createSectorRow(h.ctx.ownerDb, c.tenant.id, 'Bois');
  const t = await createTenant(h.ctx.operatorDb);
  other = { tenant: t, police: (await staffBrowser(h.ctx.app, h.ctx.db, t, 'police_agent')).browser };
}, 120_000);
afterAll(async () => h?.close());

const ALERT_FIELDS =
  'id ref status closure severity text origin authorKind authorName targetKind targetSectorIds mine category { slug label } history { status closure note }';

describe('raising an alert', () => {
  it('lists the seeded categories of the commune', async () => {
    const r = await resident(c.tenant, c.sectorId);
    const { alertCategories } = await r.browser.ok<{
      alertCategories: Array<{ slug: string; label: string; defaultSeverity: string }>;
    }>('{ alertCategories { slug label defaultSeverity } }');
    expect(alertCategories.map((x) => x.slug)).toEqual([
      'vehicule-reperage',
      'individu-suspect',
      'demarchage-frauduleux',
      'ouverture-absence',
      'personne-agee',
      'animal-perdu',
      'incident',
      'information',
    ]);
    expect(alertCategories[3]).toMatchObject({
      label: 'Fenêtre ou porte ouverte en l’absence des occupants',
      defaultSeverity: 'important',
    });
  });

  it('lets a resident alert their own community, and shows them its status', async () => {
    const r = await resident(c.tenant, c.sectorId);
    const { raiseAlert } = await r.browser.ok<{ raiseAlert: Record<string, unknown> }>(
      `mutation ($i: RaiseAlertInput!) { raiseAlert(input: $i) { ${ALERT_FIELDS} } }`,
      {
        i: {
          category: 'individu-suspect',
          text: '  Un homme regarde dans les boîtes aux lettres.  ',
          location: { lon: 2.79, lat: 48.85 },
        },
      },
    );
    expect(raiseAlert).toMatchObject({
      status: 'received',
      severity: 'important',
      text: 'Un homme regarde dans les boîtes aux lettres.',
      origin: 'web',
      authorKind: 'resident',
      targetKind: 'community',
      targetSectorIds: [c.sectorId],
      mine: true,
      category: { slug: 'individu-suspect' },
      history: [{ status: 'received', closure: null, note: null }],
    });
    const mine = await r.browser.ok<{ myAlerts: { items: Array<{ id: string; status: string }> } }>(
      '{ myAlerts { items { id status } } }',
    );
    expect(mine.myAlerts.items).toEqual([{ id: raiseAlert.id, status: 'received' }]);
    // Raising started its delivery workflow, named after the commune and the alert.
    const d = await h.ctx.temporal.client.workflow
      .getHandle(workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, raiseAlert.id as string))
      .describe();
    expect(d.status.name).toBe('RUNNING');
  });

  it('refuses a resident another community, the whole commune, or no community at all', async () => {
    const r = await resident(c.tenant, c.sectorId);
    const raise = (b: Browser, target?: unknown) =>
      b.gql(RAISE, { input: { category: 'incident', text: 'Bruit suspect', ...(target ? { target } : {}) } });
    expect(
      (await raise(r.browser, { kind: 'sectors', sectorIds: [secondSector] })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await raise(r.browser, { kind: 'community', sectorIds: [secondSector] })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect((await raise(r.browser, { kind: 'commune' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const homeless = await resident(c.tenant, null);
    expect((await raise(homeless.browser)).errors?.[0]?.extensions?.code).toBe('ALERT_NO_COMMUNITY');
    expect(
      (await r.browser.gql(RAISE, { input: { category: 'ovni', text: 'x' } })).errors?.[0]?.extensions?.code,
    ).toBe('ALERT_CATEGORY_UNKNOWN');
    expect(
      (await r.browser.gql(RAISE, { input: { category: 'incident', text: 'x'.repeat(1001) } })).errors?.[0]
        ?.extensions?.code,
    ).toBe('ALERT_TEXT_INVALID');
    expect(
      (await r.browser.gql(RAISE, { input: { category: 'incident', text: '   ' } })).errors?.[0]?.extensions
        ?.code,
    ).toBe('ALERT_TEXT_INVALID');
  });

  it('lets the police alert chosen sectors or the whole commune', async () => {
    const sectors = await c.police.browser.ok<{ raiseAlert: Record<string, unknown> }>(RAISE, {
      input: {
        category: 'demarchage-frauduleux',
        severity: 'urgent',
        text: 'Faux agents des eaux signalés.',
        target: { kind: 'sectors', sectorIds: [c.sectorId, secondSector] },
      },
    });
    expect(sectors.raiseAlert).toMatchObject({
      authorKind: 'police',
      targetKind: 'sectors',
      severity: 'urgent',
      status: 'acknowledged',
    });
    const commune = await c.police.browser.ok<{ raiseAlert: Record<string, unknown> }>(RAISE, {
      input: { category: 'information', text: 'Marché de nuit samedi.', target: { kind: 'commune' } },
    });
    expect(commune.raiseAlert).toMatchObject({
      authorKind: 'police',
      targetKind: 'commune',
      severity: 'info',
    });
    const bad = await c.police.browser.gql(RAISE, {
      input: {
        category: 'incident',
        text: 'x',
        target: { kind: 'sectors', sectorIds: ['00000000-0000-4000-8000-000000000000'] },
      },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('ALERT_TARGET_INVALID');
  });

  it('still takes alerts when the commune is suspended', async () => {
    const t = await createTenant(h.ctx.operatorDb);
    const sector = await createSectorRow(h.ctx.ownerDb, t.id, 'Centre');
    const r = await resident(t, sector);
    await h.ctx.operatorDb('tenants').where({ id: t.id }).update({ status: 'suspended' });
    h.ctx.app.tenants.invalidate();
    const res = await r.browser.gql(RAISE, {
      input: { category: 'incident', text: 'Porte forcée au 3 rue des Lilas.' },
    });
    expect(res.errors).toBeUndefined();
    expect(
      (
        await r.browser.gql(
          'mutation { updateNotificationPreferences(input: { info: [in_app], important: [in_app], urgent: [in_app], quietHoursStart: "22:00", quietHoursEnd: "07:00", timezone: "Europe/Paris", digestInfo: false }) { info } }',
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe('TENANT_SUSPENDED');
  });
});

describe('triage', () => {
  it('moves an alert forward with its history, and the author sees each status but not the notes', async () => {
    const r = await resident(c.tenant, c.sectorId);
    const { raiseAlert } = await r.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: { category: 'incident', text: 'Voiture fracturée parking du stade.' },
    });
    const id = raiseAlert.id;
    expect(
      (await r.browser.gql('mutation ($id: ID!) { acknowledgeAlert(id: $id) { status } }', { id }))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');

    const ack = await c.police.browser.ok<{ acknowledgeAlert: { status: string } }>(
      'mutation ($id: ID!) { acknowledgeAlert(id: $id, note: "Patrouille prévenue") { status } }',
      { id },
    );
    expect(ack.acknowledgeAlert.status).toBe('acknowledged');
    // A second acknowledgement changes nothing.
    await c.police.browser.ok('mutation ($id: ID!) { acknowledgeAlert(id: $id) { status } }', { id });
    const set = (status: string, closure?: string) =>
      c.police.browser.gql<{ setAlertStatus: { status: string; closure: string | null } }>(
        'mutation ($id: ID!, $s: AlertStatus!, $c: AlertClosure) { setAlertStatus(id: $id, status: $s, closure: $c, note: "sur place") { status closure } }',
        {
          id,
          s: status,
          c: closure,
        },
      );
    expect((await set('closed')).errors?.[0]?.extensions?.code).toBe('ALERT_CLOSURE_REQUIRED');
    expect((await set('in_progress')).data?.setAlertStatus.status).toBe('in_progress');
    expect((await set('closed', 'solved')).data?.setAlertStatus).toEqual({
      status: 'closed',
      closure: 'solved',
    });
    expect((await set('in_progress')).errors?.[0]?.extensions?.code).toBe('ALERT_TRANSITION_INVALID');

    const seen = await r.browser.ok<{
      alert: { status: string; closure: string; history: Array<{ status: string; note: string | null }> };
    }>(`query ($id: ID!) { alert(id: $id) { status closure history { status note } } }`, { id });
    expect(seen.alert).toMatchObject({ status: 'closed', closure: 'solved' });
    expect(seen.alert.history.map((x) => x.status)).toEqual([
      'received',
      'acknowledged',
      'in_progress',
      'closed',
    ]);
    expect(seen.alert.history.every((x) => x.note === null)).toBe(true);
    const staffView = await c.police.browser.ok<{
      alert: { authorName: string; history: Array<{ note: string | null }> };
    }>(`query ($id: ID!) { alert(id: $id) { authorName history { note } } }`, { id });
    expect(staffView.alert.history[1]!.note).toBe('Patrouille prévenue');
    expect(staffView.alert.authorName).toBe('Voisin Test');
  });

  it('shows every alert of the commune to staff only, and nothing of another commune', async () => {
    const r = await resident(c.tenant, c.sectorId);
    expect((await r.browser.gql('{ alerts { items { id } } }')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const staff = await c.police.browser.ok<{ alerts: { items: Array<{ id: string; status: string }> } }>(
      '{ alerts(filter: { statuses: [received] }, limit: 100) { items { id status } } }',
    );
    expect(staff.alerts.items.length).toBeGreaterThan(0);
    expect(staff.alerts.items.every((a) => a.status === 'received')).toBe(true);
    const theirs = await other.police.ok<{ alerts: { items: unknown[] } }>('{ alerts { items { id } } }');
    expect(theirs.alerts.items).toEqual([]);
    const one = staff.alerts.items[0]!.id;
    expect(
      (await other.police.ok<{ alert: unknown }>('query ($id: ID!) { alert(id: $id) { id } }', { id: one }))
        .alert,
    ).toBeNull();
    // A neighbour who was not sent the alert does not see it either.
    expect(
      (await r.browser.ok<{ alert: unknown }>('query ($id: ID!) { alert(id: $id) { id } }', { id: one }))
        .alert,
    ).toBeNull();
  });
});

describe('live subscriptions', () => {
  let port: number;
  const clients: Client[] = [];
  beforeAll(async () => {
    await h.ctx.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.ctx.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (x) => x.dispose()));
  });

  function subscribe<T>(b: Browser, query: string): { received: T[]; ready: Promise<void> } {
    const headers = { host: b.host, cookie: b.cookie! };
    class HostWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: HostWebSocket,
      lazy: false,
      retryAttempts: 0,
    });
    clients.push(client);
    const received: T[] = [];
    let opened!: () => void;
    const ready = new Promise<void>((r) => (opened = r));
    client.on('connected', () => setTimeout(opened, 300));
    client.subscribe<T>(
      { query },
      { next: (v) => received.push(v.data as T), error: () => undefined, complete: () => undefined },
    );
    return { received, ready };
  }

  it('pushes every alert raised in the commune to staff, and status changes to the author', async () => {
    const r = await resident(c.tenant, c.sectorId);
    const staffFeed = subscribe<{ alertRaised: { text: string; category: { slug: string } } }>(
      c.police.browser,
      'subscription { alertRaised { text category { slug } } }',
    );
    const foreignFeed = subscribe<{ alertRaised: { text: string } }>(
      other.police,
      'subscription { alertRaised { text } }',
    );
    const authorFeed = subscribe<{ alertStatusChanged: { id: string; status: string } }>(
      r.browser,
      'subscription { alertStatusChanged { id status } }',
    );
    await Promise.all([staffFeed.ready, foreignFeed.ready, authorFeed.ready]);

    const { raiseAlert } = await r.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: { category: 'animal-perdu', text: 'Chat roux perdu, répond à Biscotte.' },
    });
    await expect.poll(() => staffFeed.received.length, { timeout: 10_000 }).toBe(1);
    expect(staffFeed.received[0]).toEqual({
      alertRaised: { text: 'Chat roux perdu, répond à Biscotte.', category: { slug: 'animal-perdu' } },
    });

    await c.police.browser.ok('mutation ($id: ID!) { acknowledgeAlert(id: $id) { status } }', {
      id: raiseAlert.id,
    });
    await expect.poll(() => authorFeed.received.length, { timeout: 10_000 }).toBe(1);
    expect(authorFeed.received[0]).toEqual({
      alertStatusChanged: { id: raiseAlert.id, status: 'acknowledged' },
    });
    expect(foreignFeed.received).toEqual([]);
  });

  it('refuses the staff feed to a resident', async () => {
    const r = await resident(c.tenant, c.sectorId);
    const headers = { host: r.browser.host, cookie: r.browser.cookie! };
    class HostWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: HostWebSocket,
      lazy: false,
      retryAttempts: 0,
    });
    clients.push(client);
    const it = client.iterate({ query: 'subscription { alertRaised { id } }' });
    // Subscription errors carry the catalogue's message (mercurius does not run the error formatter on them).
    await expect(it.next()).rejects.toSatisfy((e: unknown) =>
      JSON.stringify(e).includes("Vous n'avez pas la permission"),
    );
  });
});

describe('inbound SMS (POST /webhooks/twilio/inbound)', () => {
  const INBOUND = `${PUBLIC_URL}/webhooks/twilio/inbound`;
  const post = (req: { headers: Record<string, string>; body: string }) =>
    h.ctx.app.inject({
      method: 'POST',
      url: '/webhooks/twilio/inbound',
      headers: req.headers,
      payload: req.body,
    });
  const smsAlerts = (accountId: string) =>
    withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('alerts')
        .where({ author_account_id: accountId, origin: 'sms' })
        .select('id', 'body', 'target_sector_ids', 'severity'),
    );

  it('turns a text from a verified resident into an alert of their community, and acknowledges it by SMS', async () => {
    const r = await resident(c.tenant, c.sectorId, { phone: '+33611110001' });
    const res = await post(
      h.twilio.inbound(INBOUND, {
        from: '+33611110001',
        body: 'Deux hommes essaient d’ouvrir les voitures rue Jean Jaurès',
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    const alerts = await smsAlerts(r.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      body: 'Deux hommes essaient d’ouvrir les voitures rue Jean Jaurès',
      target_sector_ids: [c.sectorId],
      severity: 'important',
    });
    expect(res.body).toContain(`votre alerte ${alerts[0]!.id.slice(0, 8).toUpperCase()} est bien reçue`);
    const d = await h.ctx.temporal.client.workflow
      .getHandle(workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, alerts[0]!.id))
      .describe();
    expect(d.status.name).toBe('RUNNING');
  });

  it('refuses a forged request with 403 and creates nothing', async () => {
    const r = await resident(c.tenant, c.sectorId, { phone: '+33611110002' });
    const req = h.twilio.inbound(INBOUND, { from: '+33611110002', body: 'Cambriolage en cours' });
    const forged = await post({
      headers: { ...req.headers, 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
      body: req.body,
    });
    expect(forged.statusCode).toBe(403);
    const tampered = await post({ headers: req.headers, body: req.body.replace('Cambriolage', 'Incendie') });
    expect(tampered.statusCode).toBe(403);
    expect(await smsAlerts(r.id)).toEqual([]);
  });

  it('creates nothing twice when the same request is replayed', async () => {
    const r = await resident(c.tenant, c.sectorId, { phone: '+33611110003' });
    const req = h.twilio.inbound(INBOUND, { from: '+33611110003', body: 'Feu de poubelle devant l’école' });
    expect((await post(req)).statusCode).toBe(200);
    const again = await post(req);
    expect(again.statusCode).toBe(200);
    expect(await smsAlerts(r.id)).toHaveLength(1);
  });

  it('answers an unknown number politely, explaining how to register, and creates nothing', async () => {
    const before = await withTenant(h.ctx.db, c.tenant.id, (trx) => trx('alerts').count('* as n').first());
    const res = await post(h.twilio.inbound(INBOUND, { from: '+33699998888', body: 'Alerte !' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('inscrivez-vous sur');
    expect(res.body).toContain(`${c.tenant.slug}.`);
    const after = await withTenant(h.ctx.db, c.tenant.id, (trx) => trx('alerts').count('* as n').first());
    expect(after).toEqual(before);
  });

  it('honours STOP (and ARRÊT), then START', async () => {
    const r = await resident(c.tenant, c.sectorId, { phone: '+33611110004' });
    const optedOut = () => withTenant(h.ctx.db, c.tenant.id, (trx) => isOptedOut(trx, 'sms', '+33611110004'));
    const stop = await post(h.twilio.inbound(INBOUND, { from: '+33611110004', body: 'STOP' }));
    expect(stop.body).toContain('vous ne recevrez plus de SMS');
    expect(await optedOut()).toBe(true);
    const start = await post(h.twilio.inbound(INBOUND, { from: '+33611110004', body: 'start' }));
    expect(start.body).toContain('vous recevrez à nouveau');
    expect(await optedOut()).toBe(false);
    await post(h.twilio.inbound(INBOUND, { from: '+33611110004', body: 'Arrêt.' }));
    expect(await optedOut()).toBe(true);
    // Neither keyword became an alert.
    expect(await smsAlerts(r.id)).toEqual([]);
  });
});
