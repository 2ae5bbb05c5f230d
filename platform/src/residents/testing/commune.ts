// A small commune for the residents tests: a handful of BAN addresses, two
// sectors (Nord has a referent, Sud has none), addresses outside any sector,
// a mairie admin with TOTP, and helpers to register residents and upload proofs.
import { Readable } from 'node:stream';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { withTenant } from '../../db/tenant.js';
import { BAN_HEADER, importAddresses } from '../../geo/ban-import.js';
import { createSector } from '../../geo/sectors.js';
import { geoServices } from '../../geo/hooks.js';
import {
  Browser,
  createTenant,
  createTestAccount,
  staffBrowser,
  uniqueId,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

export interface TestCommune {
  tenant: TestTenant;
  inseeCode: string;
  sectors: { nord: string; sud: string };
  addresses: { nord1: string; nord2: string; sud1: string; outside: string };
  referent: { browser: Browser; accountId: string };
  mairie: { browser: Browser; accountId: string };
}

const SAMPLE = [
  { n: 1, street: 'Rue Émile Cloud', lon: 2.79, lat: 48.86 },
  { n: 3, street: 'Rue Émile Cloud', lon: 2.7902, lat: 48.8602 },
  { n: 5, street: 'Avenue des Tilleuls', lon: 2.79, lat: 48.85 },
  { n: 9, street: 'Chemin des Champs', lon: 2.81, lat: 48.87 },
];

function square(minLon: number, minLat: number, maxLon: number, maxLat: number) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [minLon, minLat],
        [maxLon, minLat],
        [maxLon, maxLat],
        [minLon, maxLat],
        [minLon, minLat],
      ],
    ],
  };
}

export async function setupCommune(
  ctx: TestContext,
  settings: Record<string, unknown> = {},
): Promise<TestCommune> {
  const tenant = await createTenant(ctx.operatorDb, { slug: uniqueId('res') });
  await ctx
    .operatorDb('tenants')
    .where({ id: tenant.id })
    .update({ settings: JSON.stringify(settings) });
  const { insee_code: inseeCode } = await ctx
    .operatorDb('tenants')
    .where({ id: tenant.id })
    .first('insee_code');
  const lines = SAMPLE.map((a) => {
    const cols: Record<string, string> = {
      id: `${inseeCode}_0100_${String(a.n).padStart(5, '0')}${a.street.length}`,
      id_fantoir: '',
      numero: String(a.n),
      rep: '',
      nom_voie: a.street,
      code_postal: '77700',
      code_insee: inseeCode,
      nom_commune: 'Testville',
      lon: String(a.lon),
      lat: String(a.lat),
    };
    return BAN_HEADER.map((h) => cols[h] ?? '').join(';');
  });
  await importAddresses(
    ctx.db,
    tenant.id,
    Readable.from([`${BAN_HEADER.join(';')}\n${lines.join('\n')}\n`]),
    { inseeCode, hooks: ctx.vigie.get(geoServices.hooks) },
  );
  const { nord, sud } = await withTenant(ctx.db, tenant.id, async (trx) => ({
    nord: (
      await createSector(
        trx,
        tenant.id,
        { name: 'Nord', geometry: square(2.785, 48.855, 2.795, 48.865) },
        { hooks: ctx.vigie.get(geoServices.hooks) },
      )
    ).sector.id,
    sud: (
      await createSector(
        trx,
        tenant.id,
        { name: 'Sud', geometry: square(2.785, 48.845, 2.795, 48.8545) },
        { hooks: ctx.vigie.get(geoServices.hooks) },
      )
    ).sector.id,
  }));
  const ids = await withTenant(ctx.db, tenant.id, (trx) =>
    trx('addresses').orderBy(['lat', 'lon']).select('id', 'numero', 'sector_id'),
  );
  const byNumber = new Map(ids.map((r: { id: string; numero: number }) => [r.numero, r.id]));
  const referentAccount = await createTestAccount(ctx.db, tenant.id, {
    displayName: 'Référente Nord',
    roles: [{ role: 'resident' }, { role: 'referent', scopeId: nord }],
  });
  const referent = new Browser(ctx.app, tenant.host);
  await referent.login(referentAccount.email);
  const mairie = await staffBrowser(ctx.app, ctx.db, tenant, 'mairie_admin');
  return {
    tenant,
    inseeCode,
    sectors: { nord, sud },
    addresses: {
      nord1: byNumber.get(1)!,
      nord2: byNumber.get(3)!,
      sud1: byNumber.get(5)!,
      outside: byNumber.get(9)!,
    },
    referent: { browser: referent, accountId: referentAccount.id },
    mairie,
  };
}

/** Registers a resident through GraphQL, as the portal does. */
export async function registerResident(
  ctx: TestContext,
  tenant: TestTenant,
  name = 'Camille Martin',
): Promise<{ browser: Browser; accountId: string; email: string; password: string }> {
  const email = `${uniqueId('r')}@example.test`;
  const password = 'un mot de passe solide';
  const b = new Browser(
    ctx.app,
    tenant.host,
    `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  );
  const r = await b.ok<{ register: { csrfToken: string; me: { id: string } } }>(
    'mutation($i: RegisterInput!) { register(input: $i) { csrfToken me { id } } }',
    {
      i: { email, password, displayName: name, phone: '06 11 22 33 44' },
    },
  );
  b.csrfToken = r.register.csrfToken;
  return { browser: b, accountId: r.register.me.id, email, password };
}

export const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.from('1 0 obj << /Type /Catalog >> endobj\n'.repeat(40)),
  Buffer.from('%%EOF\n'),
]);
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(2000, 7),
]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)]);

export function multipartBody(
  fields: Record<string, string>,
  file?: { content: Buffer; filename?: string; type?: string; field?: string },
): { body: Buffer; contentType: string } {
  const boundary = `----vigie${uniqueId()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename ?? 'justificatif.pdf'}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
      ),
    );
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function uploadRaw(b: Browser, body: Buffer, contentType: string) {
  const headers: Record<string, string> = { host: b.host, 'content-type': contentType };
  if (b.cookie) headers.cookie = b.cookie;
  if (b.csrfToken) headers['x-csrf-token'] = b.csrfToken;
  return b.app.inject({
    method: 'POST',
    url: '/residents/proof',
    headers,
    payload: body,
    remoteAddress: b.ip,
  });
}

export async function uploadProof(
  b: Browser,
  fields: Record<string, string>,
  file?: { content: Buffer; filename?: string; type?: string },
) {
  const { body, contentType } = multipartBody(fields, file);
  return uploadRaw(b, body, contentType);
}

/** Every file under the file store's directory (what is on disk, decrypted or not). */
export async function filesOnDisk(ctx: TestContext): Promise<string[]> {
  const root = path.join(ctx.config.dataDir, 'files');
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function tenantRows(db: Knex, tenantId: string, table: string, where: Record<string, unknown> = {}) {
  return withTenant(db, tenantId, (trx) => trx(table).where(where).select('*'));
}
