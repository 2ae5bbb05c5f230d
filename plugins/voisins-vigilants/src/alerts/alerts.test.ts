// Alerts from neighbours through GraphQL on the assembled app: the form, the
// bad inputs (each with its stable code, nothing half-written), the hourly
// budget held by the database, duplicates merged, reactions, and the
// community page. No worker runs here: delivery workflows start and wait
// (the journey test runs them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createTestContext, uniqueId, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { ALERT_DELIVERY_KIND, workflowId } from '@vigie/workflows/contracts';
import { codeOf, World, type Person } from '../testing/world.js';

let ctx: TestContext;
let w: World;
let lilas: Awaited<ReturnType<World['community']>>;
let roses: Awaited<ReturnType<World['community']>>;

const RAISE = `mutation($i: NeighbourAlertInput!) { raiseNeighbourAlert(input: $i) { merged alert { id status severity text targetKind targetSectorIds mine category { slug } } } }`;
const REACT = `mutation($a: ID!, $k: NeighbourReactionKind!) { reactToNeighbourAlert(alertId: $a, kind: $k) { id reactions { seenToo canHelp mine } } }`;

interface Raised {
  raiseNeighbourAlert: {
    merged: boolean;
    alert: {
      id: string;
      status: string;
      severity: string;
      text: string;
      targetKind: string;
      targetSectorIds: string[];
      mine: boolean;
      category: { slug: string };
    };
  };
}

const input = (over: Record<string, unknown> = {}) => ({
  what: 'Une personne essaie les poignées des portières, voiture après voiture.',
  place: 'Parking de la rue des Lilas',
  vehicle: 'Fourgon blanc, sans logo',
  plate: 'ab-123-cd',
  category: 'vehicule-reperage',
  ...over,
});

function count(table: string, where: Record<string, unknown> = {}): Promise<number> {
  return withTenant(ctx.ownerDb, w.tenant.id, async (trx) =>
    Number((await trx(table).where(where).count('* as n').first())?.n ?? 0),
  );
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined as T);
    if ((v !== undefined && ok(v)) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  w = await World.create(ctx, { plugins: { 'voisins-vigilants': { alertsPerHour: 10 } } });
  await ctx
    .operatorDb('tenants')
    .where({ id: w.tenant.id })
    .update({
      settings: JSON.stringify({
        police: {
          phone: '01 60 43 27 15',
          email: 'pm@example.test',
          hours: 'Du lundi au samedi, 8 h - 20 h',
          address: { street: '1 place de la Mairie', postalCode: '77700', city: 'Serris' },
        },
      }),
    });
  lilas = await w.community('Lilas');
  roses = await w.community('Roses');
});
afterAll(async () => ctx?.close());

