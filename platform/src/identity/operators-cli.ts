import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { CliCommand } from '../core/module.js';
import { loadConfig } from '../config/config.js';
import { createKnex, deriveUrls } from '../db/index.js';
import { StartupError } from '../embedded/index.js';
import { createOperator } from './operators.js';
import { DEMO_OPERATOR, demoOperatorCode } from './demo-operator.js';

export const operatorsCommand: CliCommand = {
  summary:
    "operators create --email E --name N: create a platform operator (prints the TOTP secret once); operators demo-code: the demo operator's current TOTP code (development)",
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' } },
    });
    if (positionals[0] === 'demo-code') {
      // The demo key is public (printed by npm start); the code is only of use where that account exists.
      const left = 30 - (Math.floor(Date.now() / 1000) % 30);
      process.stdout.write(`${demoOperatorCode()}  (${DEMO_OPERATOR.email}, valid ${left} s more)\n`);
      return 0;
    }
    if (positionals[0] !== 'create' || !values.email || !values.name) {
      process.stdout.write(
        'Usage: vigie operators create --email <email> --name <display name>\n       vigie operators demo-code\n',
      );
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
