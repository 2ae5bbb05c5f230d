// `npm run schema`: writes admin-ui/schema.graphql from the installed modules and plugins.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coreModules } from './core-modules.js';
import { installedPlugins } from './installed-plugins.js';
import { printVigieSchema } from '../web/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../../admin-ui/schema.graphql', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, printVigieSchema([...coreModules], installedPlugins));
  console.log(`${SCHEMA_FILE} written.`);
}
