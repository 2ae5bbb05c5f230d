// The local Stripe of `npm start`: the real SDK against stripe-mock through the
// stand-in, which sends the webhooks Stripe would, signed so that Vigie's own
// verification accepts them.
import http from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceList } from './price-list.js';
import { findStripeMock, startStripeStandIn, type StripeStandIn } from './standin.js';

const SECRET = 'whsec_standin_test';
let standIn: StripeStandIn;
let receiver: http.Server;
const events: Stripe.Event[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const sig = req.headers['stripe-signature'] as string;
        events.push(Stripe.webhooks.constructEvent(Buffer.concat(chunks).toString('utf8'), sig, SECRET));
        res.writeHead(200).end('{}');
      } catch {
        res.writeHead(403).end();
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const bin = findStripeMock(`${process.cwd().replace(/\/platform$/, '')}/.vigie/tools`);
  if (!bin) throw new Error('stripe-mock not found (see .ci/run)');
  standIn = await startStripeStandIn({
    bin,
    webhookSecret: SECRET,
    webhookUrl: () => `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`,
    priceList: loadPriceList(),
    log: { warn: () => undefined },
  });
}, 30_000);
afterAll(async () => {
  await standIn?.stop();
  receiver?.close();
});

const sdk = () => {
  const u = new URL(standIn.url);
  return new Stripe(standIn.secretKey, { host: u.hostname, port: Number(u.port), protocol: 'http' });
};
async function until<T>(f: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the local Stripe stand-in', () => {
  it("answers the SDK as stripe-mock does, and sends the first invoice of a subscription at the tier's price", async () => {
    const sub = await sdk().subscriptions.create({
      customer: 'cus_local1',
      items: [{ price: 'price_x' }],
      collection_method: 'send_invoice',
      days_until_due: 30,
      metadata: { tier: 't4' },
    });
    // A term of a year from now, not the fixture's.
    expect(sub.items.data[0]!.current_period_end * 1000).toBeGreaterThan(Date.now() + 364 * 86_400_000);
    const e = await until(() => events.find((x) => x.type === 'invoice.finalized'));
    const inv = e.data.object as Stripe.Invoice;
    expect(inv).toMatchObject({ customer: 'cus_local1', status: 'open', subtotal: 349000, total: 418800 });
    expect(inv.number).toMatch(/^VIGIE-DEV-\d{4}$/);
  });

  it('opens a local Checkout page whose « Payer » completes the session and pays the invoice', async () => {
    const session = await sdk().checkout.sessions.create({
      mode: 'subscription',
      customer: 'cus_local2',
      line_items: [{ price: 'price_x', quantity: 1 }],
      subscription_data: { metadata: { tier: 't1' } },
      success_url: 'http://serris.localhost:3000/mairie/abonnement?paiement=ok',
      cancel_url: 'http://serris.localhost:3000/mairie/abonnement?paiement=annule',
    });
    expect(session.url).toMatch(new RegExp(`^${standIn.url}/checkout/cs_`));
    const page = await fetch(session.url!);
    expect(await page.text()).toContain('<button type="submit">Payer</button>');
    const paid = await fetch(session.url!, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('http://serris.localhost:3000/mairie/abonnement?paiement=ok');
    const done = await until(() => events.find((x) => x.type === 'checkout.session.completed'));
    expect(done.data.object).toMatchObject({ customer: 'cus_local2', mode: 'subscription' });
    const inv = await until(() => events.find((x) => x.type === 'invoice.paid'));
    expect(inv.data.object).toMatchObject({ customer: 'cus_local2', status: 'paid', total: 58800 });
    // A session is paid once.
    expect((await fetch(session.url!, { method: 'POST', redirect: 'manual' })).status).toBe(404);
  });
});
