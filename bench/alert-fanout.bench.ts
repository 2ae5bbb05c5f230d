// Fan-out of one urgent alert to 10,000 residents by SMS, against the local
// Twilio stand-in, through the whole machinery: the GraphQL mutation, the
// delivery workflow on a Temporal dev server, recipients resolved page by
// page into PostgreSQL, child workflows over a sliding window, one batch send
// activity per channel and batch on the SMS task queue (claim, sends under the
// shared token bucket, group commits), and the signed status callbacks,
// handled by a separate API process (as `vigie api` in production) that
// records them in group commits.
//
// Figures: time from the mutation to the first provider call, to the last
// one, sends per second, time until every delivery is `delivered`, history
// events per recipient, CPU per message of each process (this Node process:
// the workers, the GraphQL app and the stand-in; the API process; the Temporal
// server; PostgreSQL), and the time from an alert to its first provider call
// over 20 small alerts (p50, p95).
//
// Baseline, same run: a bare loop that sends the same 10,000 SMS with the
// twilio SDK straight to the stand-in, with as many requests in flight as our
// send workers run (no database, no workflow, no callbacks). Our throughput is
// reported as a ratio of the bare loop's. The rate limit is lifted for the
// run: it is the machinery's cost that is measured, not Twilio's contract.
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { Client } from '@temporalio/client';
import twilio from 'twilio';
import { alerts } from '@vigie/platform';
import { cpuMeter, serviceMeter } from './data/cpu.js';

const RECIPIENTS = Number(process.env.ALERT_FANOUT_RECIPIENTS ?? 10_000);
const CONCURRENCY = 40;
const RATES = { smsPerSecond: 100_000, emailPerSecond: 100_000, concurrency: CONCURRENCY };
// `process` (default): the workers in a process of their own, as `vigie worker` runs in
// production; `inline`: in this process, next to the app and the stand-in, as before.
const WORKERS = process.env.ALERT_FANOUT_WORKERS === 'inline' ? 'inline' : 'process';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The SDK's own request client, with the origin rewritten to the stand-in (as the platform's adapter does). */
function standInClient(base: string, accountSid: string, authToken: string): twilio.Twilio {
  class Rebased extends twilio.RequestClient {
    override request<T>(opts: Parameters<typeof twilio.RequestClient.prototype.request<T>>[0]) {
      return super.request<T>({ ...opts, uri: opts.uri.replace('https://api.twilio.com', base) });
    }
  }
  return twilio(accountSid, authToken, { httpClient: new Rebased({ keepAlive: true, autoRetry: false }) });
}

async function bareLoop(
  client: twilio.Twilio,
  serviceSid: string,
  numbers: string[],
  body: string,
): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < numbers.length) {
        const to = numbers[next++]!;
        await client.messages.create({ to, body, messagingServiceSid: serviceSid });
      }
    }),
  );
  return performance.now() - t0;
}

