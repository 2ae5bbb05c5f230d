import { startCommand } from './start.js';
import { migrateCommand } from './migrate.js';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
};
