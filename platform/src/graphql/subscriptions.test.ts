// Subscriptions as a browser uses them: a real WebSocket speaking graphql-ws
// to the app listening on a port, and an event published on the app's pubsub.
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { SYSTEM_NOTICE_TOPIC } from './index.js';

let ctx: TestContext;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await Promise.all(clients.map(async (c) => c.dispose()));
  await ctx?.close();
});

function connect(): Client {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  clients.push(client);
  return client;
}

interface Notice {
  systemNotice: { message: string; at: string };
}

/**
 * The first value of a subscription. The server registers the subscription a
 * moment after the client sends it, so the notice is published again until it
 * arrives instead of guessing a delay.
 */
async function firstNotice(client: Client, publish: () => void): Promise<Notice> {
  const events = client.iterate<Notice>({ query: 'subscription { systemNotice { message at } }' });
  const received = events.next();
  let done = false;
  void received.finally(() => (done = true));
  const deadline = Date.now() + 10_000;
  while (!done && Date.now() < deadline) {
    publish();
    await Promise.race([received, new Promise((r) => setTimeout(r, 100))]);
  }
  if (!done) {
    await events.return?.();
    throw new Error('no system notice within 10 seconds');
  }
  const result = await received;
  await events.return?.();
  if (result.done || !result.value.data) throw new Error(`no notice: ${JSON.stringify(result.value)}`);
  return result.value.data;
}

describe('GraphQL subscriptions over graphql-ws', () => {
  it('push a published system notice to every subscribed client', async () => {
    const notice = { message: 'Maintenance ce soir à 22 h', at: '2030-01-01T21:00:00.000Z' };
    const publish = () =>
      ctx.app.graphql.pubsub.publish({ topic: SYSTEM_NOTICE_TOPIC, payload: { systemNotice: notice } });

    const [a, b] = await Promise.all([firstNotice(connect(), publish), firstNotice(connect(), publish)]);
    expect(a).toEqual({ systemNotice: notice });
    expect(b).toEqual({ systemNotice: notice });
  });

  it('answers an invalid subscription with an error, not a silent socket', async () => {
    const events = connect().iterate({ query: 'subscription { nope }' });
    await expect(events.next()).rejects.toSatisfy((errors: unknown) =>
      JSON.stringify(errors).includes('nope'),
    );
  });
});
