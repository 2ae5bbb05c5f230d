// Resident memory of real processes (issue 15), read from /proc/<pid>/status
// (VmRSS):
//
//   - `vigie api` alone, idle (goal ≤ 200 MB), then under the feed load of
//     feed.bench.ts — 32 connections asking for the community page and the
//     latest alerts, against the same database (goal ≤ 400 MB, the peak);
//   - `vigie start`, what `npm start` runs, everything in one Node process,
//     idle (goal ≤ 350 MB for that process). Its PostgreSQL and Temporal dev
//     server are child processes, listed apart: they are not ours to slim.
//
// Baseline, same run: a bare Node process running fastify, knex and pg (the
// feed's bare server, idle), the least a Node API of ours could weigh.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  COMMUNITY_PAGE,
  commandOf,
  descendants,
  graphqlRequest,
  LATEST_ALERTS,
  load,
  REPO,
  rssMb,
  startBare,
  startTemporal,
  startVigieApi,
  type Child,
} from './data/feed-load.js';
import { freePort } from './data/database.js';
import { feedSpec, startFeedDatabase } from './data/feed-seed.js';
import { prng } from './data/ban-synthetic.js';
import { spawn } from 'node:child_process';
import { findTemporalCli } from '@vigie/platform';

const LOAD_SECONDS = Number(process.env.MEMORY_LOAD_SECONDS ?? 30);
const SETTLE_MS = 5_000;

const mb = (v: number) => `${v.toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Idle RSS: the highest of a few readings once start-up work (JIT, pools) has settled. */
async function idleRss(pid: number): Promise<number> {
  await sleep(SETTLE_MS);
  let max = 0;
  for (let i = 0; i < 5; i++) {
    max = Math.max(max, rssMb(pid));
    await sleep(200);
  }
  return max;
}

/** `vigie start` in a throw-away data directory, on free ports; resolves once /readyz answers. */
async function startEverything(): Promise<Child & { dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-memory-'));
  chmodSync(dir, 0o755);
  const [port, pgPort, temporalPort, uiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'platform/src/main/cli.ts', 'start'], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      VIGIE_DATA_DIR: dir,
      VIGIE_EMBEDDED_PG_PORT: String(pgPort),
      VIGIE_EMBEDDED_TEMPORAL_PORT: String(temporalPort),
      VIGIE_EMBEDDED_TEMPORAL_UI_PORT: String(uiPort),
      TEMPORAL_CLI: findTemporalCli({
        explicit: process.env.TEMPORAL_CLI,
        toolsDir: path.join(REPO, '.vigie', 'tools'),
        install: false,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  proc.stdout.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-4000)));
  proc.stderr.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vigie start exited (${proc.exitCode}): ${tail}`);
    if (/Vigie est prête|Vigie is ready/.test(tail)) break;
    if (Date.now() > deadline) {
      proc.kill('SIGINT');
      throw new Error(`vigie start not ready after 300 s: ${tail}`);
    }
    await sleep(250);
  }
  return {
    pid: proc.pid!,
    url,
    proc,
    dir,
    stop: () =>
      new Promise<void>((resolve) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), 60_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        // Ctrl-C: the API, the worker, PostgreSQL and Temporal stop cleanly.
        proc.kill('SIGINT');
      }),
  };
}

export default async function memoryBench(): Promise<void> {
  const spec = feedSpec();
  const db = await startFeedDatabase(spec);
  const temporal = await startTemporal();
  const out: string[] = [];
  try {
    const bare = await startBare(db);
    const bareIdle = await idleRss(bare.pid);
    await bare.stop();

    const api = await startVigieApi(db, temporal);
    let apiIdle = 0;
    let peak = 0;
    let after = 0;
    let requests = 0;
    try {
      apiIdle = await idleRss(api.pid);
      const pick = prng(15);
      const sessions = db.sessions;
      const r = await load(
        api.url,
        (i) =>
          graphqlRequest(
            sessions[Math.floor(pick() * sessions.length)]!,
            i % 2 === 0 ? COMMUNITY_PAGE : LATEST_ALERTS,
          ),
        {
          connections: 32,
          seconds: LOAD_SECONDS,
          warmupSeconds: 0,
          onSecond: () => (peak = Math.max(peak, rssMb(api.pid))),
        },
      );
      requests = r.n;
      if (r.errors) throw new Error(`the load had ${r.errors} errors: ${r.firstError}`);
      peak = Math.max(peak, rssMb(api.pid));
      after = await idleRss(api.pid);
    } finally {
      await api.stop();
    }
    out.push(
      `vigie api (production mode, ${spec.communes.toLocaleString('en')} communes, ${spec.residents.toLocaleString('en')} residents):`,
      `  idle                              ${mb(apiIdle)}   goal ≤ 200 MB: ${apiIdle <= 200 ? 'met' : 'NOT MET'}`,
      `  under the feed load (peak, 32 connections, ${LOAD_SECONDS} s, ${requests.toLocaleString('en')} requests)  ${mb(peak)}   goal ≤ 400 MB: ${peak <= 400 ? 'met' : 'NOT MET'}`,
      `  idle again after the load         ${mb(after)}`,
      `  baseline: bare fastify + knex + pg process, idle  ${mb(bareIdle)}; ratio api idle / bare: ${(apiIdle / bareIdle).toFixed(1)}×`,
    );
  } finally {
    await temporal.stop();
    await db.stop();
  }

  // Alone on the machine: the feed database and its Temporal are stopped.
  const all = await startEverything();
  try {
    const idle = await idleRss(all.pid);
    const children = descendants(all.pid).map((pid) => ({ pid, cmd: commandOf(pid), rss: rssMb(pid) }));
    const group = (re: RegExp) => children.filter((c) => re.test(c.cmd)).reduce((a, c) => a + c.rss, 0);
    const pgRss = group(/postgres/);
    const temporalRss = group(/temporal/);
    const other = children.reduce((a, c) => a + c.rss, 0) - pgRss - temporalRss;
    out.push(
      `vigie start (npm start: API, worker, migrations, demo communes in one Node process):`,
      `  idle, the Node process            ${mb(idle)}   goal ≤ 350 MB: ${idle <= 350 ? 'met' : 'NOT MET'}`,
      `  its child processes, apart: PostgreSQL ${mb(pgRss)} (${children.filter((c) => /postgres/.test(c.cmd)).length} processes, shared buffers counted in each), Temporal dev server ${mb(temporalRss)}${other > 0 ? `, other ${mb(other)}` : ''}`,
      '',
    );
  } finally {
    await all.stop();
  }
  process.stdout.write(out.join('\n') + '\n');
}
