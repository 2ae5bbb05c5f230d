import type { Command } from './index.js';
import { start, type Started } from '../start.js';
import { sleep, stopManagedChildren } from '../../embedded/index.js';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const startCommand: Command = {
  summary: 'run everything on this machine (embedded services unless configured)',
  async run() {
    // Listen before starting: a Ctrl-C during the start-up would otherwise kill
    // Vigie at once and leave the detached PostgreSQL and Temporal running.
    let signalled: (signal: NodeJS.Signals) => void = () => undefined;
    const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write('Second signal: stopping now.\n');
        // The exit hook still sends each service its clean-shutdown signal.
        process.exit(130);
      }
      stopping = true;
      process.stdout.write(`\n${signal} received: stopping Vigie…\n`);
      signalled(signal);
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);

    const starting = start({ banner: true });
    let started: Started | undefined;
    try {
      started = await Promise.race([starting, stopRequested.then(() => undefined)]);
    } catch (err) {
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
      throw err;
    }
    if (!started) return stopDuringStartup(starting);
    await stopRequested;
    try {
      await started.stop();
      process.stdout.write('Vigie stopped.\n');
      return 0;
    } catch (err) {
      process.stderr.write(`Vigie did not stop cleanly: ${(err as Error).message}\n`);
      return 1;
    }
  },
};

/**
 * Stopped while starting: the services are stopped now rather than after the
 * start-up finishes, then whatever start() had opened is closed. start() may be
 * waiting on a service that just went away, so it gets a bounded time only.
 */
async function stopDuringStartup(starting: Promise<Started>): Promise<number> {
  await stopManagedChildren();
  await Promise.race([starting.then((s) => s.stop()).catch(() => undefined), sleep(10_000)]);
  process.stdout.write('Vigie stopped before it was ready.\n');
  // Pools or the Temporal runtime of the aborted start may still hold the event loop.
  process.exit(130);
}
