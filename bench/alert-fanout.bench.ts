// Fan-out of one urgent alert to 10,000 residents by SMS, against the local
// Twilio stand-in, through the whole machinery: the GraphQL mutation, the
// delivery workflow on a Temporal dev server, recipients resolved page by
// page into PostgreSQL, child workflows over a sliding window, one send
// activity per SMS on the SMS task queue, and the signed status callbacks
// that mark each delivery delivered.
//
// Figures: time from the mutation to the first provider call, to the last
// one, sends per second, and time until every delivery is `delivered`.
//
// Baseline, same run: a bare loop that sends the same 10,000 SMS with the
// twilio SDK straight to the stand-in, with as many requests in flight as our
// send workers run (no database, no workflow, no callbacks). Our throughput is
// reported as a ratio of the bare loop's. The rate limit of the SMS queue is
// lifted for the run: it is the machinery's cost that is measured, not Twilio's
// contract.
import twilio from 'twilio';
import { alerts } from '@vigie/platform';

const RECIPIENTS = Number(process.env.ALERT_FANOUT_RECIPIENTS ?? 10_000);
const CONCURRENCY = 40;

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

export default async function alertFanoutBench(): Promise<void> {
  const rig = await alerts.loadBenchRig();
  const h = await rig.startBenchRig({
    rates: { smsPerSecond: 100_000, emailPerSecond: 100_000, concurrency: CONCURRENCY },
  });
  try {
    await h.startWorkers();
    const raise = (c: Awaited<ReturnType<typeof rig.seedCommune>>, text: string) =>
      c.police.browser.ok<{ raiseAlert: { id: string } }>(rig.RAISE, {
        input: {
          category: 'individu-suspect',
          severity: 'urgent',
          text,
          target: { kind: 'sectors', sectorIds: [c.sectorId] },
        },
      });
    const settled = (c: Awaited<ReturnType<typeof rig.seedCommune>>, alertId: string) =>
      h.ctx.temporal.client.workflow.getHandle(`${c.tenant.slug}/alert-delivery/${alertId}`).result();

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
    await settled(c, raiseAlert.id);
    const doneAll = Date.now();
    const first = h.twilio.messages[0]!.dateCreated.getTime() - t0;
    const last = h.twilio.messages[h.twilio.messages.length - 1]!.dateCreated.getTime() - t0;
    const ours = RECIPIENTS / ((last - first) / 1000);
    const duplicates = h.twilio.duplicateSends();
    const body = h.twilio.messages[0]!.body;

    const numbers = [...new Set(h.twilio.messages.map((m) => m.to))];
    h.twilio.reset();
    const bare = await bareLoop(
      standInClient(h.twilio.url, h.twilio.accountSid, h.twilio.authToken),
      h.twilio.messagingServiceSid,
      numbers,
      body,
    );
    const bareRate = RECIPIENTS / (bare / 1000);

    process.stdout.write(
      [
        `Urgent alert to ${RECIPIENTS.toLocaleString('en')} residents by SMS (Twilio stand-in, ${CONCURRENCY} sends in flight, rate limit lifted):`,
        `  alert created → first provider call   ${seconds(first)}`,
        `  alert created → last provider call    ${seconds(last)}  (${seconds(sentAll - t0)} as seen by the bench)`,
        `  alert created → every SMS delivered   ${seconds(doneAll - t0)}  (workflow complete, status callbacks applied)`,
        `  sends per second                      ${ours.toFixed(1)}  (duplicates at the stand-in: ${duplicates})`,
        `  baseline: bare SDK loop, same SMS     ${seconds(bare)}, ${bareRate.toFixed(1)} sends/s`,
        `  ratio ours / bare loop: ${(ours / bareRate).toFixed(2)} (${(bareRate / ours).toFixed(1)}× slower)`,
        '',
      ].join('\n'),
    );
  } finally {
    await h.close();
  }
}
