// "A 50,000-recipient alert must work" (issue 5): one alert to 50,000
// residents, in-app, through the whole machinery (GraphQL mutation, delivery
// workflow, recipients resolved in doubling pages whose in-app rows are
// stored by one INSERT … SELECT each, PostgreSQL). In-app keeps the provider
// stand-ins out of the figure: provider fan-out is what alert-fanout.bench.ts
// measures. Also printed: CPU per recipient of this process (workers and
// app), the Temporal server and PostgreSQL.
//
// Baselines, same run: the same 50,000 in-app rows written by one bare
// INSERT … SELECT into a temporary table (no index, no WAL: the issue's
// baseline, the least any write could cost), and the same rows written by bare
// SQL into the real tables, one statement storing the delivery rows and their
// notifications, rolled back (the least a delivery that keeps its record and
// the inbox's indexes could cost). The figures: time to every recipient
// reached, recipients per second, the ratio to each baseline, the runs of the
// workflow, and whether anyone was reached twice.
import { alerts } from '@vigie/platform';
import { serviceMeter } from './data/cpu.js';

const RECIPIENTS = Number(process.env.ALERT_SCALE_RECIPIENTS ?? 50_000);

export default async function alertScaleBench(): Promise<void> {
  const rig = await alerts.loadBenchRig();
  const h = await rig.startBenchRig();
  try {
    await h.startWorkers();
    const c = await rig.seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 1 } });
    await rig.seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: RECIPIENTS,
      channels: ['in_app'],
    });
    const meter = serviceMeter(h.ctx);
    const t0 = Date.now();
    const { raiseAlert } = await c.police.browser.ok<{ raiseAlert: { id: string } }>(rig.RAISE, {
      input: {
        category: 'information',
        severity: 'important',
        text: 'Coupure d’eau générale demain de 8 h à 12 h.',
        target: { kind: 'commune' },
      },
    });
    const result = await h.ctx.temporal.client.workflow
      .getHandle(`${c.tenant.slug}/alert-delivery/${raiseAlert.id}`)
      .result();
    const ours = Date.now() - t0;
    const cpu = meter.stop();
    const perRecipient = (x: number) => `${((x * 1000) / RECIPIENTS).toFixed(3)} ms`;
    const counts = await rig.deliveryCounts(h.ctx.db, c.tenant.id, raiseAlert.id);
    const reached = counts['in_app:delivered'] ?? 0;
    const twice = await h.ctx.ownerDb.transaction(async (trx) => {
      await trx.raw(`select set_config('app.tenant_id', ?, true)`, [c.tenant.id]);
      const r = await trx.raw(
        `select count(*)::int as n from (select account_id from in_app_notifications where kind = 'alert' group by account_id having count(*) > 1) d`,
      );
      return (r.rows as Array<{ n: number }>)[0]!.n;
    });

    // Baseline: the same rows, one statement, in a scratch table shaped like in_app_notifications.
    const bare = await h.ctx.ownerDb.transaction(async (trx) => {
      await trx.raw(`select set_config('app.tenant_id', ?, true)`, [c.tenant.id]);
      await trx.raw(
        'create temporary table bare_in_app (like in_app_notifications including defaults) on commit drop',
      );
      const b0 = Date.now();
      await trx.raw(
        `insert into bare_in_app (tenant_id, account_id, kind, title, body, meta)
         select tenant_id, account_id, 'alert', 'Information', 'Coupure d’eau générale demain de 8 h à 12 h.', '{}'::jsonb from residences where status = 'active'`,
      );
      return Date.now() - b0;
    });
    // Baseline 2: the same rows in the real tables (indexes, foreign keys, RLS as the app role), rolled back.
    const floor = await h.ctx.db
      .transaction(async (trx) => {
        await trx.raw(`select set_config('app.tenant_id', ?, true)`, [c.tenant.id]);
        await trx.raw(`delete from deliveries where alert_id = ?`, [raiseAlert.id]);
        await trx.raw(`delete from in_app_notifications where kind = 'alert'`);
        const b0 = Date.now();
        await trx.raw(
          `with d as (
             insert into deliveries (tenant_id, alert_id, account_id, purpose, channel, status, provider, attempts, sending_at, sent_at, delivered_at)
             select tenant_id, ?, account_id, 'alert', 'in_app', 'delivered', 'in-app', 1, now(), now(), now()
             from residences where status = 'active'
             returning tenant_id, account_id)
           insert into in_app_notifications (tenant_id, account_id, kind, title, body, meta)
           select tenant_id, account_id, 'alert', 'Information', 'Coupure d’eau générale demain de 8 h à 12 h.', '{}'::jsonb from d`,
          [raiseAlert.id],
        );
        throw Object.assign(new Error('rollback'), { elapsed: Date.now() - b0 });
      })
      .catch((e: Error & { elapsed?: number }) => {
        if (e.elapsed === undefined) throw e;
        return e.elapsed;
      });

    process.stdout.write(
      [
        `Alert to ${RECIPIENTS.toLocaleString('en')} residents, in-app (${result.totals.batches} batches, ${result.runs} workflow runs):`,
        `  alert created → every recipient reached   ${(ours / 1000).toFixed(1)} s, ${((reached / ours) * 1000).toFixed(0)} recipients/s`,
        `  reached: ${reached.toLocaleString('en')} of ${result.totals.recipients.toLocaleString('en')} recipients; reached twice: ${twice}`,
        `  baseline: one bare INSERT … SELECT of the same rows into a temporary table   ${(bare / 1000).toFixed(2)} s`,
        `  baseline: the same rows by bare SQL into deliveries and in_app_notifications   ${(floor / 1000).toFixed(2)} s`,
        `  CPU per recipient: this Node process ${perRecipient(cpu.node!)}, Temporal ${perRecipient(cpu.temporal!)}, PostgreSQL ${perRecipient(cpu.postgres!)}`,
        `  ratio ours / bare insert into a temporary table: ${(ours / Math.max(1, bare)).toFixed(1)}×`,
        `  ratio ours / bare SQL into the real tables: ${(ours / Math.max(1, floor)).toFixed(1)}×`,
        '',
      ].join('\n'),
    );
  } finally {
    await h.close();
  }
}
