// The resident's feed at scale (issue 15): 1,000 communes and 4,000,000
// residents (bench/data/feed-seed.ts; FEED_COMMUNES and FEED_RESIDENTS scale it
// down), and 32 concurrent connections on `vigie api` — a real child process in
// production mode, GraphQL over HTTP, residents of varied communes logged in
// through their session cookie, the app role under row-level security:
//
//   (a) the community page, the query plugins/voisins-vigilants/ui/community.tsx sends;
//   (b) the latest-alerts feed of the caller's community.
//
// Baseline, same run, same database, same concurrency: a bare fastify process
// that runs the same SQL in one tenant transaction per request, without
// GraphQL, sessions or permissions. Goals: p95 ≤ 20 ms and at least half the
// bare requests per second.
import {
  bareRequest,
  COMMUNITY_PAGE,
  fmt,
  graphqlRequest,
  LATEST_ALERTS,
  load,
  startBare,
  startTemporal,
  startVigieApi,
  type LoadResult,
} from './data/feed-load.js';
import { feedSpec, startFeedDatabase } from './data/feed-seed.js';
import { prng } from './data/ban-synthetic.js';

const CONNECTIONS = Number(process.env.FEED_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.FEED_SECONDS ?? 20);
const WARMUP = Number(process.env.FEED_WARMUP_SECONDS ?? 5);

export default async function feedBench(): Promise<void> {
  const spec = feedSpec();
  const t0 = Date.now();
  const db = await startFeedDatabase(spec);
  const ready = (Date.now() - t0) / 1000;
  const temporal = await startTemporal();
  try {
    const sessions = db.sessions;
    const pick = (seed: number) => {
      const rand = prng(seed);
      return () => sessions[Math.floor(rand() * sessions.length)]!;
    };
    const opts = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP };
    const results: Record<string, LoadResult> = {};

    // One process at a time on the two cores: the API, then the bare baseline.
    const api = await startVigieApi(db, temporal);
    try {
      for (const [name, query] of [
        ['page', COMMUNITY_PAGE],
        ['alerts', LATEST_ALERTS],
      ] as const) {
        const next = pick(name.length);
        process.stderr.write(`  vigie api: ${name}…\n`);
        results[`api:${name}`] = await load(api.url, () => graphqlRequest(next(), query), opts);
      }
    } finally {
      await api.stop();
    }
    const bare = await startBare(db);
    try {
      for (const name of ['page', 'alerts'] as const) {
        const next = pick(name.length);
        process.stderr.write(`  bare: ${name}…\n`);
        results[`bare:${name}`] = await load(bare.url, () => bareRequest(next(), name), opts);
      }
    } finally {
      await bare.stop();
    }

    const r = (k: string) => results[k]!;
    const line = (label: string, ours: LoadResult, base: LoadResult) => {
      const ratio = ours.rps / Math.max(1, base.rps);
      return [
        `  ${label}`,
        `    vigie api (GraphQL, session, RLS)  ${fmt(ours)}`,
        `    baseline: bare fastify, same SQL   ${fmt(base)}`,
        `    ratio rps ours / bare: ${ratio.toFixed(2)}×   goals p95 ≤ 20 ms: ${ours.p95 <= 20 ? 'met' : 'NOT MET'}, ≥ 0.5× bare: ${ratio >= 0.5 ? 'met' : 'NOT MET'}`,
      ];
    };
    const rows = db.rows;
    process.stdout.write(
      [
        `Feed of ${spec.communes.toLocaleString('en')} communes, ${spec.residents.toLocaleString('en')} residents ` +
          `(${(rows.alerts ?? 0).toLocaleString('en')} alerts, ${(rows.vv_alert_reactions ?? 0).toLocaleString('en')} reactions, ${(rows.sectors ?? 0).toLocaleString('en')} communities, ${(rows.addresses ?? 0).toLocaleString('en')} addresses), ` +
          `${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP} s of warm-up, residents of ${new Set(db.sessions.map((s) => s.tenantId)).size} communes:`,
        `  seeding (COPY): ${db.seedSeconds.toFixed(0)} s${db.cached ? ` when the cache was made; database ready from the cache in ${ready.toFixed(0)} s` : ''}`,
        ...line('(a) community page', r('api:page'), r('bare:page')),
        ...line('(b) latest alerts', r('api:alerts'), r('bare:alerts')),
        '',
      ].join('\n'),
    );
  } finally {
    await temporal.stop();
    await db.stop();
  }
}
