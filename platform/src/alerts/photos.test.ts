// Alert photos: the metadata filters on hand-built files, then the assembled
// app: uploads (what is refused leaves no row and no file), attaching a photo
// only to its own author's alert, and who gets a working link. No worker runs:
// a recipient is recorded the way the delivery workflow records one.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { readAll, tenantFiles } from '../files/index.js';
import { ImageMetadataError, stripJpegMetadata, stripPngMetadata } from '../files/image-metadata.js';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { filesOnDisk, multipartBody } from '../residents/testing/commune.js';
import { photoUrl, purgeUnattachedPhotos, UNATTACHED_PHOTO_TTL_MS } from './photos.js';
import { eraseAccount, exportHtml, exportPersonalData } from '../residents/rgpd.js';
import { residentsServices } from '../residents/hooks.js';

// --- Hand-built images: real segment and chunk structure, tiny payloads.

function segment(marker: number, payload: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, marker]), len, payload]);
}
const GPS = 'GPSLatitude 48.856614 N GPSLongitude 2.352222 E';
const JFIF = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'));
const EXIF = segment(
  0xe1,
  Buffer.concat([Buffer.from('Exif\0\0MM\0*', 'latin1'), Buffer.from(`${GPS} Make Apple iPhone`, 'latin1')]),
);
const XMP = segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:${GPS}/>`, 'latin1'));
const COMMENT = segment(0xfe, Buffer.from('12 rue des Lilas', 'latin1'));
const DQT = segment(0xdb, Buffer.alloc(65, 1));
const SOF0 = segment(0xc0, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0]));
const DHT = segment(0xc4, Buffer.alloc(29, 2));
// Scan data with a stuffed 0xFF00 and a restart marker, which are not segment boundaries.
const SCAN = Buffer.concat([
  segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
  Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]),
]);
const EOI = Buffer.from([0xff, 0xd9]);

function jpeg(parts: Buffer[], trailer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...parts, SCAN, EOI, trailer]);
}
const PHONE_JPEG = jpeg([JFIF, EXIF, XMP, COMMENT, DQT, SOF0, DHT], Buffer.from(`trailing ${GPS}`));
const CLEAN_JPEG = jpeg([JFIF, DQT, SOF0, DHT]);

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4, 0xcc)]);
}
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR = chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
const IDAT = chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1]));
const IEND = chunk('IEND', Buffer.alloc(0));
const PHONE_PNG = Buffer.concat([
  PNG_SIG,
  IHDR,
  chunk('tEXt', Buffer.from(`Comment\0${GPS}`, 'latin1')),
  chunk('eXIf', Buffer.from(`MM\0*${GPS}`, 'latin1')),
  chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
  IDAT,
  IEND,
  Buffer.from('extra'),
]);

describe('metadata filters', () => {
  it('drop EXIF, XMP and comments from a JPEG and whatever follows its end, keeping the picture byte for byte', () => {
    const out = stripJpegMetadata(PHONE_JPEG);
    expect(out.equals(CLEAN_JPEG)).toBe(true);
    expect(out.includes(Buffer.from('GPS'))).toBe(false);
    expect(stripJpegMetadata(CLEAN_JPEG).equals(CLEAN_JPEG)).toBe(true);
  });

  it('drop text and eXIf chunks from a PNG, keeping the chunks that draw it', () => {
    const out = stripPngMetadata(PHONE_PNG);
    expect(
      out.equals(Buffer.concat([PNG_SIG, IHDR, chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])), IDAT, IEND])),
    ).toBe(true);
  });

  it('refuse damaged files instead of passing them through', () => {
    expect(() => stripJpegMetadata(PHONE_JPEG.subarray(0, 30))).toThrow(ImageMetadataError);
    expect(() =>
      stripJpegMetadata(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)])),
    ).toThrow(ImageMetadataError);
    expect(() => stripPngMetadata(PHONE_PNG.subarray(0, 40))).toThrow(ImageMetadataError);
    expect(() => stripPngMetadata(Buffer.concat([PNG_SIG, IDAT, IEND]))).toThrow(ImageMetadataError);
  });
});

// --- The assembled app.

let ctx: TestContext;
let tenant: TestTenant;
let elsewhere: TestTenant;
let lilas: string;
let roses: string;
let police: Browser;

async function sector(tenantId: string, name: string): Promise<string> {
  const geojson = {
    type: 'Polygon',
    coordinates: [
      [
        [2.78, 48.84],
        [2.8, 48.84],
        [2.8, 48.86],
        [2.78, 48.86],
        [2.78, 48.84],
      ],
    ],
  };
  const [row] = await withTenant(ctx.ownerDb, tenantId, (trx) =>
    trx('sectors')
      .insert({
        tenant_id: tenantId,
        name,
        geojson: JSON.stringify(geojson),
        bbox: '((2.78,48.84),(2.8,48.86))',
        area_m2: 4_000_000,
      })
      .returning('id'),
  );
  return (row as { id: string }).id;
}

async function resident(t: TestTenant, sectorId: string | null): Promise<{ browser: Browser; id: string }> {
  const a = await createTestAccount(ctx.db, t.id);
  if (sectorId) {
    await withTenant(ctx.ownerDb, t.id, (trx) =>
      trx('residences').insert({
        tenant_id: t.id,
        account_id: a.id,
        sector_id: sectorId,
        address_label: '3 rue des Lilas',
        status: 'active',
        source: 'manual',
        activated_at: new Date(),
      }),
    );
  }
  const browser = new Browser(ctx.app, t.host);
  await browser.login(a.email);
  return { browser, id: a.id };
}

async function upload(b: Browser, content: Buffer, filename = 'photo.jpg', type = 'image/jpeg') {
  const { body, contentType } = multipartBody({}, { content, filename, type });
  const headers: Record<string, string> = { host: b.host, 'content-type': contentType };
  if (b.cookie) headers.cookie = b.cookie;
  if (b.csrfToken) headers['x-csrf-token'] = b.csrfToken;
  return ctx.app.inject({
    method: 'POST',
    url: '/alerts/photos',
    headers,
    payload: body,
    remoteAddress: b.ip,
  });
}

async function uploaded(b: Browser, content = PHONE_JPEG): Promise<string> {
  const res = await upload(b, content);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { photoKey: string }).photoKey;
}

const RAISE = 'mutation ($i: RaiseAlertInput!) { raiseAlert(input: $i) { id photoKey photoUrl } }';
const raise = (b: Browser, photoKey?: string) =>
  b.gql<{ raiseAlert: { id: string; photoKey: string | null; photoUrl: string | null } }>(RAISE, {
    i: { category: 'incident', text: 'Portail forcé', ...(photoKey ? { photoKey } : {}) },
  });

const get = (b: Browser, url: string) =>
  ctx.app.inject({
    method: 'GET',
    url,
    headers: { host: b.host, ...(b.cookie ? { cookie: b.cookie } : {}) },
  });
const photoRows = (where: Record<string, unknown>) =>
  withTenant(ctx.ownerDb, tenant.id, (trx) => trx('alert_photos').where(where).select('*'));
const alertsBy = async (accountId: string) =>
  (
    await withTenant(ctx.ownerDb, tenant.id, (trx) =>
      trx('alerts').where({ author_account_id: accountId }).select('id'),
    )
  ).length;

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx.operatorDb);
  elsewhere = await createTenant(ctx.operatorDb);
  lilas = await sector(tenant.id, 'Lilas');
  roses = await sector(tenant.id, 'Roses');
  police = (await staffBrowser(ctx.app, ctx.db, tenant, 'police_agent')).browser;
});
afterAll(async () => ctx?.close());

describe('uploading a photo', () => {
  it('stores a JPEG without its EXIF GPS segment, encrypted, and records who uploaded it', async () => {
    const r = await resident(tenant, lilas);
    const key = await uploaded(r.browser);
    const stored = await readAll(await tenantFiles(ctx.app.files, ctx.config.secret, tenant.id).get(key));
    expect(stored.equals(CLEAN_JPEG)).toBe(true);
    expect(stored.includes(Buffer.from('GPS'))).toBe(false);
    const onDisk = await Promise.all(
      (await filesOnDisk(ctx)).filter((f) => f.includes(tenant.id)).map((f) => readFile(f)),
    );
    expect(onDisk.some((b) => b.includes(Buffer.from('JFIF')))).toBe(false);
    expect(await photoRows({ storage_key: key })).toMatchObject([
      {
        uploader_account_id: r.id,
        content_type: 'image/jpeg',
        size_bytes: CLEAN_JPEG.length,
        alert_id: null,
      },
    ]);
  });

  it('takes a PNG, whatever the declared type, without its text chunks', async () => {
    const r = await resident(tenant, lilas);
    const res = await upload(r.browser, PHONE_PNG, 'photo.jpg', 'image/jpeg');
    expect(res.json()).toMatchObject({ contentType: 'image/png' });
    const stored = await readAll(
      await tenantFiles(ctx.app.files, ctx.config.secret, tenant.id).get(
        (res.json() as { photoKey: string }).photoKey,
      ),
    );
    expect(stored.includes(Buffer.from('GPS'))).toBe(false);
  });

  const ELF = Buffer.concat([
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]),
    Buffer.alloc(4096, 0x90),
  ]);
  const cases: Array<[string, Buffer, number, string]> = [
    ['an executable renamed .jpg', ELF, 415, 'ALERT_PHOTO_TYPE_UNSUPPORTED'],
    ['a PDF', Buffer.from('%PDF-1.7\n%%EOF\n'), 415, 'ALERT_PHOTO_TYPE_UNSUPPORTED'],
    [
      'an 11 MB JPEG',
      Buffer.concat([CLEAN_JPEG, Buffer.alloc(11 * 1024 * 1024, 0x20)]),
      413,
      'ALERT_PHOTO_TOO_LARGE',
    ],
    ['an empty file', Buffer.alloc(0), 400, 'ALERT_PHOTO_EMPTY'],
    ['a damaged JPEG', PHONE_JPEG.subarray(0, 40), 422, 'ALERT_PHOTO_DAMAGED'],
  ];
  for (const [what, content, status, code] of cases) {
    it(`refuses ${what} with ${code}, keeping no row and no file`, async () => {
      const r = await resident(tenant, lilas);
      const before = (await filesOnDisk(ctx)).length;
      const res = await upload(r.browser, content);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code });
      expect(await photoRows({ uploader_account_id: r.id })).toEqual([]);
      expect((await filesOnDisk(ctx)).length).toBe(before);
    });
  }

  it('asks for a session, the CSRF token, a verified address (or a staff role), and counts uploads', async () => {
    const anonymous = new Browser(ctx.app, tenant.host);
    expect((await upload(anonymous, CLEAN_JPEG)).json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const r = await resident(tenant, lilas);
    const noCsrf = new Browser(ctx.app, tenant.host);
    noCsrf.cookie = r.browser.cookie;
    expect((await upload(noCsrf, CLEAN_JPEG)).json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    const homeless = await resident(tenant, null);
    expect((await upload(homeless.browser, CLEAN_JPEG)).json()).toMatchObject({ code: 'ALERT_NO_COMMUNITY' });
    expect((await upload(police, CLEAN_JPEG)).statusCode).toBe(201);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await upload(r.browser, Buffer.alloc(0))).statusCode);
    expect(codes.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});

describe('attaching a photo to an alert', () => {
  it("refuses someone else's photo and an unknown key, raising nothing", async () => {
    const owner = await resident(tenant, lilas);
    const thief = await resident(tenant, lilas);
    const key = await uploaded(owner.browser);
    expect((await raise(thief.browser, key)).errors?.[0]?.extensions?.code).toBe('ALERT_PHOTO_INVALID');
    expect((await raise(thief.browser, 'alert-photos/doesnotexist')).errors?.[0]?.extensions?.code).toBe(
      'ALERT_PHOTO_INVALID',
    );
    // The plugins' seam (services.alerts.raise) applies the same rule.
    await expect(
      withTenant(ctx.db, tenant.id, (trx) =>
        ctx.app.services.alerts.raise(trx, {
          tenant,
          author: { accountId: thief.id },
          origin: 'web',
          communityId: lilas,
          category: 'incident',
          text: 'Portail forcé',
          photoKey: key,
        }),
      ),
    ).rejects.toMatchObject({ code: 'ALERT_PHOTO_INVALID' });
    expect(await alertsBy(thief.id)).toBe(0);
    expect(await photoRows({ storage_key: key })).toMatchObject([{ alert_id: null }]);
  });

  it("attaches the author's own photo, once", async () => {
    const r = await resident(tenant, lilas);
    const key = await uploaded(r.browser);
    const { data } = await raise(r.browser, key);
    expect(data?.raiseAlert).toMatchObject({
      photoKey: key,
      photoUrl: expect.stringMatching(/^\/alerts\/photos\/[0-9a-f-]{36}\/[0-9a-z]+\.[\w-]+$/),
    });
    expect(await photoRows({ storage_key: key })).toMatchObject([{ alert_id: data!.raiseAlert.id }]);
    expect((await raise(r.browser, key)).errors?.[0]?.extensions?.code).toBe('ALERT_PHOTO_INVALID');
    expect(await alertsBy(r.id)).toBe(1);
  });

  it('attaches through services.alerts.raise too (the neighbours’ form)', async () => {
    const r = await resident(tenant, lilas);
    const key = await uploaded(r.browser, PHONE_PNG);
    const alert = await withTenant(ctx.db, tenant.id, (trx) =>
      ctx.app.services.alerts.raise(trx, {
        tenant,
        author: { accountId: r.id },
        origin: 'web',
        communityId: lilas,
        category: 'incident',
        text: 'Portail forcé',
        photoKey: key,
      }),
    );
    expect(await photoRows({ storage_key: key })).toMatchObject([{ alert_id: alert.id }]);
  });
});

describe('seeing the photo', () => {
  let alertId: string;
  let author: { browser: Browser; id: string };
  const ALERT = 'query ($id: ID!) { alert(id: $id) { id photoUrl } }';
  const urlFor = async (b: Browser) =>
    (await b.ok<{ alert: { photoUrl: string | null } | null }>(ALERT, { id: alertId })).alert?.photoUrl ??
    null;

  beforeAll(async () => {
    author = await resident(tenant, lilas);
    alertId = (await raise(author.browser, await uploaded(author.browser))).data!.raiseAlert.id;
  });

  it('serves the stripped bytes to the author, staff and a neighbour who received the alert, privately, and audits each view', async () => {
    const neighbour = await resident(tenant, lilas);
    expect((await neighbour.browser.ok<{ alert: unknown }>(ALERT, { id: alertId })).alert).toBeNull();
    // What the delivery workflow records for each recipient.
    await withTenant(ctx.ownerDb, tenant.id, (trx) =>
      trx('deliveries').insert({
        tenant_id: tenant.id,
        alert_id: alertId,
        account_id: neighbour.id,
        channel: 'in_app',
        status: 'delivered',
      }),
    );
    for (const who of [author.browser, police, neighbour.browser]) {
      const url = await urlFor(who);
      const res = await get(who, url!);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.rawPayload.equals(CLEAN_JPEG)).toBe(true);
    }
    const views = await withTenant(ctx.ownerDb, tenant.id, (trx) =>
      trx('audit_log').where({ action: 'alert.photo_viewed', target_id: alertId }).pluck('actor_id'),
    );
    expect(views).toHaveLength(3);
    expect(views).toContain(neighbour.id);
  });

  it('gives nothing to a resident of another community or commune, even with a link', async () => {
    const roseResident = await resident(tenant, roses);
    expect((await roseResident.browser.ok<{ alert: unknown }>(ALERT, { id: alertId })).alert).toBeNull();
    const authorsUrl = (await urlFor(author.browser))!;
    // A link is bound to its reader: someone else's answers LINK_INVALID…
    expect((await get(roseResident.browser, authorsUrl)).json()).toMatchObject({
      code: 'ALERT_PHOTO_LINK_INVALID',
    });
    // …and a validly signed one still needs the right to see the alert.
    const photoId = authorsUrl.split('/')[3]!;
    const own = photoUrl(ctx.config.secret, { tenantId: tenant.id, photoId, accountId: roseResident.id }).url;
    expect((await get(roseResident.browser, own)).json()).toMatchObject({ code: 'ALERT_PHOTO_NOT_FOUND' });
    const stranger = await resident(elsewhere, await sector(elsewhere.id, 'Centre'));
    expect((await get(stranger.browser, authorsUrl)).json()).toMatchObject({
      code: 'ALERT_PHOTO_LINK_INVALID',
    });
    const theirs = photoUrl(ctx.config.secret, {
      tenantId: elsewhere.id,
      photoId,
      accountId: stranger.id,
    }).url;
    expect((await get(stranger.browser, theirs)).json()).toMatchObject({ code: 'ALERT_PHOTO_NOT_FOUND' });
  });

  it('refuses an expired or forged link, and a link without its session', async () => {
    const url = (await urlFor(author.browser))!;
    const photoId = url.split('/')[3]!;
    const expired = photoUrl(
      ctx.config.secret,
      { tenantId: tenant.id, photoId, accountId: author.id },
      Date.now() - 11 * 60_000,
    ).url;
    const res = await get(author.browser, expired);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ALERT_PHOTO_LINK_INVALID' });
    const [exp, sig] = url.split('/')[4]!.split('.');
    const forged = `/alerts/photos/${photoId}/${exp}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await get(author.browser, forged)).json()).toMatchObject({ code: 'ALERT_PHOTO_LINK_INVALID' });
    const stretched = `/alerts/photos/${photoId}/${(Date.now() + 86_400_000).toString(36)}.${sig}`;
    expect((await get(author.browser, stretched)).json()).toMatchObject({ code: 'ALERT_PHOTO_LINK_INVALID' });
    expect((await get(new Browser(ctx.app, tenant.host), url)).json()).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('RGPD', () => {
  it('lists the photos a resident sent in their export, and their erasure unlinks them', async () => {
    const r = await resident(tenant, lilas);
    const unused = await uploaded(r.browser);
    const used = await uploaded(r.browser);
    const { data } = await raise(r.browser, used);
    const mine = await withTenant(ctx.db, tenant.id, (trx) =>
      exportPersonalData(trx, r.id, 'Test', ctx.vigie.get(residentsServices.hooks)),
    );
    expect(mine.alertPhotos.map((p) => p.alertId).sort()).toEqual([data!.raiseAlert.id, null].sort());
    expect(exportHtml(mine)).toContain('Photos envoyées avec vos alertes');
    await withTenant(ctx.db, tenant.id, (trx) =>
      eraseAccount(trx, r.id, ctx.vigie.get(residentsServices.hooks)),
    );
    const rows = await photoRows({});
    for (const key of [unused, used])
      expect(rows.find((x) => x.storage_key === key)).toMatchObject({ uploader_account_id: null });
    expect(rows.find((x) => x.storage_key === used)).toMatchObject({ alert_id: data!.raiseAlert.id });
  });
});

describe('retention', () => {
  it('purges uploads left unattached for a day, bytes included, and keeps attached ones', async () => {
    const r = await resident(tenant, lilas);
    const left = await uploaded(r.browser);
    const used = await uploaded(r.browser);
    await raise(r.browser, used);
    const old = new Date(Date.now() - UNATTACHED_PHOTO_TTL_MS - 60_000);
    await withTenant(ctx.ownerDb, tenant.id, (trx) =>
      trx('alert_photos').whereIn('storage_key', [left, used]).update({ created_at: old }),
    );
    const files = tenantFiles(ctx.app.files, ctx.config.secret, tenant.id);
    expect(await purgeUnattachedPhotos(ctx.db, ctx.vigie.files, new Date())).toBeGreaterThanOrEqual(1);
    expect(await files.exists(left)).toBe(false);
    expect(await photoRows({ storage_key: left })).toEqual([]);
    expect(await files.exists(used)).toBe(true);
    expect(await photoRows({ storage_key: used })).toHaveLength(1);
  });
});