/** History events of the alert's workflow (every run) and of its batch children. */
async function historyEvents(
  h: { ctx: { temporal: { client: Client } } },
  workflowId: string,
  batches: number,
): Promise<number> {
  const client = h.ctx.temporal.client;
  let n = 0;
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    n += (await client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events?.length ?? 0;
  for (let b = 0; b < batches; b++)
    n += (await client.workflow.getHandle(`${workflowId}/batch/${b}`).fetchHistory()).events?.length ?? 0;
  return n;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export default async function alertFanoutBench(): Promise<void> {
  const rig = await alerts.loadBenchRig();
  // Status callbacks go over HTTP to the API process once it runs (in-process before).
  let apiBase: string | undefined;
  let callbacksRefused = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const h = await rig.startBenchRig({
    rates: RATES,
    twilio: {
      // node:http with kept-alive sockets: the stand-in's own cost (it plays Twilio) stays small next to ours.
      sink: (url, headers, body) =>
        new Promise<number>((resolve, reject) => {
          const u = new URL(url);
          const req = http.request(
            `${apiBase}${u.pathname}${u.search}`,
            { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent },
            (res) => {
              res.resume();
              res.on('end', () => {
                if (res.statusCode !== 200) callbacksRefused++;
                resolve(res.statusCode ?? 0);
              });
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
    },
  });
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  try {
    const started = await rig.startApiProcess(h, 20);
    api = started.proc;
    apiBase = started.base;
    if (WORKERS === 'inline') await h.startWorkers();
    else worker = await rig.startWorkerProcess(h, RATES);
    type Commune = Awaited<ReturnType<typeof rig.seedCommune>>;
    const raise = (c: Commune, text: string) =>
      c.police.browser.ok<{ raiseAlert: { id: string } }>(rig.RAISE, {
        input: {
          category: 'individu-suspect',
          severity: 'urgent',
          text,
          target: { kind: 'sectors', sectorIds: [c.sectorId] },
        },
      });
    const settled = (c: Commune, alertId: string) =>
      h.ctx.temporal.client.workflow
        .getHandle(`${c.tenant.slug}/alert-delivery/${alertId}`)
        .result() as Promise<{ totals: { batches: number } }>;

    // Warm-up on another commune: code paths compiled, provider clients and pools open, as on a running worker.
    const warm = await rig.seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 1 } });
    await rig.seedMembers(h.ctx.ownerDb, warm.tenant.id, warm.sectorId, {
      count: 200,
      channels: ['sms'],
      emailVerified: false,
      phoneOffset: 900_000,
    });
    await settled(warm, (await raise(warm, 'Échauffement')).raiseAlert.id);
    h.twilio.reset();

    const c = await rig.seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 1 } });
    await rig.seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: RECIPIENTS,
      channels: ['sms'],
      emailVerified: false,
    });
    const meter = serviceMeter(h.ctx, {
      api: () => [api!.pid!],
      ...(worker ? { worker: () => [worker!.pid!] } : {}),
    });
    const t0 = Date.now();
    const { raiseAlert } = await raise(
      c,
      'Deux individus testent les poignées de portes rue des Lilas, signalez tout mouvement suspect.',
    );
    await rig.waitFor(
      'every SMS at the stand-in',
      async () => h.twilio.messages.length >= RECIPIENTS,
      3_600_000,
      100,
    );
    const sentAll = Date.now();
    const result = await settled(c, raiseAlert.id);
    const doneAll = Date.now();
    const cpu = meter.stop();
    const first = h.twilio.messages[0]!.dateCreated.getTime() - t0;
    const last = h.twilio.messages[h.twilio.messages.length - 1]!.dateCreated.getTime() - t0;
    const ours = RECIPIENTS / ((last - first) / 1000);
    const duplicates = h.twilio.duplicateSends();
    const body = h.twilio.messages[0]!.body;
    const numbers = [...new Set(h.twilio.messages.map((m) => m.to))];
    const events = await historyEvents(
      h,
      `${c.tenant.slug}/alert-delivery/${raiseAlert.id}`,
      result.totals.batches,
    );

    // Alert to first provider call, 20 small alerts one after another on a quiet system.
    const small = await rig.seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 0 } });
    await rig.seedMembers(h.ctx.ownerDb, small.tenant.id, small.sectorId, {
      count: 5,
      channels: ['sms'],
      emailVerified: false,
      phoneOffset: 950_000,
    });
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      h.twilio.reset();
      const t = Date.now();
      const r = await raise(small, `Alerte courte ${i + 1}`);
      await rig.waitFor('the first SMS', async () => h.twilio.messages.length > 0, 60_000, 5);
      latencies.push(h.twilio.messages[0]!.dateCreated.getTime() - t);
      await settled(small, r.raiseAlert.id);
    }

    h.twilio.reset();
    const bareMeter = cpuMeter({ node: () => [process.pid] });
    const bare = await bareLoop(
      standInClient(h.twilio.url, h.twilio.accountSid, h.twilio.authToken),
      h.twilio.messagingServiceSid,
      numbers,
      body,
    );
    const bareCpu = bareMeter.stop();
    const bareRate = numbers.length / (bare / 1000);
    const perMsg = (s: number) => `${((s * 1000) / RECIPIENTS).toFixed(2)} ms`;
    const total = Object.values(cpu).reduce((a, b) => a + b, 0);

    process.stdout.write(
      [
        `Urgent alert to ${RECIPIENTS.toLocaleString('en')} residents by SMS (Twilio stand-in, ${CONCURRENCY} sends in flight, rate limit lifted; workers ${WORKERS === 'process' ? 'in a process of their own' : 'in this process'}; callbacks to a separate API process):`,
        `  alert created → first provider call   ${seconds(first)}`,
        `  alert created → last provider call    ${seconds(last)}  (${seconds(sentAll - t0)} as seen by the bench)`,
        `  alert created → every SMS delivered   ${seconds(doneAll - t0)}  (workflow complete, status callbacks applied; ${callbacksRefused} callbacks refused)`,
        `  sends per second                      ${ours.toFixed(1)}  (duplicates at the stand-in: ${duplicates})`,
        `  history events                        ${events} for ${result.totals.batches} batches: ${(events / RECIPIENTS).toFixed(3)} per recipient`,
        `  CPU per SMS: ${worker ? `worker process ${perMsg(cpu.worker!)}, this Node process ${perMsg(cpu.node!)} (app, stand-in)` : `this Node process ${perMsg(cpu.node!)} (workers, app, stand-in)`}, API process ${perMsg(cpu.api!)}, Temporal ${perMsg(cpu.temporal!)}, PostgreSQL ${perMsg(cpu.postgres!)}; total ${perMsg(total)}`,
        `  alert → first provider call, 20 alerts of 5: p50 ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms`,
        `  baseline: bare SDK loop, same SMS     ${seconds(bare)}, ${bareRate.toFixed(1)} sends/s, CPU ${((bareCpu.node! * 1000) / numbers.length).toFixed(2)} ms per SMS (this process, stand-in included)`,
        `  ratio ours / bare loop: ${(ours / bareRate).toFixed(2)} (${(bareRate / ours).toFixed(1)}× slower)`,
        '',
      ].join('\n'),
    );
  } finally {
    api?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    agent.destroy();
    await h.close();
  }
}
