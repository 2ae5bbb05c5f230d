import { describe, expect, it } from 'vitest';
import { decide, type BillingRow } from './transitions.js';
import { loadPriceList, parsePriceList, publicPriceList, tierForPopulation } from './price-list.js';
import { chorusFields, checkSubscribeInput, validSiret } from './subscribe.js';

const now = new Date('2026-12-01T10:00:00Z');
const o = { now, graceDays: 30 };
const row = (r: Partial<BillingRow> = {}): BillingRow => ({
  state: 'active',
  grace_until: null,
  current_period_end: null,
  cancel_at_period_end: false,
  stripe_subscription_id: 'sub_1',
  last_invoice_id: null,
  ...r,
});

describe('the billing state machine', () => {
  it('a failed payment opens a 30-day grace period, warns the admins and starts the timer', () => {
    const d = decide(row(), { type: 'invoice.unpaid', invoiceId: 'in_1' }, o);
    expect(d).toMatchObject({ state: 'past_due', action: 'billing.payment_failed' });
    expect(d.effects).toEqual(['warn_admins', 'start_grace']);
    expect(d.patch.grace_until).toEqual(new Date('2026-12-31T10:00:00Z'));
  });

  it('a second failure during the grace period does not extend it', () => {
    const d = decide(
      row({ state: 'past_due', grace_until: new Date('2026-12-20T00:00:00Z') }),
      { type: 'invoice.unpaid', invoiceId: 'in_2' },
      o,
    );
    expect(d).toEqual({ state: 'past_due', patch: {}, action: null, effects: [] });
  });

  it('the end of the grace period suspends, but only once it is really over and still unpaid', () => {
    const over = row({ state: 'past_due', grace_until: new Date('2026-11-30T00:00:00Z') });
    expect(decide(over, { type: 'grace.expired', invoiceId: 'in_1' }, o)).toMatchObject({
      state: 'suspended',
      action: 'billing.suspended',
      effects: ['suspend_tenant', 'tell_admins'],
    });
    const early = row({ state: 'past_due', grace_until: new Date('2026-12-02T00:00:00Z') });
    expect(decide(early, { type: 'grace.expired', invoiceId: 'in_1' }, o).action).toBeNull();
    expect(decide(row(), { type: 'grace.expired', invoiceId: 'in_1' }, o).action).toBeNull();
  });

  it('a paid invoice reactivates a suspended commune and ends a grace period', () => {
    expect(decide(row({ state: 'suspended' }), { type: 'invoice.paid', invoiceId: 'in_1' }, o)).toMatchObject(
      {
        state: 'active',
        action: 'billing.reactivated',
        effects: ['reactivate_tenant', 'stop_grace', 'tell_admins'],
        patch: { grace_until: null },
      },
    );
    expect(decide(row({ state: 'past_due' }), { type: 'invoice.paid', invoiceId: 'in_1' }, o).action).toBe(
      'billing.payment_recovered',
    );
    // Already active: a second "paid" for the same invoice is no transition.
    expect(decide(row(), { type: 'invoice.paid', invoiceId: 'in_1' }, o).action).toBeNull();
  });

  it('scheduling and withdrawing a cancellation are transitions; a same-state update is not', () => {
    const u = (cancel: boolean) =>
      ({
        type: 'subscription.updated',
        subscriptionId: 'sub_1',
        periodEnd: null,
        cancelAtPeriodEnd: cancel,
      }) as const;
    expect(decide(row(), u(true), o).action).toBe('billing.cancel_scheduled');
    expect(decide(row({ cancel_at_period_end: true }), u(false), o).action).toBe('billing.cancel_withdrawn');
    expect(decide(row(), u(false), o).action).toBeNull();
  });

  it('a deleted subscription leaves the commune read-only; nothing revives it but a new subscription', () => {
    const d = decide(row(), { type: 'subscription.deleted', subscriptionId: 'sub_1' }, o);
    expect(d).toMatchObject({ state: 'cancelled', action: 'billing.cancelled' });
    expect(d.effects).toContain('suspend_tenant');
    // Its data export stays open for the read-only period, then the deletion workflow deletes the data.
    expect(d.effects).toContain('plan_deletion');
    expect(
      decide(row({ state: 'suspended' }), { type: 'subscription.deleted', subscriptionId: 'sub_1' }, o)
        .effects,
    ).toEqual(['stop_grace', 'plan_deletion', 'tell_admins']);
    expect(
      decide(row({ state: 'cancelled' }), { type: 'invoice.paid', invoiceId: 'in_9' }, o).action,
    ).toBeNull();
  });
});