describe('the alert form', () => {
  it('asks about behaviour first, warns against accusing anyone, and shows 17, the police municipale and 112, in French or English', async () => {
    const p = await w.member('Paula', lilas);
    const q = `query($l: NeighbourAlertLocale) { neighbourAlertForm(locale: $l) { locale emergency warning urgentConfirmation policeEmergencyNumber europeanEmergencyNumber europeanEmergency policeMunicipale { phone hours } fields { name maxLength required } categories { slug } alertsPerHour alertsLeftThisHour mergeWindowMinutes } }`;
    const { neighbourAlertForm: fr } = await p.browser.ok<{
      neighbourAlertForm: Record<string, unknown> & {
        fields: Array<{ name: string; maxLength: number | null }>;
        warning: string;
        categories: Array<{ slug: string }>;
      };
    }>(q);
    expect(fr).toMatchObject({
      locale: 'fr',
      emergency: 'Danger immédiat ? Appelez le 17',
      policeEmergencyNumber: '17',
      europeanEmergencyNumber: '112',
      policeMunicipale: { phone: '01 60 43 27 15', hours: 'Du lundi au samedi, 8 h - 20 h' },
      alertsPerHour: 10,
      alertsLeftThisHour: 10,
      mergeWindowMinutes: 10,
    });
    expect(fr.warning).toMatch(/Ne nommez et n[’']accusez personne/);
    expect(fr.warning).toMatch(/ni l’apparence ni l’origine/);
    expect(fr.fields.map((f) => f.name)).toEqual([
      'what',
      'place',
      'seenAt',
      'vehicle',
      'plate',
      'category',
      'severity',
      'photo',
    ]);
    expect(fr.fields[0]).toMatchObject({ name: 'what', maxLength: 500 });
    // Nothing in the form asks what a person looks like or where they come from.
    expect(fr.fields.map((f) => f.name).join(' ')).not.toMatch(
      /appearance|origin|apparence|tenue|taille|age/i,
    );
    expect(fr.categories.map((c) => c.slug)).toContain('vehicule-reperage');

    const { neighbourAlertForm: en } = await p.browser.ok<{
      neighbourAlertForm: { emergency: string; warning: string; europeanEmergency: string };
    }>(q, { l: 'en' });
    expect(en.emergency).toBe('Immediate danger? Call 17');
    expect(en.warning).toMatch(/Do not name or accuse anyone/);
    expect(en.europeanEmergency).toContain('112');
  });
});

describe('raising an alert from neighbours', () => {
  let author: Person;

  beforeAll(async () => {
    author = await w.member('Aline', lilas);
  });

  it('carries its author’s own photo (uploaded first, as the form says), never someone else’s, and never merges it away', async () => {
    // A minimal JPEG: SOI, a quantisation table, a frame header, one scan, EOI.
    const seg = (m: number, p: number[]) => [0xff, m, 0, p.length + 2, ...p];
    const jpeg = Buffer.from([
      0xff,
      0xd8,
      ...seg(0xdb, Array(65).fill(1)),
      ...seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
      ...seg(0xda, [1, 1, 0, 0, 63, 0]),
      0x12,
      0x34,
      0xff,
      0xd9,
    ]);
    const upload = async (p: Person) => {
      const boundary = `----vv${uniqueId()}`;
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        jpeg,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await p.browser.app.inject({
        method: 'POST',
        url: '/alerts/photos',
        headers: {
          host: p.browser.host,
          cookie: p.browser.cookie!,
          'x-csrf-token': p.browser.csrfToken!,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { photoKey: string }).photoKey;
    };
    const form = await author.browser.ok<{
      neighbourAlertForm: { photo: { uploadUrl: string; acceptedTypes: string[]; maxBytes: number } };
    }>('{ neighbourAlertForm { photo { uploadUrl acceptedTypes maxBytes help } } }');
    expect(form.neighbourAlertForm.photo).toMatchObject({
      uploadUrl: '/alerts/photos',
      acceptedTypes: ['image/jpeg', 'image/png'],
      maxBytes: 10 * 1024 * 1024,
    });

    const photographer = await w.member('Paul', lilas);
    const neighbour = await w.member('Nina', lilas);
    const theirs = await upload(neighbour);
    const reports = await count('vv_alert_reports', { author_id: photographer.accountId });
    expect(
      codeOf(await photographer.browser.gql(RAISE, { i: input({ category: 'incident', photoKey: theirs }) })),
    ).toBe('ALERT_PHOTO_INVALID');
    expect(await count('vv_alert_reports', { author_id: photographer.accountId })).toBe(reports);

    const first = await photographer.browser.ok<Raised>(RAISE, { i: input({ category: 'incident' }) });
    const mine = await upload(photographer);
    const WITH_PHOTO = `mutation($i: NeighbourAlertInput!) { raiseNeighbourAlert(input: $i) { merged alert { id photoUrl } } }`;
    const r = await photographer.browser.ok<{
      raiseNeighbourAlert: { merged: boolean; alert: { id: string; photoUrl: string | null } };
    }>(WITH_PHOTO, { i: input({ category: 'incident', photoKey: mine }) });
    expect(r.raiseNeighbourAlert.merged).toBe(false);
    expect(r.raiseNeighbourAlert.alert.id).not.toBe(first.raiseNeighbourAlert.alert.id);
    const photo = await photographer.browser.app.inject({
      method: 'GET',
      url: r.raiseNeighbourAlert.alert.photoUrl!,
      headers: { host: photographer.browser.host, cookie: photographer.browser.cookie! },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
  });

  it('alerts the author’s own community through the core alert model and starts its delivery; the plate stays with the police', async () => {
    const r = await author.browser.ok<Raised>(RAISE, { i: input() });
    const a = r.raiseNeighbourAlert.alert;
    expect(r.raiseNeighbourAlert.merged).toBe(false);
    expect(a).toMatchObject({
      status: 'received',
      severity: 'important',
      targetKind: 'community',
      targetSectorIds: [lilas.id],
      mine: true,
      category: { slug: 'vehicule-reperage' },
    });
    expect(a.text).toContain('Une personne essaie les poignées');
    expect(a.text).toContain('Où : Parking de la rue des Lilas');
    expect(a.text).toContain('Véhicule : Fourgon blanc');
    expect(a.text).not.toContain('AB-123-CD');

    const d = await eventually(
      () =>
        ctx.temporal.client.workflow
          .getHandle(workflowId(w.tenant.slug, ALERT_DELIVERY_KIND, a.id))
          .describe(),
      (x) => !!x,
    );
    expect(d?.status.name).toBe('RUNNING');

    const police = await w.staff('police_agent');
    const seen = await police.browser.ok<{
      alert: { neighbourReport: Record<string, unknown>; authorName: string };
    }>(
      `query($id: ID!) { alert(id: $id) { authorName neighbourReport { what place vehicle plate called17 mergedReports } } }`,
      { id: a.id },
    );
    expect(seen.alert).toMatchObject({
      authorName: 'Aline',
      neighbourReport: {
        place: 'Parking de la rue des Lilas',
        plate: 'AB-123-CD',
        called17: false,
        mergedReports: 0,
      },
    });
  });

  it('merges a duplicate of the same category within 10 minutes, and raises a new alert after', async () => {
    const p = await w.member('Mehdi', lilas);
    const first = (
      await p.browser.ok<Raised>(RAISE, {
        i: input({
          category: 'demarchage-frauduleux',
          what: 'Deux démarcheurs proposent de vérifier les compteurs.',
        }),
      })
    ).raiseNeighbourAlert;
    const again = (
      await p.browser.ok<Raised>(RAISE, {
        i: input({ category: 'demarchage-frauduleux', what: 'Ils sonnent maintenant au numéro 12.' }),
      })
    ).raiseNeighbourAlert;
    expect(again.merged).toBe(true);
    expect(again.alert.id).toBe(first.alert.id);
    expect(again.alert.text).toMatch(/Complément \(\d\d:\d\d\) : Ils sonnent maintenant au numéro 12\./);
    expect(await count('alerts', { author_account_id: p.accountId })).toBe(1);

    // Another category is another alert.
    const other = (
      await p.browser.ok<Raised>(RAISE, {
        i: input({ category: 'incident', what: 'Un lampadaire est tombé sur le trottoir.' }),
      })
    ).raiseNeighbourAlert;
    expect(other.merged).toBe(false);

    // Eleven minutes later, the same category is a new alert with its own delivery.
    await withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
      trx('alerts')
        .where({ id: first.alert.id })
        .update({ created_at: trx.raw(`now() - interval '11 minutes'`) }),
    );
    const later = (
      await p.browser.ok<Raised>(RAISE, {
        i: input({ category: 'demarchage-frauduleux', what: 'Les démarcheurs reviennent.' }),
      })
    ).raiseNeighbourAlert;
    expect(later.merged).toBe(false);
    expect(later.alert.id).not.toBe(first.alert.id);
    expect(await count('alerts', { author_account_id: p.accountId })).toBe(3);

    const police = await w.staff('police_chief');
    const seen = await police.browser.ok<{ alert: { neighbourReport: { mergedReports: number } } }>(
      `query($id: ID!) { alert(id: $id) { neighbourReport { mergedReports } } }`,
      { id: first.alert.id },
    );
    expect(seen.alert.neighbourReport.mergedReports).toBe(1);
  });

  it('refuses an urgent alert until the author confirms they called, or will call, 17', async () => {
    const p = await w.member('Ugo', lilas);
    const urgent = await p.browser.gql(RAISE, { i: input({ category: 'incident', severity: 'urgent' }) });
    expect(codeOf(urgent)).toBe('NEIGHBOUR_ALERT_CALL_17_REQUIRED');
    // A category that is urgent by default asks the same.
    expect(
      codeOf(
        await p.browser.gql(RAISE, {
          i: input({ category: 'personne-agee', what: 'Notre voisine ne répond plus depuis deux jours.' }),
        }),
      ),
    ).toBe('NEIGHBOUR_ALERT_CALL_17_REQUIRED');
    expect(
      codeOf(
        await p.browser.gql(RAISE, {
          i: input({ category: 'incident', severity: 'urgent', called17: false }),
        }),
      ),
    ).toBe('NEIGHBOUR_ALERT_CALL_17_REQUIRED');
    expect(await count('alerts', { author_account_id: p.accountId })).toBe(0);
    expect(await count('vv_alert_reports', { author_id: p.accountId })).toBe(0);

    const ok = await p.browser.ok<Raised>(RAISE, {
      i: input({ category: 'incident', severity: 'urgent', called17: true }),
    });
    expect(ok.raiseNeighbourAlert.alert.severity).toBe('urgent');
  });

  it('refuses free text that is too long, a date in the future, a malformed plate and an unknown category, storing nothing', async () => {
    const p = await w.member('Léa', lilas);
    const long = await p.browser.gql(RAISE, { i: input({ what: 'x'.repeat(501) }) });
    expect(codeOf(long)).toBe('VALIDATION_FAILED');
    expect(long.errors?.[0]?.extensions?.details).toMatchObject({ issues: [{ path: '/what' }] });
    expect(long.errors?.[0]?.message).toContain('500 caractères');

    const future = await p.browser.gql(RAISE, {
      i: input({ seenAt: new Date(Date.now() + 3_600_000).toISOString() }),
    });
    expect(future.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: '/seenAt' }] },
    });
    expect(codeOf(await p.browser.gql(RAISE, { i: input({ plate: 'AB-123-CD; DROP' }) }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(await p.browser.gql(RAISE, { i: input({ category: 'inconnue' }) }))).toBe(
      'ALERT_CATEGORY_UNKNOWN',
    );
    expect(await count('alerts', { author_account_id: p.accountId })).toBe(0);
    expect(await count('vv_alert_reports', { author_id: p.accountId })).toBe(0);
  });

  it('refuses residents who are not members, and members who have not accepted the charter', async () => {
    const outsider = await w.account('Sans adresse');
    expect(codeOf(await outsider.browser.gql(RAISE, { i: input() }))).toBe('NOT_A_MEMBER');
    const newcomer = await w.member('Nouveau', lilas, { charter: false });
    expect(codeOf(await newcomer.browser.gql(RAISE, { i: input() }))).toBe('CHARTER_NOT_ACCEPTED');
  });
});

describe('the hourly budget', () => {
  it('holds in the database, even for requests sent at once', async () => {
    const strict = await World.create(ctx, { plugins: { 'voisins-vigilants': { alertsPerHour: 2 } } });
    const c = await strict.community('Tilleuls');
    const p = await strict.member('Rapide', c);
    // Three different categories, so that none is merged: only the budget decides.
    const results = await Promise.all(
      ['incident', 'vehicule-reperage', 'demarchage-frauduleux'].map((category) =>
        p.browser.gql(RAISE, { i: input({ category, what: `Signalement ${category}` }) }),
      ),
    );
    const codes = results.map((r) => codeOf(r) ?? 'ok').sort();
    expect(codes).toEqual(['NEIGHBOUR_ALERT_RATE_LIMITED', 'ok', 'ok']);
    const limited = results.find((r) => codeOf(r))!;
    expect(limited.errors?.[0]?.extensions?.details).toEqual({ perHour: 2 });
    expect(limited.errors?.[0]?.message).toContain('appelez le 17');
    const alerts = await withTenant(ctx.ownerDb, strict.tenant.id, async (trx) =>
      Number((await trx('alerts').count('* as n').first())?.n),
    );
    expect(alerts).toBe(2);

    const { neighbourAlertForm } = await p.browser.ok<{ neighbourAlertForm: { alertsLeftThisHour: number } }>(
      '{ neighbourAlertForm { alertsLeftThisHour } }',
    );
    expect(neighbourAlertForm.alertsLeftThisHour).toBe(0);

    // An hour later the budget is back.
    await withTenant(ctx.ownerDb, strict.tenant.id, (trx) =>
      trx('vv_alert_reports').update({ created_at: trx.raw(`now() - interval '61 minutes'`) }),
    );
    expect(
      codeOf(
        await p.browser.gql(RAISE, {
          i: input({ category: 'information', what: 'Tout est revenu au calme.' }),
        }),
      ),
    ).toBeUndefined();
  });
});

describe('a suspended commune', () => {
  it('still lets residents alert (the police must hear them), but not react', async () => {
    const suspended = new World(
      ctx,
      await createTenant(ctx.operatorDb, {
        slug: uniqueId('vvs'),
        status: 'suspended',
        plugins: { 'voisins-vigilants': {} },
      }),
    );
    const c = await suspended.community('Acacias');
    // The charter is accepted from before the suspension (accepting it now is a write the suspension refuses).
    const [author, neighbour] = [
      await suspended.member('Avant', c, { charter: false }),
      await suspended.member('Après', c, { charter: false }),
    ];
    await withTenant(ctx.ownerDb, suspended.tenant.id, (trx) =>
      trx('vv_charter_acceptances').insert(
        [author, neighbour].map((p) => ({
          tenant_id: suspended.tenant.id,
          account_id: p.accountId,
          version: '2025-1',
        })),
      ),
    );
    const raised = await author.browser.ok<Raised>(RAISE, { i: input() });
    expect(raised.raiseNeighbourAlert.alert.status).toBe('received');
    expect(
      codeOf(await neighbour.browser.gql(REACT, { a: raised.raiseNeighbourAlert.alert.id, k: 'seen_too' })),
    ).toBe('TENANT_SUSPENDED');
  });
});

describe('reactions from neighbours', () => {
  let author: Person;
  let alertId: string;

  beforeAll(async () => {
    author = await w.member('Odile', lilas);
    alertId = (
      await author.browser.ok<Raised>(RAISE, {
        i: input({
          category: 'ouverture-absence',
          what: 'La porte du garage du 4 est ouverte, les voisins sont en vacances.',
        }),
      })
    ).raiseNeighbourAlert.alert.id;
  });

  it('lets neighbours of the community answer once per kind, tells the author, and shows the police who answered', async () => {
    const n1 = await w.member('Nina', lilas);
    const n2 = await w.member('Hugo', lilas);
    const r = await n1.browser.ok<{
      reactToNeighbourAlert: { reactions: { seenToo: number; canHelp: number; mine: string[] } };
    }>(REACT, { a: alertId, k: 'seen_too' });
    expect(r.reactToNeighbourAlert.reactions).toEqual({ seenToo: 1, canHelp: 0, mine: ['seen_too'] });
    // Again changes nothing, and does not tell the author twice.
    await n1.browser.ok(REACT, { a: alertId, k: 'seen_too' });
    await n1.browser.ok(REACT, { a: alertId, k: 'can_help' });
    const last = await n2.browser.ok<{
      reactToNeighbourAlert: { reactions: { seenToo: number; canHelp: number; mine: string[] } };
    }>(REACT, { a: alertId, k: 'can_help' });
    expect(last.reactToNeighbourAlert.reactions).toEqual({ seenToo: 1, canHelp: 2, mine: ['can_help'] });

    const notes = await withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
      trx('in_app_notifications')
        .where({ account_id: author.accountId })
        .whereLike('kind', 'voisins-vigilants.alert.%')
        .orderBy('created_at')
        .select('kind', 'title', 'body'),
    );
    expect(notes.map((n: { kind: string }) => n.kind)).toEqual([
      'voisins-vigilants.alert.seen_too',
      'voisins-vigilants.alert.can_help',
      'voisins-vigilants.alert.can_help',
    ]);
    expect(notes[0]).toMatchObject({ title: 'Un voisin a vu aussi' });
    expect(notes[0].body).toContain('Nina');

    const police = await w.staff('police_agent');
    const view = await police.browser.ok<{
      alert: {
        reactions: {
          seenToo: number;
          canHelp: number;
          neighbours: Array<{ kind: string; neighbour: { displayName: string } }>;
        };
      };
    }>(
      `query($id: ID!) { alert(id: $id) { reactions { seenToo canHelp neighbours { kind neighbour { displayName } } } } }`,
      { id: alertId },
    );
    expect(view.alert.reactions.neighbours.map((x) => `${x.neighbour.displayName}:${x.kind}`)).toEqual([
      'Nina:seen_too',
      'Nina:can_help',
      'Hugo:can_help',
    ]);

    // The author sees who answered; the neighbours see counts only.
    const mine = await author.browser.ok<{ alert: { reactions: { neighbours: unknown[] | null } } }>(
      `query($id: ID!) { alert(id: $id) { reactions { neighbours { kind } } } }`,
      { id: alertId },
    );
    expect(mine.alert.reactions.neighbours).toHaveLength(3);
  });

  it('tells an author who chose English in English', async () => {
    const ann = await w.member('Ann', lilas);
    await withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
      trx('accounts').where({ id: ann.accountId }).update({ locale: 'en' }),
    );
    const hers = (
      await ann.browser.ok<Raised>(RAISE, {
        i: input({ category: 'ouverture-absence', what: 'Le portail du 9 bat au vent depuis ce matin.' }),
      })
    ).raiseNeighbourAlert.alert.id;
    const nino = await w.member('Nino', lilas);
    await nino.browser.ok(REACT, { a: hers, k: 'seen_too' });
    const notes = await withTenant(ctx.ownerDb, w.tenant.id, (trx) =>
      trx('in_app_notifications')
        .where({ account_id: ann.accountId, kind: 'voisins-vigilants.alert.seen_too' })
        .select('title', 'body'),
    );
    expect(notes).toEqual([
      {
        title: 'A neighbour saw it too',
        body: `Nino also saw what you reported (alert ${hers.slice(0, 8).toUpperCase()}).`,
      },
    ]);
  });

  it('refuses an alert of another community (as not found), non-members, the author and a closed alert', async () => {
    const elsewhere = await w.member('Rosa', roses);
    expect(codeOf(await elsewhere.browser.gql(REACT, { a: alertId, k: 'seen_too' }))).toBe(
      'NEIGHBOUR_ALERT_NOT_FOUND',
    );
    const outsider = await w.account('Passant');
    expect(codeOf(await outsider.browser.gql(REACT, { a: alertId, k: 'seen_too' }))).toBe('NOT_A_MEMBER');
    expect(codeOf(await author.browser.gql(REACT, { a: alertId, k: 'can_help' }))).toBe(
      'NEIGHBOUR_ALERT_OWN',
    );
    // Something that cannot be an id is refused at the boundary, before any query.
    expect(codeOf(await elsewhere.browser.gql(REACT, { a: 'not-an-id', k: 'seen_too' }))).toBe(
      'VALIDATION_FAILED',
    );

    const police = await w.staff('police_agent');
    await police.browser.ok(
      `mutation($id: ID!) { setAlertStatus(id: $id, status: closed, closure: solved) { status } }`,
      { id: alertId },
    );
    const late = await w.member('Tardif', lilas);
    expect(codeOf(await late.browser.gql(REACT, { a: alertId, k: 'seen_too' }))).toBe(
      'NEIGHBOUR_ALERT_CLOSED',
    );
    expect(await count('vv_alert_reactions', { account_id: elsewhere.accountId })).toBe(0);
  });
});

describe('the community page', () => {
  it('shows the latest alerts with the author’s display name only', async () => {
    const c = await w.community('Glycines');
    const author = await w.member('Bérénice', c);
    const neighbour = await w.member('Igor', c);
    const raised = (
      await author.browser.ok<Raised>(RAISE, {
        i: input({ category: 'incident', what: 'Un arbre bloque le chemin piéton.' }),
      })
    ).raiseNeighbourAlert.alert;
    await neighbour.browser.ok(REACT, { a: raised.id, k: 'can_help' });
    const { myCommunity } = await neighbour.browser.ok<{
      myCommunity: { latestAlerts: Array<Record<string, unknown>> };
    }>(
      '{ myCommunity { latestAlerts { id ref text status authorKind author { id displayName } mine canHelp seenToo category { slug } } } }',
    );
    expect(myCommunity.latestAlerts).toEqual([
      {
        id: raised.id,
        ref: raised.id.slice(0, 8).toUpperCase(),
        text: raised.text,
        status: 'received',
        authorKind: 'resident',
        author: { id: author.accountId, displayName: 'Bérénice' },
        mine: false,
        canHelp: 1,
        seenToo: 0,
        category: { slug: 'incident' },
      },
    ]);
    const json = JSON.stringify(myCommunity);
    expect(json).not.toContain(author.email);
    expect(json).not.toContain(author.phone);
    expect(json).not.toContain(author.address!);
  });
});
