import { parseArgs } from 'node:util';
import type { Command } from './index.js';
import { loadConfig } from '../../config/config.js';
import { createKnex } from '../../db/index.js';
import { migrateRollbackAll, migrationStatus } from '../../db/index.js';
import { migrate, migrationSets } from '../runtime.js';
import { installedPlugins } from '../installed-plugins.js';
import { StartupError } from '../../embedded/index.js';

export const migrateCommand: Command = {
  summary: 'apply migrations to DATABASE_URL (--status, --down-all)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { status: { type: 'boolean' }, 'down-all': { type: 'boolean' } },
    });
    const config = loadConfig();
    if (!config.databaseUrl)
      throw new StartupError(
        'vigie migrate needs DATABASE_URL (npm start migrates the embedded database by itself).',
      );
    if (values.status || values['down-all']) {
      const owner = createKnex(config.databaseUrl, 2, 'vigie-migrate');
      try {
        if (values['down-all']) {
          const rolled = await migrateRollbackAll(owner, migrationSets(installedPlugins));
          process.stdout.write(`Rolled back ${rolled.length} migrations.\n`);
        } else {
          const s = await migrationStatus(owner, migrationSets(installedPlugins));
          process.stdout.write(
            `Applied: ${s.completed.length}\nPending: ${s.pending.join(', ') || 'none'}\n`,
          );
        }
      } finally {
        await owner.destroy();
      }
      return 0;
    }
    const applied = await migrate(config, config.databaseUrl, installedPlugins);
    process.stdout.write(applied.length ? `Applied:\n  ${applied.join('\n  ')}\n` : 'Already up to date.\n');
    return 0;
  },
};