describe('paying by card or SEPA through Checkout', () => {
  it('a completed Checkout makes a commune without a subscription active, once', () => {
    const done = { type: 'checkout.completed', subscriptionId: 'sub_9' } as const;
    expect(decide(row({ state: 'none', stripe_subscription_id: null }), done, o)).toMatchObject({
      state: 'active',
      action: 'billing.activated',
      patch: { stripe_subscription_id: 'sub_9' },
      effects: [],
    });
    // A cancelled commune that comes back through Checkout is writable again.
    expect(decide(row({ state: 'cancelled' }), done, o).effects).toEqual([
      'reactivate_tenant',
      'withdraw_deletion',
      'tell_admins',
    ]);
    // Already subscribed (a second session completed, or a redelivery): no transition.
    expect(decide(row(), done, o).action).toBeNull();
    expect(decide(row({ state: 'past_due' }), done, o).action).toBeNull();
  });
});

describe('the price list', () => {
  it('covers every population once, and shows prices with VAT', () => {
    const list = loadPriceList();
    expect(tierForPopulation(list, 0).id).toBe('t1');
    expect(tierForPopulation(list, 1999).id).toBe('t1');
    expect(tierForPopulation(list, 2000).id).toBe('t2');
    expect(tierForPopulation(list, 10_326).id).toBe('t4');
    expect(tierForPopulation(list, 2_000_000).id).toBe('t6');
    const pub = publicPriceList(list);
    expect(pub.tiers[0]).toMatchObject({ yearlyPriceCents: 49000, yearlyPriceWithVatCents: 58800 });
  });

  it('refuses a file with a gap between tiers or a bounded last tier', () => {
    const list = structuredClone(loadPriceList()) as {
      tiers: Array<{ minPopulation: number; maxPopulation: number | null }>;
    };
    list.tiers[1]!.minPopulation = 2500;
    expect(() => parsePriceList(list)).toThrow(/t2 must start at 2000/);
    const bounded = structuredClone(loadPriceList()) as typeof list;
    bounded.tiers.at(-1)!.maxPopulation = 99_999;
    expect(() => parsePriceList(bounded)).toThrow(/last tier/);
    expect(() => parsePriceList({ currency: 'usd' })).toThrow(/Invalid price list/);
  });
});

describe('what Chorus Pro needs', () => {
  it('checks the SIRET with its Luhn key', () => {
    expect(validSiret('21770449300014')).toBe(true); // SIREN of Serris (217704493), NIC 00014
    expect(validSiret('21770449300015')).toBe(false);
    expect(validSiret('2177044930001')).toBe(false);
    expect(() => checkSubscribeInput({ siret: '123', email: 'a@b.fr' })).toThrow(
      expect.objectContaining({ code: 'BILLING_SIRET_INVALID' }),
    );
    expect(() =>
      checkSubscribeInput({ siret: '21770449300014', email: 'a@b.fr', serviceCode: 'FACT URES' }),
    ).toThrow(expect.objectContaining({ code: 'BILLING_SERVICE_CODE_INVALID' }));
  });

  it('prints the SIRET, the service code and the commitment number on the invoices', () => {
    expect(
      chorusFields({ siret: '21770449300014', serviceCode: 'FACTURES', commitmentNumber: 'EJ-2026/042' }),
    ).toEqual([
      { name: 'SIRET', value: '21770449300014' },
      { name: 'Code service', value: 'FACTURES' },
      { name: 'N° d’engagement', value: 'EJ-2026/042' },
    ]);
  });
});
