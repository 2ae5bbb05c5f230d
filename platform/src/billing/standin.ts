// The local Stripe for `npm start`: Stripe's own stateless stand-in
// (stripe-mock, answers every API call as the real SDK expects) behind a thin
// proxy that does the one thing stripe-mock cannot, send the webhooks Stripe
// would send. After a subscription is created it sends, signed with the local
// webhook secret, the finalised first invoice (the tier's price and 20 % VAT,
// as Stripe Tax would); Checkout sessions open a local page whose « Payer »
// completes them. Development only: production talks to Stripe.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { PriceList } from './price-list.js';

export const STRIPE_MOCK_VERSION = '0.203.0';

/** STRIPE_MOCK, then <toolsDir>/go/stripe-mock, then PATH; `go install` into toolsDir when asked and go is there. */
export function findStripeMock(toolsDir: string, o: { install?: boolean; log?: (m: string) => void } = {}) {
  const local = path.join(toolsDir, 'go', 'stripe-mock');
  for (const c of [process.env.STRIPE_MOCK, local]) if (c && existsSync(c)) return c;
  if (spawnSync('stripe-mock', ['-version']).status === 0) return 'stripe-mock';
  if (!o.install || spawnSync('go', ['version']).status !== 0) return undefined;
  o.log?.(`Installing stripe-mock ${STRIPE_MOCK_VERSION} (Go module proxy) into ${path.dirname(local)}…`);
  const res = spawnSync('go', ['install', `github.com/stripe/stripe-mock@v${STRIPE_MOCK_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(local) },
    stdio: 'ignore',
    timeout: 180_000,
  });
  return res.status === 0 && existsSync(local) ? local : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once stripe-mock listens on the port; fails if it exits first. */
export async function waitForStripeMock(
  port: number,
  child: ChildProcess,
  timeoutMs = 15_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`stripe-mock exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error('stripe-mock did not start in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An event as Stripe sends it, signed the way Stripe signs it (the SDK's own helper). */
export async function signedEvent(
  type: string,
  object: object,
  secret: string,
  o: { id?: string; created?: number } = {},
): Promise<{ id: string; payload: string; signature: string }> {
  const { default: Stripe } = await import('stripe');
  const id = o.id ?? `evt_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: o.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
  return { id, payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

export interface StripeStandIn {
  /** STRIPE_API_BASE_URL for the SDK. */
  url: string;
  secretKey: string;
  webhookSecret: string;
  stop(): Promise<void>;
}

interface PendingCheckout {
  customer: string;
  tier: string | undefined;
  successUrl: string;
  cancelUrl: string;
}

export async function startStripeStandIn(o: {
  bin: string;
  webhookSecret: string;
  /** Where the webhooks go (Vigie's POST /webhooks/stripe), known once the API listens. */
  webhookUrl: () => string;
  priceList: PriceList;
  log: { warn(m: string): void };
}): Promise<StripeStandIn> {
  const [mockPort, port] = await Promise.all([freePort(), freePort()]);
  const child = spawn(o.bin, ['-http-port', String(mockPort), '-https-port', '0'], { stdio: 'ignore' });
  await waitForStripeMock(mockPort, child);
  const base = `http://127.0.0.1:${port}`;
  const checkouts = new Map<string, PendingCheckout>();
  let invoiceNumber = 0;

  const send = async (type: string, object: object) => {
    const { payload, signature } = await signedEvent(type, object, o.webhookSecret);
    // Stripe retries a refused event (the subscription's transaction may not
    // have committed yet); so does the stand-in, every second for a while.
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        const res = await fetch(o.webhookUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          body: payload,
        });
        if (res.ok) return;
      } catch {
        /* the API may not listen yet */
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    o.log.warn(`stripe stand-in: ${type} was refused for 30 seconds`);
  };

  const invoiceFor = (customer: string, tierId: string | undefined, paid: boolean) => {
    const tier = o.priceList.tiers.find((t) => t.id === tierId) ?? o.priceList.tiers[0]!;
    const now = Math.floor(Date.now() / 1000);
    const subtotal = tier.yearlyPriceCents;
    const total = Math.round(subtotal * (1 + o.priceList.vatRate));
    invoiceNumber++;
    return {
      id: `in_standin${now}${invoiceNumber}`,
      object: 'invoice',
      customer,
      status: paid ? 'paid' : 'open',
      number: `VIGIE-DEV-${String(invoiceNumber).padStart(4, '0')}`,
      currency: o.priceList.currency,
      subtotal,
      total_excluding_tax: subtotal,
      total,
      amount_due: total,
      amount_paid: paid ? total : 0,
      created: now,
      due_date: paid ? null : now + 30 * 86_400,
      hosted_invoice_url: null,
      status_transitions: { finalized_at: now, paid_at: paid ? now : null },
      lines: {
        object: 'list',
        data: [
          {
            id: `il_standin${now}`,
            object: 'line_item',
            description: `1 × ${
              tier.maxPopulation === null
                ? `Vigie, abonnement annuel (${tier.minPopulation.toLocaleString('fr-FR')} habitants et plus)`
                : `Vigie, abonnement annuel (${tier.minPopulation.toLocaleString('fr-FR')} à ${tier.maxPopulation.toLocaleString('fr-FR')} habitants)`
            }`,
            quantity: 1,
            amount: subtotal,
            currency: o.priceList.currency,
            period: { start: now, end: now + 365 * 86_400 },
          },
        ],
      },
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', base);
      const checkout = /^\/checkout\/(cs_[A-Za-z0-9_]+)$/.exec(url.pathname);
      if (checkout) return checkoutPage(checkout[1]!, req.method ?? 'GET', res);
      const params = new URLSearchParams(body.toString('utf8'));
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: mockPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${mockPort}` },
        },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            let text = Buffer.concat(out).toString('utf8');
            const ok = (up.statusCode ?? 500) < 300 && req.method === 'POST';
            if (ok && url.pathname === '/v1/subscriptions') {
              // stripe-mock's fixture term ends in 2000: a new subscription runs for a year from now.
              const sub = JSON.parse(text) as { items?: { data?: Array<Record<string, unknown>> } };
              const now = Math.floor(Date.now() / 1000);
              for (const item of sub.items?.data ?? []) {
                item.current_period_start = now;
                item.current_period_end = now + 365 * 86_400;
              }
              text = JSON.stringify(sub);
              const customer = params.get('customer');
              if (customer)
                setTimeout(
                  () =>
                    void send(
                      'invoice.finalized',
                      invoiceFor(customer, params.get('metadata[tier]') ?? undefined, false),
                    ),
                  500,
                );
            }
            if (ok && url.pathname === '/v1/checkout/sessions') {
              const session = JSON.parse(text) as { id: string; url: string | null };
              const id = `cs_standin_${Date.now().toString(36)}`;
              checkouts.set(id, {
                customer: params.get('customer') ?? '',
                tier: params.get('subscription_data[metadata][tier]') ?? undefined,
                successUrl: params.get('success_url') ?? '/',
                cancelUrl: params.get('cancel_url') ?? '/',
              });
              text = JSON.stringify({ ...session, id, url: `${base}/checkout/${id}` });
            }
            const headers = { ...up.headers };
            delete headers['content-length'];
            res.writeHead(up.statusCode ?? 500, headers);
            res.end(text);
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });

  function checkoutPage(id: string, method: string, res: http.ServerResponse) {
    const c = checkouts.get(id);
    if (!c) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('Session inconnue.');
    }
    if (method === 'POST') {
      checkouts.delete(id);
      const sub = `sub_standin_${Date.now().toString(36)}`;
      void (async () => {
        await send('checkout.session.completed', {
          id,
          object: 'checkout.session',
          mode: 'subscription',
          status: 'complete',
          customer: c.customer,
          subscription: sub,
        });
        const now = Math.floor(Date.now() / 1000);
        await send('customer.subscription.updated', {
          id: sub,
          object: 'subscription',
          customer: c.customer,
          status: 'active',
          cancel_at_period_end: false,
          items: {
            object: 'list',
            data: [{ current_period_start: now, current_period_end: now + 365 * 86_400 }],
          },
        });
        await send('invoice.paid', invoiceFor(c.customer, c.tier, true));
      })();
      res.writeHead(303, { location: c.successUrl });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="fr"><meta charset="utf-8"><title>Paiement (Stripe, simulation locale)</title>
<main style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1>Paiement par carte ou prélèvement SEPA</h1>
<p>Simulation locale de Stripe Checkout : aucune somme n’est prélevée.</p>
<form method="post"><button type="submit">Payer</button></form>
<p><a href="${c.cancelUrl.replace(/"/g, '&quot;')}">Abandonner</a></p></main></html>`);
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: base,
    secretKey: 'sk_test_vigielocal',
    webhookSecret: o.webhookSecret,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
