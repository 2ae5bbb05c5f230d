import type { Command } from './index.js';
import { start } from '../start.js';

export const startCommand: Command = {
  summary: 'run everything on this machine (embedded services unless configured)',
  async run() {
    const started = await start({ banner: true });
    return new Promise<number>((resolve) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          process.stderr.write('Second signal: stopping now.\n');
          process.exit(130);
        }
        stopping = true;
        process.stdout.write(`\n${signal} received: stopping Vigie…\n`);
        started.stop().then(
          () => {
            process.stdout.write('Vigie stopped.\n');
            resolve(0);
          },
          (err: unknown) => {
            process.stderr.write(`Vigie did not stop cleanly: ${(err as Error).message}\n`);
            resolve(1);
          },
        );
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  },
};
