import { startCommand } from './start.js';
import { migrateCommand } from './migrate.js';
import { tenantsCommand } from './tenants.js';
import type { CliCommand } from '../../core/module.js';
import { coreModules } from '../core-modules.js';

export type Command = CliCommand;

export const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  tenants: tenantsCommand,
  ...Object.assign({}, ...coreModules.map((m) => m.commands ?? {})),
};
