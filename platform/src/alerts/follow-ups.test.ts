// Follow-ups of an alert (« suite », « fin d'alerte ») and the delivery
// report's CSV, on the real workflow: each follow-up reaches exactly the
// accounts the first alert reached, plus its author, and a newcomer to the
// sector in between gets none; a « fin d'alerte » closes the alert once; who
// may post them; the CSV holds every row, with formula-like names defused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { staffBrowser } from '../testing/index.js';
import {
  createSectorRow,
  deliverAlert,
  RAISE,
  seedCommune,
  seedResident,
  startHarness,
  type Harness,
  type Person,
  type SeededCommunity,
} from './testing/harness.js';
import { csvCell } from './delivery-export.js';

let h: Harness;
let c: SeededCommunity;
let alice: Person;
let bruno: Person;
let carole: Person;
let alertId: string;

const DETAIL = /* GraphQL */ `
  query ($id: ID!) {
    alert(id: $id) {
      id
      status
      closure
      canFollowUp
      followUps {
        id
        kind
        text
        authorKind
      }
      history {
        status
        note
      }
    }
  }
`;
const FOLLOW_UP = `mutation ($id: ID!, $t: String!) { addAlertFollowUp(alertId: $id, text: $t) { id followUps { id kind } } }`;
const END = `mutation ($id: ID!, $t: String!, $c: AlertClosure) { endAlert(alertId: $id, text: $t, closure: $c) { id status closure followUps { id kind } } }`;

type Detail = {
  alert: {
    id: string;
    status: string;
    closure: string | null;
    canFollowUp: boolean;
    followUps: Array<{ id: string; kind: string; text: string; authorKind: string }>;
    history: Array<{ status: string; note: string | null }>;
  } | null;
};

async function recipientsOf(id: string): Promise<string[]> {
  const rows = (await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
    trx('deliveries').where({ alert_id: id, purpose: 'alert' }).distinct('account_id'),
  )) as Array<{ account_id: string }>;
  return rows.map((r) => r.account_id).sort();
}

beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
  c = await seedCommune(h.ctx);
  alice = await seedResident(h, c.tenant, c.sectorId, { channels: ['in_app'] });
  bruno = await seedResident(h, c.tenant, c.sectorId, { channels: ['in_app', 'email'] });
  const elsewhere = await createSectorRow(h.ctx.ownerDb, c.tenant.id, 'Gare');
  carole = await seedResident(h, c.tenant, elsewhere, { channels: ['in_app'] });
  // A display name a spreadsheet would run as a formula.
  await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
    trx('accounts').where({ id: bruno.id }).update({ display_name: '=HYPERLINK("http://x.test","Bruno")' }),
  );
  const r = await alice.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
    input: {
      category: 'vehicule-reperage',
      severity: 'important',
      text: 'Une camionnette fait le tour du quartier.',
    },
  });
  alertId = r.raiseAlert.id;
  await deliverAlert(h, c.tenant, alertId);
}, 300_000);
afterAll(async () => h?.close());

