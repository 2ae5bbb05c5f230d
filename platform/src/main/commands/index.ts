import { startCommand } from './start.js';
import { migrateCommand } from './migrate.js';
import { tenantsCommand } from './tenants.js';
import { apiCommand } from './api.js';
import { workerCommand } from './worker.js';
import type { CliCommand } from '../../core/module.js';
import { coreModules } from '../core-modules.js';

export type Command = CliCommand;

export const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  tenants: tenantsCommand,
  api: apiCommand,
  worker: workerCommand,
  ...Object.assign({}, ...coreModules.map((m) => m.commands ?? {})),
};
