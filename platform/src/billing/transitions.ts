// The billing state machine, as a pure function: what a Stripe event (or the
// end of a grace period) does to a commune's subscription. The caller applies
// the patch, the audit entry and the effects in one transaction (apply.ts).
//
//   none ──subscribe──▶ active ──payment failed / overdue──▶ past_due ──grace over──▶ suspended
//                        ▲  ▲                                   │                      │
//                        │  └────────── invoice paid ───────────┘                      │
//                        └──────────────────────── invoice paid ───────────────────────┘
//   any but cancelled ──subscription deleted──▶ cancelled (read-only, data export, deletion planned)
//   cancelled ──checkout completed──▶ active (the planned deletion is withdrawn)

export type BillingState = 'none' | 'active' | 'past_due' | 'suspended' | 'cancelled';

export interface BillingRow {
  state: BillingState;
  grace_until: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  stripe_subscription_id: string | null;
  last_invoice_id: string | null;
}

export type BillingEvent =
  | { type: 'invoice.paid'; invoiceId: string }
  /** invoice.payment_failed, and invoice.overdue (a send_invoice invoice past its 30 days). */
  | { type: 'invoice.unpaid'; invoiceId: string }
  | {
      type: 'subscription.updated';
      subscriptionId: string;
      periodEnd: Date | null;
      cancelAtPeriodEnd: boolean;
    }
  | { type: 'subscription.deleted'; subscriptionId: string }
  /** checkout.session.completed: the commune paid by card or SEPA through Stripe Checkout. */
  | { type: 'checkout.completed'; subscriptionId: string }
  | { type: 'grace.expired'; invoiceId: string };

export type Effect =
  /** Tell the mairie admins (in-app): the payment failed and when the commune would be suspended. */
  | 'warn_admins'
  /** Start the grace-period workflow for this invoice. */
  | 'start_grace'
  /** Tell the grace-period workflow an invoice was paid. */
  | 'stop_grace'
  | 'suspend_tenant'
  | 'reactivate_tenant'
  | 'tell_admins'
  /** Start the workflow that deletes a cancelled commune's data once its read-only period is over. */
  | 'plan_deletion'
  /** The commune came back: cancel that workflow. */
  | 'withdraw_deletion';

export interface Decision {
  state: BillingState;
  patch: Partial<BillingRow>;
  /** The audit action, when something a person would call a transition happened. */
  action: string | null;
  effects: Effect[];
}

const DAY_MS = 86_400_000;

export function decide(row: BillingRow, event: BillingEvent, o: { now: Date; graceDays: number }): Decision {
  const same: Decision = { state: row.state, patch: {}, action: null, effects: [] };
  switch (event.type) {
    case 'invoice.paid': {
      if (row.state === 'cancelled') return same;
      const patch = { state: 'active' as const, grace_until: null, last_invoice_id: event.invoiceId };
      if (row.state === 'suspended')
        return {
          state: 'active',
          patch,
          action: 'billing.reactivated',
          effects: ['reactivate_tenant', 'stop_grace', 'tell_admins'],
        };
      if (row.state === 'past_due')
        return {
          state: 'active',
          patch,
          action: 'billing.payment_recovered',
          effects: ['stop_grace', 'tell_admins'],
        };
      if (row.state === 'none') return { state: 'active', patch, action: 'billing.activated', effects: [] };
      return { ...same, patch: { last_invoice_id: event.invoiceId } };
    }
    case 'invoice.unpaid': {
      if (row.state !== 'active' && row.state !== 'none') return same;
      return {
        state: 'past_due',
        patch: {
          state: 'past_due',
          grace_until: new Date(o.now.getTime() + o.graceDays * DAY_MS),
          last_invoice_id: event.invoiceId,
        },
        action: 'billing.payment_failed',
        effects: ['warn_admins', 'start_grace'],
      };
    }
    case 'grace.expired': {
      if (row.state !== 'past_due' || !row.grace_until || row.grace_until > o.now) return same;
      return {
        state: 'suspended',
        patch: { state: 'suspended' },
        action: 'billing.suspended',
        effects: ['suspend_tenant', 'tell_admins'],
      };
    }
    case 'subscription.updated': {
      const patch: Partial<BillingRow> = {
        stripe_subscription_id: event.subscriptionId,
        current_period_end: event.periodEnd,
        cancel_at_period_end: event.cancelAtPeriodEnd,
      };
      if (row.state === 'cancelled') return same;
      const action =
        event.cancelAtPeriodEnd === row.cancel_at_period_end
          ? null
          : event.cancelAtPeriodEnd
            ? 'billing.cancel_scheduled'
            : 'billing.cancel_withdrawn';
      return { state: row.state, patch, action, effects: [] };
    }
    case 'checkout.completed': {
      if (row.state !== 'none' && row.state !== 'cancelled') return same;
      return {
        state: 'active',
        patch: { state: 'active', stripe_subscription_id: event.subscriptionId, grace_until: null },
        action: 'billing.activated',
        effects: row.state === 'cancelled' ? ['reactivate_tenant', 'withdraw_deletion', 'tell_admins'] : [],
      };
    }
    case 'subscription.deleted': {
      if (row.state === 'cancelled' || row.state === 'none') return same;
      return {
        state: 'cancelled',
        patch: { state: 'cancelled', grace_until: null, cancel_at_period_end: false },
        action: 'billing.cancelled',
        // Read-only, as a suspended commune: the data stays readable for its export.
        effects:
          row.state === 'suspended'
            ? ['stop_grace', 'plan_deletion', 'tell_admins']
            : ['suspend_tenant', 'stop_grace', 'plan_deletion', 'tell_admins'],
      };
    }
  }
}
