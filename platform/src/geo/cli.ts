// `vigie addresses import <file>` and `vigie sectors seed <file>`. Both run
// against DATABASE_URL on the application role (row-level security applies, as
// for any request), and infer the commune from a tenants/<slug>/… path.
import path from 'node:path';
import { fail } from './errors.js';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import type { CliCommand, CliContext } from '../core/module.js';
import { loadConfig } from '../config/config.js';
import { StartupError } from '../embedded/index.js';
import { geoServices, type GeoHooks } from './hooks.js';

import { importAddressFile, type ImportReport } from './ban-import.js';
import { seedSectorFile, type SeedReport } from './seed.js';

/** tenants/serris/addresses.csv → serris */
export function slugFromPath(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf('tenants');
  return i >= 0 && i < parts.length - 2 ? parts[i + 1] : undefined;
}

/** Runs against the app pool of an assembled instance, whose listeners hear of the addresses that move. */
async function withInstance<T>(cli: CliContext, fn: (db: Knex, hooks: GeoHooks) => Promise<T>): Promise<T> {
  if (!loadConfig().databaseUrl)
    throw new StartupError(
      'This command needs DATABASE_URL (npm start imports the demo communes by itself).',
    );
  const instance = await cli.openInstance();
  try {
    return await fn(instance.db, instance.get(geoServices.hooks));
  } finally {
    await instance.close();
  }
}

export async function tenantIdBySlug(db: Knex, slug: string): Promise<string> {
  const row = await db('tenants').where({ slug }).first<{ id: string } | undefined>('id');
  if (!row)
    throw fail('GEO_TENANT_UNKNOWN', `Aucune commune « ${slug} » : créez-la d'abord (vigie tenants apply).`);
  return row.id;
}

export function formatImportReport(r: ImportReport, shown = 50): string {
  const lines = [
    `${r.lines} lines read: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejectedCount} rejected.`,
    `${r.streets} streets; ${r.unassigned} addresses in no sector; ${r.reassigned} known addresses moved to another sector.`,
  ];
  for (const x of r.rejected.slice(0, shown)) lines.push(`  line ${x.line}: ${x.reason} — ${x.detail}`);
  if (r.rejectedCount > shown) lines.push(`  … and ${r.rejectedCount - shown} more rejections.`);
  return `${lines.join('\n')}\n`;
}

function formatSeedReport(r: SeedReport): string {
  const lines = [
    `${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.skipped.length} skipped; ${r.reassigned} addresses changed sector.`,
  ];
  for (const s of r.skipped) lines.push(`  skipped ${s.key}: ${s.reason}`);
  for (const o of r.overlaps) lines.push(`  ${o.key} overlaps ${o.with.map((w) => w.name).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export const addressesCommand: CliCommand = {
  summary: 'addresses import <file.csv> [--tenant slug] [--strict]: import a BAN extract',
  async run(args, cli) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { tenant: { type: 'string' }, strict: { type: 'boolean' } },
    });
    const [verb, file] = positionals;
    const slug = values.tenant ?? (file ? slugFromPath(file) : undefined);
    if (verb !== 'import' || !file || !slug) {
      process.stdout.write(
        'Usage: vigie addresses import <file.csv> [--tenant <slug>] [--strict]\n  (the slug is read from a tenants/<slug>/addresses.csv path when --tenant is omitted)\n',
      );
      return 2;
    }
    const report = await withInstance(cli, async (db, hooks) =>
      importAddressFile(db, await tenantIdBySlug(db, slug), file, { strict: values.strict ?? false, hooks }),
    );
    process.stdout.write(formatImportReport(report));
    return 0;
  },
};

export const sectorsCommand: CliCommand = {
  summary: 'sectors seed <file.geojson> [--tenant slug] [--sync]: create the sectors of a commune',
  async run(args, cli) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { tenant: { type: 'string' }, sync: { type: 'boolean' } },
    });
    const [verb, file] = positionals;
    const slug = values.tenant ?? (file ? slugFromPath(file) : undefined);
    if (verb !== 'seed' || !file || !slug) {
      process.stdout.write(
        'Usage: vigie sectors seed <file.geojson> [--tenant <slug>] [--sync]\n  --sync: also redraw and rename existing sectors to match the file\n',
      );
      return 2;
    }
    const report = await withInstance(cli, async (db, hooks) =>
      seedSectorFile(db, await tenantIdBySlug(db, slug), file, {
        mode: values.sync ? 'sync' : 'create-missing',
        hooks,
      }),
    );
    process.stdout.write(formatSeedReport(report));
    return 0;
  },
};
