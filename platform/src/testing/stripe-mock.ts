// stripe-mock (Stripe's own stateless stand-in, built from their OpenAPI
// spec) on a free port, for the real `stripe` SDK. `.ci/run` installs it into
// .vigie/tools/go; STRIPE_MOCK or PATH may point elsewhere. It sends no
// webhooks: tests sign events themselves with stripe.webhooks.generateTestHeaderString.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type Stripe from 'stripe';
import { findStripeMock, signedEvent, waitForStripeMock } from '../billing/index.js';
import { freePort } from './ports.js';

export interface StripeMock {
  url: string;
  /** Environment for createTestContext: the SDK pointed at the stand-in. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_vigie_test_secret';

function binary(repoRoot: string): string {
  const found = findStripeMock(path.join(repoRoot, '.vigie/tools'));
  if (found) return found;
  throw new Error(
    'stripe-mock not found: GOBIN=$PWD/.vigie/tools/go go install github.com/stripe/stripe-mock@v0.203.0 (or set STRIPE_MOCK)',
  );
}

export async function startStripeMock(repoRoot: string): Promise<StripeMock> {
  const [http, https] = await Promise.all([freePort(), freePort()]);
  const child = spawn(binary(repoRoot), ['-http-port', String(http), '-https-port', String(https)], {
    stdio: 'ignore',
  });
  await waitForStripeMock(http, child);
  const url = `http://127.0.0.1:${http}`;
  return {
    url,
    env: {
      STRIPE_SECRET_KEY: 'sk_test_vigie',
      STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: url,
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** An event as Stripe sends it, signed the way Stripe signs it, with the SDK's own helper. */
export function signedStripeEvent(
  type: string,
  object: object,
  o: { id?: string; created?: number } = {},
): Promise<{ id: string; payload: string; signature: string }> {
  return signedEvent(type, object, STRIPE_TEST_WEBHOOK_SECRET, o);
}

const YEAR = 365 * 86_400;
/** A yearly invoice of tier 2 (990 € HT, 20 % VAT) as Stripe's types describe it. */
export function stripeInvoiceObject(
  customer: string,
  o: {
    id?: string;
    status?: Stripe.Invoice.Status;
    number?: string | null;
    paidAt?: number;
    subtotalCents?: number;
    description?: string;
  } = {},
): Partial<Stripe.Invoice> & { total_excluding_tax: number } {
  const now = Math.floor(Date.now() / 1000);
  const subtotal = o.subtotalCents ?? 99000;
  const total = Math.round(subtotal * 1.2);
  return {
    id: o.id ?? `in_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`,
    object: 'invoice',
    customer,
    status: o.status ?? 'open',
    number: o.number === undefined ? `VIGIE-${Math.floor(Math.random() * 1e6)}` : o.number,
    currency: 'eur',
    collection_method: 'send_invoice',
    subtotal,
    total_excluding_tax: subtotal,
    total,
    amount_due: total,
    amount_paid: o.status === 'paid' ? total : 0,
    created: now,
    due_date: now + 30 * 86_400,
    hosted_invoice_url: 'https://invoice.stripe.com/i/acct_test/test_inv',
    status_transitions: {
      finalized_at: o.status === 'draft' ? null : now,
      paid_at: o.paidAt ?? null,
      marked_uncollectible_at: null,
      voided_at: null,
    },
    lines: {
      object: 'list',
      has_more: false,
      url: '/v1/invoices/x/lines',
      data: [
        {
          id: 'il_1',
          object: 'line_item',
          description: o.description ?? '1 × Vigie, abonnement annuel (2 000 à 4 999 habitants)',
          quantity: 1,
          amount: subtotal,
          currency: 'eur',
          period: { start: now, end: now + YEAR },
        } as Stripe.InvoiceLineItem,
      ],
    },
  };
}
