// The console's statistics at scale (issue 12): a commune with 50,000 alerts
// over the year and 30,000 verified residents, and the year's report (the year
// and each of its twelve months, every figure of the core's source) computed
// as the statistics page asks it, under row-level security. Goal: under 500 ms.
//
// Baseline from the same run and the same data: one bare grouped query that
// counts the year's alerts per month, through the same pool and transaction
// setup; the ratio says what the report's dozens of figures cost beyond it.
// The GraphQL layer around the report is left out here (a few ms); the scale
// test, plugins/mairie-vigilante/src/statistics/scale.test.ts, times the page's
// query end to end and prints it.
import { withTenant, alerts } from '@vigie/platform';
import { buildReport, seedStatisticsScale } from '@vigie/plugin-mairie-vigilante/statistics-bench';
import { createCommune, startBenchDatabase, summary } from './data/database.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const GOAL_MS = 500;

export default async function bench(): Promise<void> {
  const db = await startBenchDatabase();
  try {
    const year = new Date().getUTCFullYear() - 1;
    const seed = { year, alerts: 50_000, residents: 30_000 };
    const tenantId = await createCommune(db, 'stats-bench', '77449', 'Serris');
    let t0 = performance.now();
    await withTenant(db.owner, tenantId, (trx) => seedStatisticsScale(trx, tenantId, seed));
    process.stdout.write(
      `seeded ${seed.alerts} alerts and ${seed.residents} residents in ${Math.round(performance.now() - t0)} ms\n`,
    );

    const report = () =>
      withTenant(db.app, tenantId, (trx) => buildReport(trx, [alerts.alertsStatistics], year));
    const bare = () =>
      withTenant(db.app, tenantId, (trx) =>
        trx.raw(
          `select date_trunc('month', created_at at time zone 'Europe/Paris') m, count(*)
           from alerts where created_at >= ? and created_at < ? group by 1`,
          [`${year}-01-01T00:00:00+01:00`, `${year + 1}-01-01T00:00:00+01:00`],
        ),
      );
    // Warm both: plans cached, pages in memory, as on a console in use.
    const first = await report();
    await bare();
    const figures = first.sections.flatMap((s) => s.figures).length;
    const counted = first.sections[0]?.figures.find((f) => f.key === 'alerts')?.value;
    if (counted !== seed.alerts) throw new Error(`the report counted ${counted} alerts, not ${seed.alerts}`);

    const reportMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      await bare();
      bareMs.push(performance.now() - t0);
      t0 = performance.now();
      await report();
      reportMs.push(performance.now() - t0);
    }
    const r = summary(reportMs);
    const b = summary(bareMs);
    process.stdout.write(
      `year's report (${figures} figures × 13 periods), ${RUNS} runs: p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms / goal ${GOAL_MS} ms → ${(r.p95 / GOAL_MS).toFixed(2)} of the goal\n` +
        `baseline (one grouped count of the year's alerts per month): p50 ${b.p50.toFixed(1)} ms → report/baseline ${(r.p50 / b.p50).toFixed(1)}×\n`,
    );
  } finally {
    await db.stop();
  }
}
