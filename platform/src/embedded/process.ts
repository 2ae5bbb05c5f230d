import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { StartupError } from './errors.js';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/** Stops a process left behind by a killed run: polite signal first, then SIGKILL. */
export async function stopOrphan(pid: number, signal: NodeJS.Signals, timeoutMs = 20_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  if (await waitForExit(pid, timeoutMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await waitForExit(pid, 5000);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fails with one sentence when something already listens on the port. */
export async function assertPortFree(
  port: number,
  what: string,
  variable: string,
  host = '127.0.0.1',
): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new StartupError(
      `Port ${port} is already in use, so ${what} cannot start: stop whatever uses it or set ${variable} to another port.`,
    );
  }
}

export interface ManagedChild {
  child: ChildProcess;
  /** Last lines of output, for error messages. */
  tail(): string;
  exited: Promise<number | null>;
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<void>;
}

export interface ManagedSpawnOptions extends SpawnOptions {
  onLine?: (line: string) => void;
  /** The signal that makes this service shut down cleanly (PostgreSQL: SIGINT, Temporal: SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

// The services run detached (see spawnManaged), so nothing stops them when Vigie
// dies: this registry lets a Ctrl-C during start-up, or an exit on a crash, stop them.
const live = new Map<ManagedChild, NodeJS.Signals>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers cannot wait: the signal is sent and each service finishes
  // its own clean shutdown after we are gone.
  process.on('exit', () => {
    for (const [managed, signal] of live) {
      if (managed.child.exitCode === null && managed.child.signalCode === null) managed.child.kill(signal);
    }
  });
}

/** Stops every service this process started and that is still running, each with its clean-shutdown signal. */
let shuttingDown = false;

export async function stopManagedChildren(timeoutMs = 30_000): Promise<void> {
  // A start-up still in flight must not spawn a service after this point: it
  // would outlive Vigie as an orphan.
  shuttingDown = true;
  await Promise.all([...live].map(([managed, signal]) => managed.stop(signal, timeoutMs)));
}

export function spawnManaged(cmd: string, args: string[], opts: ManagedSpawnOptions): ManagedChild {
  const { onLine, stopSignal = 'SIGTERM', ...spawnOpts } = opts;
  if (shuttingDown) throw new StartupError('Vigie is stopping: no service is started any more.');
  // Detached: a Ctrl-C in the terminal reaches Vigie alone, which then stops the
  // API, drains the worker and only then stops the services, in that order.
  const child = spawn(cmd, args, { ...spawnOpts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 30) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      lines.push(String(err));
      resolve(-1);
    });
  });
  const managed: ManagedChild = {
    child,
    tail: () => lines.slice(-8).join('\n'),
    exited,
    async stop(signal, timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
  installExitHook();
  live.set(managed, stopSignal);
  void exited.then(() => live.delete(managed));
  return managed;
}
