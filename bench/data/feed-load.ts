// What feed.bench.ts and memory.bench.ts share: the two resident queries, the
// processes under test (`vigie api` and the bare baseline, each a real child
// process on its own port) and a closed-loop load of N concurrent connections
// (undici), with each request's latency.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { findTemporalCli, startEmbeddedTemporal, type EmbeddedTemporal } from '@vigie/platform';
import { freePort, summary } from './database.js';
import { APP_PASSWORD, OPERATOR_PASSWORD, type FeedDatabase, type FeedSession } from './feed-seed.js';

export const REPO = path.resolve(import.meta.dirname, '../..');

/** The community page as plugins/voisins-vigilants/ui/community.tsx asks for it. */
export const COMMUNITY_PAGE = /* GraphQL */ `
  query MyCommunityPage {
    myMembership {
      status
      request {
        id
        status
        createdAt
      }
      exclusion {
        id
        reason
      }
    }
    myCommunity {
      id
      name
      memberCount
      coverage {
        addresses
        households
        ratio
      }
      referents {
        id
        displayName
      }
      latestAlerts(limit: 10) {
        id
        ref
        text
        severity
        status
        createdAt
        seenToo
        canHelp
        category {
          label
        }
      }
      latestThreads(limit: 5) {
        id
        title
        categoryLabel
        commentCount
        lastActivityAt
      }
      upcomingEvents(limit: 3) {
        id
        title
        startsAt
        place
      }
    }
    communityCharter {
      version
      text
      accepted
      acceptedAt
    }
  }
`;

/** The latest-alerts feed of the caller's community, with who raised each alert. */
export const LATEST_ALERTS = /* GraphQL */ `
  query LatestAlerts {
    myCommunity {
      id
      latestAlerts(limit: 10) {
        id
        ref
        text
        severity
        status
        createdAt
        closedAt
        seenToo
        canHelp
        mine
        category {
          label
        }
        author {
          displayName
        }
      }
    }
  }
`;

export function startTemporal(): Promise<EmbeddedTemporal> {
  return freePort().then((port) =>
    startEmbeddedTemporal({
      cli: findTemporalCli({
        explicit: process.env.TEMPORAL_CLI,
        toolsDir: path.join(REPO, '.vigie', 'tools'),
        install: false,
      }),
      port,
      headless: true,
      namespace: 'default',
    }),
  );
}

export interface Child {
  pid: number;
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a node process (tsx), and waits until `ready(url)` answers. */
async function spawnNode(
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  nodeArgs: string[] = [],
  timeoutMs = 120_000,
): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (c: Buffer) => {
    tail = (tail + c.toString()).slice(-4000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited (${proc.exitCode}): ${tail}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${args.join(' ')} not ready after ${timeoutMs / 1000} s: ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: proc.pid!,
    url,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** `vigie api`, as a deployment runs it: production mode, the app role (RLS), against the feed database. */
export async function startVigieApi(
  db: FeedDatabase,
  temporal: EmbeddedTemporal,
  extra: Record<string, string> = {},
  /** e.g. ['--cpu-prof'] to profile it. */
  nodeArgs: string[] = [],
): Promise<Child> {
  const port = await freePort();
  return spawnNode(
    ['platform/src/main/cli.ts', 'api'],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      VIGIE_PUBLIC_URL: `http://localhost:${port}`,
      VIGIE_BASE_DOMAIN: 'localhost',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.ownerUrl,
      VIGIE_DB_APP_PASSWORD: APP_PASSWORD,
      VIGIE_DB_OPERATOR_PASSWORD: OPERATOR_PASSWORD,
      TEMPORAL_ADDRESS: temporal.address,
      VIGIE_SECRET: 'feed-benchmark-secret-of-at-least-32-characters',
      VIGIE_DATA_DIR: path.join(REPO, 'bench', 'data', '.cache', 'vigie-data'),
      ...extra,
    },
    port,
    '/readyz',
    nodeArgs,
  );
}

/** The bare baseline process (feed-bare-server.ts) on the same database, same role, same pool size. */
export async function startBare(db: FeedDatabase, poolMax = 10): Promise<Child> {
  const port = await freePort();
  const appUrl = new URL(db.ownerUrl);
  appUrl.username = 'vigie_app';
  appUrl.password = APP_PASSWORD;
  return spawnNode(
    ['bench/data/feed-bare-server.ts'],
    { PORT: String(port), DATABASE_APP_URL: appUrl.toString(), DATABASE_POOL_MAX: String(poolMax) },
    port,
    `/alerts?tenant=${db.sessions[0]!.tenantId}&account=${db.sessions[0]!.accountId}`,
  );
}

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export const graphqlRequest = (s: FeedSession, query: string): Request => ({
  method: 'POST',
  path: '/graphql',
  headers: {
    host: s.host,
    'content-type': 'application/json',
    cookie: `vigie_session=${s.token}`,
    'x-csrf-token': s.csrfToken,
  },
  body: JSON.stringify({ query }),
});

export const bareRequest = (s: FeedSession, route: 'page' | 'alerts'): Request => ({
  method: 'GET',
  path: `/${route}?tenant=${s.tenantId}&account=${s.accountId}`,
  headers: {},
});

export interface LoadResult {
  n: number;
  errors: number;
  firstError?: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Closed loop: `connections` clients, each sending its next request when the
 * last one answered, for `seconds` after `warmupSeconds`. A response is an error
 * unless it is a 200 whose body has no GraphQL `errors`.
 */
export async function load(
  url: string,
  next: (i: number) => Request,
  o: { connections: number; seconds: number; warmupSeconds: number; onSecond?: () => void },
): Promise<LoadResult> {
  const pool = new Pool(url, { connections: o.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let i = 0;
  const t0 = performance.now();
  const measureFrom = t0 + o.warmupSeconds * 1000;
  const end = measureFrom + o.seconds * 1000;
  const ticker = o.onSecond ? setInterval(o.onSecond, 1000) : undefined;
  const client = async () => {
    for (;;) {
      const start = performance.now();
      if (start >= end) return;
      const r = next(i++);
      let ok = false;
      let why = '';
      try {
        const res = await pool.request({
          method: r.method,
          path: r.path,
          headers: r.headers,
          ...(r.body !== undefined ? { body: r.body } : {}),
        });
        const text = await res.body.text();
        ok = res.statusCode === 200 && !text.startsWith('{"errors"') && !text.includes('"errors":[{');
        if (!ok) why = `${res.statusCode} ${text.slice(0, 300)}`;
      } catch (err) {
        why = String(err);
      }
      const done = performance.now();
      if (start >= measureFrom) {
        latencies.push(done - start);
        if (!ok) {
          errors++;
          firstError ??= why;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, client));
  if (ticker) clearInterval(ticker);
  await pool.close();
  const s = summary(latencies);
  return {
    n: s.n,
    errors,
    ...(firstError ? { firstError } : {}),
    rps: s.n / o.seconds,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    max: s.max,
  };
}

/** VmRSS of a process, in MB (0 when it is gone). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every descendant of a process (from /proc/<pid>/task/<pid>/children). */
export function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2).join(' ');
  } catch {
    return '?';
  }
}

export const fmt = (r: LoadResult) =>
  `p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.rps.toFixed(0)} req/s  (${r.n} requests${r.errors ? `, ${r.errors} ERRORS: ${r.firstError}` : ''})`;
