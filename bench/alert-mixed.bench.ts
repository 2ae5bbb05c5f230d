// A city-wide alert on every channel at once, with the production rate
// limits (30 SMS/s, 14 emails/s, 200 pushes/s, held by the shared token
// buckets): a quarter of the recipients each by SMS, email, web push and
// in-app. The rate limits, not the machinery, should set the pace: the time
// from the alert to the last provider call of each channel is compared with
// what its rate allows ((n − one chunk) / rate), and must be within 10 % of it.
//
// The default is the issue's 30,000 recipients: about 9 minutes, the emails'
// 7,500 at 14/s. MIXED_RECIPIENTS=4000 gives the same figure in about a minute.
import { alerts } from '@vigie/platform';
import { serviceMeter } from './data/cpu.js';

const RECIPIENTS = Number(process.env.MIXED_RECIPIENTS ?? 30_000);
const RATES = { sms: 30, email: 14, push: 200 } as const;
/** As send-rate.ts: the bucket holds a fifth of a second's worth at most. */
const chunk = (rate: number) => Math.max(1, Math.ceil(rate * 0.2));

export default async function alertMixedBench(): Promise<void> {
  const rig = await alerts.loadBenchRig();
  const push = await rig.startPushEndpoint();
  const h = await rig.startBenchRig({
    rates: { smsPerSecond: RATES.sms, emailPerSecond: RATES.email, pushPerSecond: RATES.push },
  });
  try {
    await h.startWorkers();
    const c = await rig.seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 0 } });
    const quarter = Math.floor(RECIPIENTS / 4);
    await rig.seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: quarter,
      channels: ['sms'],
      emailVerified: false,
    });
    await rig.seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: quarter,
      channels: ['email'],
      phoneVerified: false,
      phoneOffset: 1_000_000,
    });
    const pushers = await rig.seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: quarter,
      channels: ['push'],
      phoneVerified: false,
      emailVerified: false,
      phoneOffset: 2_000_000,
    });
    await rig.seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: RECIPIENTS - 3 * quarter,
      channels: ['in_app'],
      phoneOffset: 3_000_000,
    });
    // One device each, as a browser's PushManager.subscribe() would give.
    const devices = pushers.map((id) => ({ id, d: push.subscribe() }));
    for (let i = 0; i < devices.length; i += 1000) {
      await h.ctx.ownerDb.transaction(async (trx) => {
        await trx.raw(`select set_config('app.tenant_id', ?, true)`, [c.tenant.id]);
        await trx('push_subscriptions').insert(
          devices.slice(i, i + 1000).map(({ id, d }) => ({
            tenant_id: c.tenant.id,
            account_id: id,
            endpoint: d.endpoint,
            p256dh: d.keys.p256dh,
            auth: d.keys.auth,
            label: 'Téléphone',
          })),
        );
      });
    }
    const meter = serviceMeter(h.ctx);
    const t0 = Date.now();
    const { raiseAlert } = await c.police.browser.ok<{ raiseAlert: { id: string } }>(rig.RAISE, {
      input: {
        category: 'information',
        severity: 'urgent',
        text: 'Alerte inondation : montée rapide de la Marne, évitez les berges et les sous-sols.',
        target: { kind: 'commune' },
      },
    });
    let relaying = true;
    // SES's delivery events, as SNS would post them, so that the emails end `delivered`.
    const relay = (async () => {
      while (relaying) {
        await h.relaySesDeliveries();
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    await h.ctx.temporal.client.workflow
      .getHandle(`${c.tenant.slug}/alert-delivery/${raiseAlert.id}`)
      .result();
    relaying = false;
    await relay;
    const cpu = meter.stop();
    const rows = await h.ctx.ownerDb.transaction(async (trx) => {
      await trx.raw(`select set_config('app.tenant_id', ?, true)`, [c.tenant.id]);
      const r = await trx.raw(
        `select d.channel, count(*)::int as n, count(*) filter (where d.status = 'delivered')::int as delivered,
                extract(epoch from min(d.sent_at) - a.created_at) * 1000 as first_ms,
                extract(epoch from max(d.sent_at) - a.created_at) * 1000 as last_ms
         from deliveries d join alerts a on a.id = d.alert_id
         where d.alert_id = ? and d.purpose = 'alert' group by d.channel, a.created_at order by d.channel`,
        [raiseAlert.id],
      );
      return r.rows as Array<{
        channel: string;
        n: number;
        delivered: number;
        first_ms: number;
        last_ms: number;
      }>;
    });
    const lines: string[] = [];
    let allowedMax = 0;
    let lastMax = 0;
    for (const r of rows) {
      const rate = RATES[r.channel as keyof typeof RATES];
      const allowed = rate ? (Math.max(0, r.n - chunk(rate)) / rate) * 1000 : 0;
      if (rate) {
        allowedMax = Math.max(allowedMax, allowed);
        lastMax = Math.max(lastMax, r.last_ms);
      }
      lines.push(
        `  ${r.channel.padEnd(7)} ${String(r.n).padStart(6)} deliveries, ${r.delivered} delivered; first ${(r.first_ms / 1000).toFixed(2)} s, last ${(r.last_ms / 1000).toFixed(2)} s` +
          (rate
            ? `; the rate (${rate}/s) allows ${(allowed / 1000).toFixed(2)} s: ${(r.last_ms / allowed).toFixed(3)}×`
            : ''),
      );
    }
    const per = (x: number) => `${((x * 1000) / RECIPIENTS).toFixed(2)} ms`;
    process.stdout.write(
      [
        `City-wide urgent alert to ${RECIPIENTS.toLocaleString('en')} residents, a quarter each by SMS, email, push and in-app, production rate limits:`,
        ...lines,
        `  alert → last provider call ${(lastMax / 1000).toFixed(2)} s; the rate limits allow ${(allowedMax / 1000).toFixed(2)} s: ${(lastMax / allowedMax).toFixed(3)}× (goal ≤ 1.10×); whole alert settled in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        `  CPU per recipient: this Node process ${per(cpu.node!)}, Temporal ${per(cpu.temporal!)}, PostgreSQL ${per(cpu.postgres!)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await h.close();
    await push.close();
  }
}
