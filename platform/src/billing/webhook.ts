// POST /webhooks/stripe: the signature is checked on the raw body as Stripe
// sent it (a re-serialised JSON would not match), then the event is mapped to
// the state machine's vocabulary and applied once per event id.
import type Stripe from 'stripe';
import { fail } from './errors.js';
import { applyBillingEvent, type Applied, type BillingDeps } from './apply.js';
import type { BillingEvent } from './transitions.js';
import { recordInvoice } from './invoices.js';
import { loadOnce } from '../lib/load-once.js';

/** Invoice events whose object is recorded as the commune's invoice (drafts are not shown). */
const INVOICE_EVENTS = new Set([
  'invoice.finalized',
  'invoice.updated',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.overdue',
  'invoice.voided',
  'invoice.marked_uncollectible',
]);

// Loaded with the first webhook, not at start-up: a process without billing never needs the SDK.
const stripeSdk = loadOnce(async () => (await import('stripe')).default);

export interface WebhookOutcome extends Applied {
  eventType: string;
  ignored?: boolean;
}

const id = (v: string | { id: string } | null | undefined): string | null =>
  typeof v === 'string' ? v : (v?.id ?? null);

/** The customer an event is about, and what it means for the state machine (undefined: not ours to act on). */
export function toBillingEvent(
  event: Stripe.Event,
): { customer: string | null; event: BillingEvent } | undefined {
  switch (event.type) {
    case 'invoice.paid':
      return {
        customer: id(event.data.object.customer),
        event: { type: 'invoice.paid', invoiceId: event.data.object.id! },
      };
    case 'invoice.payment_failed':
    case 'invoice.overdue':
      return {
        customer: id(event.data.object.customer),
        event: { type: 'invoice.unpaid', invoiceId: event.data.object.id! },
      };
    case 'customer.subscription.updated': {
      const s = event.data.object;
      const end = s.items?.data?.[0]?.current_period_end;
      return {
        customer: id(s.customer),
        event: {
          type: 'subscription.updated',
          subscriptionId: s.id,
          periodEnd: typeof end === 'number' ? new Date(end * 1000) : null,
          cancelAtPeriodEnd: s.cancel_at_period_end,
        },
      };
    }
    case 'checkout.session.completed': {
      const session = event.data.object;
      const subscription = id(session.subscription);
      if (session.mode !== 'subscription' || !subscription) return undefined;
      return {
        customer: id(session.customer),
        event: { type: 'checkout.completed', subscriptionId: subscription },
      };
    }
    case 'customer.subscription.deleted':
      return {
        customer: id(event.data.object.customer),
        event: { type: 'subscription.deleted', subscriptionId: event.data.object.id },
      };
    default:
      return undefined;
  }
}

export async function handleStripeWebhook(
  deps: BillingDeps & { webhookSecret: string | undefined },
  req: { rawBody: string; signature: string | undefined; requestId?: string },
): Promise<WebhookOutcome> {
  if (!deps.webhookSecret || !req.signature) throw fail('STRIPE_SIGNATURE_INVALID');
  let event: Stripe.Event;
  try {
    const StripeSdk = await stripeSdk();
    event = StripeSdk.webhooks.constructEvent(req.rawBody, req.signature, deps.webhookSecret);
  } catch {
    throw fail('STRIPE_SIGNATURE_INVALID');
  }
  const mapped = toBillingEvent(event);
  const invoice = INVOICE_EVENTS.has(event.type) ? (event.data.object as Stripe.Invoice) : undefined;
  if (!mapped && !invoice) return { outcome: 'unchanged', eventType: event.type, ignored: true };
  const customer = mapped?.customer ?? id(invoice?.customer);
  const tenantId = customer ? await tenantOfCustomer(deps, customer) : undefined;
  // Refused rather than swallowed: Stripe retries for three days, which also
  // covers an event that overtook the commit of a customer we just created.
  if (!tenantId) throw fail('BILLING_CUSTOMER_UNKNOWN', undefined, { customer: customer ?? '' });
  // The invoice first, so that a state change's notice finds it listed. The
  // upsert is its own idempotence: a redelivery writes the same snapshot.
  const recorded = invoice
    ? await recordInvoice(deps, tenantId, invoice, new Date(event.created * 1000))
    : false;
  if (!mapped) return { outcome: recorded ? 'applied' : 'unchanged', eventType: event.type };
  const applied = await applyBillingEvent(deps, tenantId, mapped.event, {
    eventId: event.id,
    ...(req.requestId ? { requestId: req.requestId } : {}),
  });
  return { ...applied, eventType: event.type };
}

async function tenantOfCustomer(deps: BillingDeps, customer: string): Promise<string | undefined> {
  const row = await deps
    .operatorDb('billing_accounts')
    .where({ stripe_customer_id: customer })
    .first<{ tenant_id: string } | undefined>('tenant_id');
  return row?.tenant_id;
}
