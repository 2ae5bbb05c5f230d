// The instance a command runs against (`vigie addresses import`, `vigie sectors
// seed`): the installed modules and plugins assembled over DATABASE_URL, with
// no Temporal and no HTTP, so that what they provide (the residents following
// their address when it moves) applies to a command as to a request.
import pino from 'pino';
import type { CliContext, CliInstance } from '../core/module.js';
import { loadConfig } from '../config/config.js';
import { createKnex, deriveUrls } from '../db/index.js';
import { StartupError } from '../embedded/index.js';
import { assemble } from './assembly.js';
import { installedPlugins } from './installed-plugins.js';

export async function openCliInstance(
  env: Record<string, string | undefined> = process.env,
): Promise<CliInstance> {
  const config = loadConfig(env);
  if (!config.databaseUrl) throw new StartupError('This command needs DATABASE_URL.');
  const urls = deriveUrls(config.databaseUrl, {
    appUrl: config.databaseAppUrl,
    operatorUrl: config.databaseOperatorUrl,
    appPassword: config.dbAppPassword,
    operatorPassword: config.dbOperatorPassword,
  });
  const db = createKnex(urls.app, 2, 'vigie-cli-app');
  const operatorDb = createKnex(urls.operator, 2, 'vigie-cli-operator');
  const close = () => Promise.all([db.destroy(), operatorDb.destroy()]).then(() => undefined);
  try {
    const vigie = await assemble({
      config,
      db,
      operatorDb,
      temporal: undefined,
      log: pino({ level: 'silent' }),
      plugins: installedPlugins,
    });
    return { db, get: vigie.get, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export const cliContext: CliContext = { openInstance: () => openCliInstance() };
