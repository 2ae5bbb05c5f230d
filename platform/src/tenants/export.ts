// A commune as code again: tenants/<slug>/ (tenant.yaml, the logo, addresses.csv
// in the BAN format, sectors.geojson) written from the database, in the format
// loadTenantFolder reads, so that `vigie tenants apply` on the folder gives the
// same commune (apply.test and onboarding.test check that it reports no change).
// Served as a tar by the operator API and written to a folder by
// `vigie tenants export`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';
import { BAN_HEADER } from '../geo/index.js';
import { findTenantId } from './status.js';
import { pluginStates } from './plugins.js';

export interface ExportedFile {
  name: string;
  content: Buffer;
}

export interface TenantExport {
  slug: string;
  files: ExportedFile[];
}

/** BAN cells: a `;` or a quote or a line break inside a value is quoted, as csv-parse expects. */
function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function exportTenant(
  deps: { operatorDb: Knex; db: Knex },
  slug: string,
): Promise<TenantExport> {
  const tenantId = await findTenantId(deps.operatorDb, slug);
  const row = await deps.operatorDb('tenants').where({ id: tenantId }).first();
  const { domains, plugins } = await withTenant(deps.operatorDb, tenantId, async (trx) => ({
    domains: (await trx('tenant_domains')
      .where({ tenant_id: tenantId })
      .orderBy('domain')
      .pluck('domain')) as string[],
    plugins: await pluginStates(trx, tenantId),
  }));
  const { admin, addresses, sectors } = await withTenant(deps.db, tenantId, async (trx) => ({
    admin: (await trx('role_assignments as r')
      .join('accounts as a', 'a.id', 'r.account_id')
      .where({ 'r.role': 'mairie_admin' })
      .whereNull('r.scope_id')
      .orderBy('a.created_at')
      .first('a.email', 'a.display_name')) as { email: string; display_name: string } | undefined,
    addresses: (await trx('addresses').orderBy('ban_id').select()) as Array<Record<string, unknown>>,
    sectors: (await trx('sectors')
      .where({ status: 'active' })
      .orderBy('name')
      .select('id', 'source_key', 'name', 'kind', 'geojson')) as Array<{
      id: string;
      source_key: string | null;
      name: string;
      kind: string;
      geojson: unknown;
    }>,
  }));

  const files: ExportedFile[] = [];
  const branding = { ...(row.branding as Record<string, unknown>) };
  const logo = typeof branding.logo === 'string' ? branding.logo : undefined;
  if (logo?.startsWith('data:')) {
    const m = /^data:image\/(svg\+xml|png);base64,(.*)$/s.exec(logo);
    if (m) {
      const name = m[1] === 'png' ? 'logo.png' : 'logo.svg';
      files.push({ name, content: Buffer.from(m[2]!, 'base64') });
      branding.logo = name;
    } else delete branding.logo;
  }
  const { police, ...settings } = row.settings as Record<string, unknown>;
  const doc: Record<string, unknown> = {
    slug: row.slug,
    name: row.name,
    inseeCode: row.insee_code,
    postalCodes: row.postal_codes,
    status: row.status,
    branding,
    police,
    domains,
    plugins: Object.fromEntries(
      [...plugins.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, s]) => [id, { enabled: s.enabled, settings: s.settings }]),
    ),
    ...(admin ? { firstAdmin: { email: admin.email, displayName: admin.display_name } } : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
  };
  // Loaded here, not with the module: the API serves exports rarely (see load.ts).
  const { stringify } = await import('yaml');
  files.unshift({
    name: 'tenant.yaml',
    content: Buffer.from(
      `# ${row.name as string} (INSEE ${row.insee_code as string}), exported by Vigie on ${new Date().toISOString().slice(0, 10)}.\n` +
        `# Apply with: npm run vigie -- tenants apply tenants/${slug}\n${stringify(doc, { lineWidth: 0 })}`,
    ),
  });
  if (addresses.length) {
    const byColumn: Record<string, (a: Record<string, unknown>) => unknown> = {
      id: (a) => a.ban_id,
      id_fantoir: (a) => a.id_fantoir,
      numero: (a) => a.numero,
      rep: (a) => a.rep,
      nom_voie: (a) => a.nom_voie,
      code_postal: (a) => a.code_postal,
      code_insee: (a) => a.code_insee,
      nom_commune: (a) => a.nom_commune,
      lon: (a) => a.lon,
      lat: (a) => a.lat,
    };
    const lines = [BAN_HEADER.join(';')];
    for (const a of addresses) lines.push(BAN_HEADER.map((c) => cell(byColumn[c]?.(a))).join(';'));
    files.push({ name: 'addresses.csv', content: Buffer.from(`${lines.join('\n')}\n`) });
  }
  if (sectors.length) {
    const collection = {
      type: 'FeatureCollection',
      features: sectors.map((s) => ({
        type: 'Feature',
        id: s.source_key ?? s.id,
        properties: { name: s.name, kind: s.kind },
        geometry: s.geojson,
      })),
    };
    files.push({ name: 'sectors.geojson', content: Buffer.from(`${JSON.stringify(collection, null, 1)}\n`) });
  }
  return { slug, files };
}

/** Writes the export as <root>/<slug>/; returns the folder. */
export async function writeTenantExport(root: string, exp: TenantExport): Promise<string> {
  const dir = path.join(root, exp.slug);
  await mkdir(dir, { recursive: true });
  for (const f of exp.files) await writeFile(path.join(dir, f.name), f.content);
  return dir;
}

/** A POSIX ustar archive of <slug>/<file>…: `tar xf` it in tenants/. Files only, all small. */
export function tarOf(exp: TenantExport): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: '0' | '5') => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write(type === '5' ? '0000755\0' : '0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    h.write(
      `${Math.floor(Date.now() / 1000)
        .toString(8)
        .padStart(11, '0')}\0`,
      136,
    );
    h.write('        ', 148);
    h.write(type, 156);
    h.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    return h;
  };
  blocks.push(header(`${exp.slug}/`, 0, '5'));
  for (const f of exp.files) {
    blocks.push(header(`${exp.slug}/${f.name}`, f.content.length, '0'), f.content);
    const pad = (512 - (f.content.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
