#!/usr/bin/env node
// The `vigie` command. Each subcommand lives in ./commands/<name>.ts.
import { ConfigError } from '../config/config.js';
import { StartupError } from '../embedded/index.js';
import { commands } from './commands/index.js';
import { cliContext } from './cli-instance.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    const list = Object.entries(commands)
      .map(([n, c]) => `  vigie ${n.padEnd(18)} ${c.summary}`)
      .join('\n');
    process.stdout.write(`Usage: vigie <command>\n\n${list}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  return command.run(rest, cliContext);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof StartupError) {
      process.stderr.write(`Vigie could not start: ${err.message}\n`);
    } else {
      process.stderr.write(`Vigie failed: ${(err as Error).message ?? String(err)}\n`);
      if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    }
    process.exitCode = 1;
  },
);
