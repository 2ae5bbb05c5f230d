import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { CliCommand } from '../core/module.js';
import { loadConfig } from '../config/config.js';
import { createKnex, deriveUrls } from '../db/index.js';
import { StartupError } from '../embedded/index.js';
import { createOperator } from './operators.js';

export const operatorsCommand: CliCommand = {
  summary: 'operators create --email E --name N: create a platform operator (prints the TOTP secret once)',
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' } },
    });
    if (positionals[0] !== 'create' || !values.email || !values.name) {
      process.stdout.write('Usage: vigie operators create --email <email> --name <display name>\n');
      return 2;
    }
    const config = loadConfig();
    if (!config.databaseUrl) throw new StartupError('vigie operators needs DATABASE_URL.');
    const urls = deriveUrls(config.databaseUrl, {
      operatorUrl: config.databaseOperatorUrl,
      appPassword: config.dbAppPassword,
      operatorPassword: config.dbOperatorPassword,
    });
    const db = createKnex(urls.operator, 2, 'vigie-cli');
    try {
      const password = randomBytes(15).toString('base64url');
      const op = await createOperator(db, config, {
        email: values.email,
        password,
        displayName: values.name,
      });
      process.stdout.write(
        `Operator created.\n  password: ${password}\n  TOTP secret: ${op.totpSecret}\n  ${op.otpauthUri}\nStore them now: they are not shown again.\n`,
      );
      return 0;
    } finally {
      await db.destroy();
    }
  },
};