describe('follow-ups and « fin d’alerte »', () => {
  it('a follow-up reaches the first alert’s recipients and its author, not a newcomer, and is no alert of its own', async () => {
    const first = await recipientsOf(alertId);
    expect(first).toContain(bruno.id);
    expect(first).not.toContain(carole.id);
    expect(first).not.toContain(alice.id);
    // Dana moves in after the alert went out: the follow-up is not hers.
    const dana = await seedResident(h, c.tenant, c.sectorId, { channels: ['in_app'] });

    const posted = await c.police.browser.ok<{ addAlertFollowUp: { followUps: Array<{ id: string }> } }>(
      FOLLOW_UP,
      { id: alertId, t: 'Une patrouille est sur place, restez chez vous.' },
    );
    const followUpId = posted.addAlertFollowUp.followUps[0]!.id;
    await deliverAlert(h, c.tenant, followUpId);
    const reached = await recipientsOf(followUpId);
    expect(reached).toEqual([...first.filter((id) => id !== c.police.accountId), alice.id].sort());
    expect(reached).not.toContain(dana.id);

    // Alice (the author) reads it on her alert; it is not listed among the alerts.
    const seen = await alice.browser.ok<Detail>(DETAIL, { id: alertId });
    expect(seen.alert!.followUps).toEqual([
      {
        id: followUpId,
        kind: 'update',
        text: 'Une patrouille est sur place, restez chez vous.',
        authorKind: 'police',
      },
    ]);
    expect(seen.alert!.canFollowUp).toBe(false);
    const mine = await alice.browser.ok<{ myAlerts: { items: Array<{ id: string }> } }>(
      '{ myAlerts { items { id } } }',
    );
    expect(mine.myAlerts.items.map((a) => a.id)).toEqual([alertId]);
    const all = await c.police.browser.ok<{ alerts: { items: Array<{ id: string }> } }>(
      '{ alerts { items { id } } }',
    );
    expect(all.alerts.items.map((a) => a.id)).not.toContain(followUpId);
    // The in-app message says what it is.
    const inApp = await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('in_app_notifications').where({ account_id: bruno.id }).orderBy('created_at', 'desc').first('body'),
    );
    expect((inApp as { body: string }).body).toBe(
      "Suite de l'alerte : Une patrouille est sur place, restez chez vous.",
    );
  }, 120_000);

  it('who may: a resident, and the mairie on an alert it did not raise, are refused', async () => {
    const refused = await bruno.browser.gql(FOLLOW_UP, { id: alertId, t: 'Je peux aider.' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const mairie = await staffBrowser(h.ctx.app, h.ctx.db, c.tenant, 'mairie_admin');
    const other = await mairie.browser.gql(END, { id: alertId, t: 'Terminé.' });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await mairie.browser.ok<Detail>(DETAIL, { id: alertId })).alert!.canFollowUp).toBe(false);
    expect((await c.police.browser.ok<Detail>(DETAIL, { id: alertId })).alert!.canFollowUp).toBe(true);
    // Its own alert down, the mairie may follow up.
    const own = await mairie.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: {
        category: 'vehicule-reperage',
        severity: 'info',
        text: 'Travaux rue des Lilas.',
        target: { kind: 'commune' },
      },
    });
    const r = await mairie.browser.gql(FOLLOW_UP, {
      id: own.raiseAlert.id,
      t: 'Les travaux durent un jour de plus.',
    });
    expect(r.errors).toBeUndefined();
    const empty = await mairie.browser.gql(FOLLOW_UP, { id: own.raiseAlert.id, t: '   ' });
    expect(empty.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  }, 60_000);

  it('« fin d’alerte » closes the alert with its outcome, reaches the same people, and comes once', async () => {
    const ended = await c.police.browser.ok<{
      endAlert: { status: string; closure: string; followUps: Array<{ id: string; kind: string }> };
    }>(END, { id: alertId, t: 'Le véhicule a été contrôlé, tout va bien.', c: 'unfounded' });
    expect(ended.endAlert.status).toBe('closed');
    expect(ended.endAlert.closure).toBe('unfounded');
    const end = ended.endAlert.followUps.find((f) => f.kind === 'end')!;
    await deliverAlert(h, c.tenant, end.id);
    expect(await recipientsOf(end.id)).toEqual(await recipientsOf(ended.endAlert.followUps[0]!.id));
    const seen = await alice.browser.ok<Detail>(DETAIL, { id: alertId });
    expect(seen.alert!.status).toBe('closed');
    expect(seen.alert!.followUps.map((f) => f.kind)).toEqual(['update', 'end']);
    expect(seen.alert!.history.at(-1)!.status).toBe('closed');
    const again = await c.police.browser.gql(END, { id: alertId, t: 'Encore fini.' });
    expect(again.errors?.[0]?.extensions?.code).toBe('ALERT_FOLLOW_UP_INVALID');
    const more = await c.police.browser.gql(FOLLOW_UP, { id: alertId, t: 'Une suite de trop.' });
    expect(more.errors?.[0]?.extensions?.code).toBe('ALERT_FOLLOW_UP_INVALID');
    // A follow-up has no follow-up of its own.
    const nested = await c.police.browser.gql(FOLLOW_UP, { id: end.id, t: 'Suite de la suite.' });
    expect(nested.errors?.[0]?.extensions?.code).toBe('ALERT_FOLLOW_UP_INVALID');
  }, 120_000);
});

describe('the delivery report as CSV', () => {
  it('holds every row of the report, reasons in words, formula-like cells defused; staff only', async () => {
    const res = await c.police.browser.rest('GET', `/alerts/${alertId}/deliveries.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="diffusion-.+\.csv"$/);
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^destinataire;objet;canal;statut;code motif;motif;tentatives/);
    const total = await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('deliveries').where({ alert_id: alertId }).count('* as n').first(),
    );
    expect(lines.length - 1).toBe(Number((total as { n: number }).n));
    const brunoLines = lines.filter((l) => l.includes('HYPERLINK'));
    expect(brunoLines.length).toBeGreaterThan(0);
    for (const l of brunoLines) expect(l.startsWith(`"'=HYPERLINK(""http://x.test"",""Bruno"")"`)).toBe(true);
    // Nothing personal beyond the name: no email address.
    expect(res.body).not.toContain(bruno.email);

    expect((await bruno.browser.rest('GET', `/alerts/${alertId}/deliveries.csv`)).statusCode).toBe(403);
    const anonymous = await new (Object.getPrototypeOf(bruno.browser).constructor)(
      h.ctx.app,
      c.tenant.host,
    ).rest('GET', `/alerts/${alertId}/deliveries.csv`);
    expect([401, 403]).toContain(anonymous.statusCode);
    expect(
      (await c.police.browser.rest('GET', `/alerts/00000000-0000-4000-8000-000000000000/deliveries.csv`))
        .statusCode,
    ).toBe(404);
  });

  it('csvCell quotes separators and prefixes what a spreadsheet would run', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 6')).toBe("'+33 6");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('dit "x"')).toBe('"dit ""x"""');
    expect(csvCell('Alice')).toBe('Alice');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(null)).toBe('');
  });
});
