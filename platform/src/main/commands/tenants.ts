// `vigie tenants …`: communes as code, from a terminal. Every subcommand goes
// through the same services as the operator API (platform/src/tenants).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import type { Command } from './index.js';
import { loadConfig, type Config } from '../../config/config.js';
import { createKnex, deriveUrls, withDatabase } from '../../db/index.js';
import { withTenant } from '../../db/index.js';
import { StartupError } from '../../embedded/index.js';
import { OWNER_ROLE } from '../../embedded/index.js';
import { isVigieError } from '../../lib/errors.js';
import { installedPlugins } from '../installed-plugins.js';
import type { Actor } from '../../tenants/index.js';
import { formatPlan, isNoChange, type ApplyDeps } from '../../tenants/index.js';
import { applyFolders, type FolderOutcome } from '../../tenants/index.js';
import { installedGeoImports } from '../../tenants/index.js';
import { geoServices } from '../../geo/index.js';
import { assemble } from '../assembly.js';
import pino from 'pino';
import { tenantFolders } from '../../tenants/index.js';
import { disablePlugin, enablePlugin } from '../../tenants/index.js';
import { findTenantId, listTenants, reactivateTenant, suspendTenant } from '../../tenants/index.js';
import { inviteMairieAdmin } from '../../tenants/index.js';
import { exportTenant, writeTenantExport } from '../../tenants/index.js';

const USAGE = `Usage:
  vigie tenants apply <folder>… [--dry-run]     apply tenants/<slug> folders (e.g. tenants/serris)
  vigie tenants apply --all [--dry-run]         apply every folder under ./tenants (or --root <dir>)
  vigie tenants list
  vigie tenants suspend <slug> [--reason <text>]
  vigie tenants reactivate <slug> [--status trial|active]
  vigie tenants plugin enable <slug> <plugin> [--settings '<json>']
  vigie tenants plugin disable <slug> <plugin>
  vigie tenants invite-admin <slug> --email <email> [--name <display name>]
  vigie tenants export <slug> [--root <dir>]     write the commune as <dir>/<slug>/ (default ./tenants)

The database is DATABASE_URL (with DATABASE_OPERATOR_URL / DATABASE_APP_URL when
set), or the embedded PostgreSQL of a running \`npm start\`.
`;

const actor: Actor = { type: 'system', source: 'cli' };
type Out = (s: string) => void;

export const tenantsCommand: Command = {
  summary:
    'communes as code: apply tenants/<slug> (--dry-run), list, suspend, reactivate, plugin, invite-admin, export',
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        all: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        root: { type: 'string' },
        reason: { type: 'string' },
        status: { type: 'string' },
        settings: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [sub, ...rest] = positionals;
    const out: Out = (s) => process.stdout.write(`${s}\n`);
    if (!sub || values.help) {
      out(USAGE);
      return values.help ? 0 : 2;
    }
    const config = loadConfig();
    const dbs = await connect(config);
    // The commune's geography moves addresses: the installed modules' listeners hear of it.
    const vigie = await assemble({
      config,
      db: dbs.db,
      operatorDb: dbs.operatorDb,
      temporal: undefined,
      log: pino({ level: 'silent' }),
      plugins: installedPlugins,
    });
    try {
      const deps: ApplyDeps = {
        operatorDb: dbs.operatorDb,
        db: dbs.db,
        config,
        plugins: installedPlugins,
        geo: installedGeoImports(vigie.get(geoServices.hooks)),
      };
      switch (sub) {
        case 'apply': {
          const dirs = values.all
            ? tenantFolders(path.resolve(values.root ?? 'tenants'))
            : rest.map((d) => path.resolve(d));
          if (!dirs.length) {
            out(
              values.all
                ? `No commune folder (with tenant.yaml) under ${path.resolve(values.root ?? 'tenants')}.`
                : USAGE,
            );
            return 2;
          }
          return report(
            await applyFolders(deps, dirs, { dryRun: values['dry-run'] ?? false, actor }),
            values['dry-run'] ?? false,
            out,
          );
        }
        case 'list':
          for (const t of await listTenants(dbs.operatorDb)) {
            out(
              `${t.slug.padEnd(24)} ${t.status.padEnd(10)} ${t.inseeCode}  ${t.name}${t.plugins.length ? `  [${t.plugins.join(', ')}]` : ''}`,
            );
          }
          return 0;
        case 'suspend':
        case 'reactivate': {
          const slug = need(rest[0], 'slug');
          if (values.status !== undefined && values.status !== 'trial' && values.status !== 'active')
            throw new UsageError('--status is trial or active');
          const r =
            sub === 'suspend'
              ? await suspendTenant(dbs.operatorDb, slug, actor, values.reason)
              : await reactivateTenant(
                  dbs.operatorDb,
                  slug,
                  actor,
                  values.status as 'trial' | 'active' | undefined,
                );
          out(r.changed ? `${slug}: ${r.previousStatus} → ${r.status}` : `${slug}: no change (${r.status})`);
          return 0;
        }
        case 'plugin': {
          const [action, slugArg, pluginArg] = rest;
          const slug = need(slugArg, 'slug');
          const pluginId = need(pluginArg, 'plugin');
          if (action !== 'enable' && action !== 'disable')
            throw new UsageError('plugin enable|disable <slug> <plugin>');
          const settings = values.settings !== undefined ? parseJson(values.settings) : undefined;
          const tenantId = await findTenantId(dbs.operatorDb, slug);
          const svc = { plugins: installedPlugins, actor };
          const r = await withTenant(dbs.operatorDb, tenantId, (trx) =>
            action === 'enable'
              ? enablePlugin(trx, svc, tenantId, pluginId, settings)
              : disablePlugin(trx, svc, tenantId, pluginId),
          );
          out(
            `${slug}: ${pluginId} ${r.state.enabled ? 'enabled' : 'disabled'}${r.changed ? '' : ' (no change)'} ${JSON.stringify(r.state.settings)}`,
          );
          return 0;
        }
        case 'invite-admin': {
          const slug = need(rest[0], 'slug');
          const email = need(values.email, '--email').toLowerCase();
          const tenantId = await findTenantId(dbs.operatorDb, slug);
          const outcome = await inviteMairieAdmin(
            deps,
            { id: tenantId, slug },
            { email, displayName: values.name ?? `Mairie (${slug})`.slice(0, 40) },
            actor,
          );
          out(
            `${slug}: ${outcome === 'invited' ? 'invitation sent (dev outbox until email is configured)' : outcome === 'granted' ? 'mairie_admin granted to the existing account' : 'already a mairie admin'}`,
          );
          return 0;
        }
        case 'export': {
          const slug = need(rest[0], 'slug');
          const dir = await writeTenantExport(
            path.resolve(values.root ?? 'tenants'),
            await exportTenant(dbs, slug),
          );
          out(
            `${slug}: written to ${dir} (apply it with: vigie tenants apply ${path.relative(process.cwd(), dir) || dir})`,
          );
          return 0;
        }
        default:
          out(USAGE);
          return 2;
      }
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(`${err.message}\n\n${USAGE}`);
        return 2;
      }
      if (isVigieError(err) && err.statusCode < 500) {
        process.stderr.write(`${err.code}: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await dbs.close();
    }
  },
};

/** Prints each commune's plan, or its problems; exit code 1 when any commune was refused. */
export function report(outcomes: FolderOutcome[], dryRun: boolean, out: Out): number {
  for (const o of outcomes) {
    if (o.ok) {
      out(formatPlan(o.plan, dryRun));
      continue;
    }
    out(`${path.basename(o.dir)}: refused (${o.code})`);
    for (const i of o.issues) out(`  ✗ ${i.path ? `${i.path}: ` : ''}${i.message}`);
  }
  const refused = outcomes.filter((o) => !o.ok).length;
  const unchanged = outcomes.filter((o) => o.ok && isNoChange(o.plan)).length;
  out(
    `${outcomes.length} commune${outcomes.length > 1 ? 's' : ''}: ${outcomes.length - refused - unchanged} ${dryRun ? 'to change' : 'changed'}, ${unchanged} no change, ${refused} refused${dryRun ? ' (dry run: nothing written)' : ''}.`,
  );
  return refused ? 1 : 0;
}

class UsageError extends Error {}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Missing ${what}.`);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--settings must be JSON, e.g. \'{"radiusMeters": 800}\'');
  }
}

interface Connections {
  operatorDb: Knex;
  db: Knex;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL of a running
 * `npm start` on this data directory (its owner password is in credentials.json).
 */
async function connect(config: Config): Promise<Connections> {
  let ownerUrl = config.databaseUrl;
  if (!ownerUrl) {
    const file = path.join(config.dataDir, 'credentials.json');
    const creds = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pgOwner?: string }) : {};
    if (!creds.pgOwner)
      throw new StartupError(
        `No database: set DATABASE_URL, or start Vigie (npm start applies tenants/ by itself) and run this again.`,
      );
    const u = new URL(withDatabase(`postgres://127.0.0.1:${config.embeddedPgPort}/postgres`, 'vigie'));
    u.username = OWNER_ROLE;
    u.password = creds.pgOwner;
    ownerUrl = u.toString();
  }
  const urls = deriveUrls(ownerUrl, {
    appUrl: config.databaseAppUrl,
    operatorUrl: config.databaseOperatorUrl,
    appPassword: config.dbAppPassword,
    operatorPassword: config.dbOperatorPassword,
  });
  const operatorDb = createKnex(urls.operator, 2, 'vigie-cli-operator');
  const db = createKnex(urls.app, 2, 'vigie-cli-app');
  const close = async () => {
    await Promise.all([operatorDb.destroy(), db.destroy()]);
  };
  try {
    await operatorDb.raw('select 1');
  } catch (err) {
    await close();
    const refused = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
    throw new StartupError(
      refused && !config.databaseUrl
        ? 'The embedded PostgreSQL is not running: start Vigie (npm start), or set DATABASE_URL.'
        : `Cannot reach the database: ${(err as Error).message}`,
    );
  }
  return { operatorDb, db, close };
}
