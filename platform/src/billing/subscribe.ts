// A commune subscribes from its admin pages: the way public bodies pay, a
// yearly subscription invoiced with 30 days to pay (mandat administratif after
// « service fait »), with what Chorus Pro needs printed on every invoice.
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import { Type, type Static } from '@sinclair/typebox';
import { audit } from '../lib/audit.js';
import { withTenant } from '../db/index.js';
import { communeRegistry } from '../tenants/index.js';
import { fail } from './errors.js';
import { lookupKey, tierForPopulation, type PriceList, type PriceTier } from './price-list.js';
import { callStripe } from './stripe.js';
import type { BillingState } from './transitions.js';

export const SubscribeBody = Type.Object(
  {
    siret: Type.String({ maxLength: 32 }),
    serviceCode: Type.Optional(Type.String({ maxLength: 200 })),
    commitmentNumber: Type.Optional(Type.String({ maxLength: 200 })),
    /** Where Stripe sends the invoices (the mairie's accounts office). */
    email: Type.String({ maxLength: 254 }),
    /** Only for a commune the official geographic code does not know. */
    population: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    /** transfer (default): invoice at 30 days, paid by bank transfer; card_or_sepa: through Stripe Checkout. */
    payment: Type.Optional(Type.Union([Type.Literal('transfer'), Type.Literal('card_or_sepa')])),
  },
  { additionalProperties: false },
);
export type SubscribeInput = Static<typeof SubscribeBody>;

/** 14 digits whose Luhn sum is a multiple of 10 (La Poste's SIRETs aside, which no commune has). */
export function validSiret(s: string): boolean {
  if (!/^\d{14}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(s[13 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function checkSubscribeInput(input: SubscribeInput) {
  const siret = input.siret.replace(/\s+/g, '');
  if (!validSiret(siret)) throw fail('BILLING_SIRET_INVALID', undefined, { field: 'siret' });
  const serviceCode = input.serviceCode?.trim() || null;
  if (serviceCode && !/^[A-Za-z0-9_-]{1,100}$/.test(serviceCode))
    throw fail('BILLING_SERVICE_CODE_INVALID', undefined, { field: 'serviceCode' });
  const commitmentNumber = input.commitmentNumber?.trim() || null;
  if (commitmentNumber && !/^[A-Za-z0-9_/-]{1,50}$/.test(commitmentNumber))
    throw fail('BILLING_COMMITMENT_INVALID', undefined, { field: 'commitmentNumber' });
  const email = input.email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw fail('VALIDATION_FAILED', undefined, { field: 'email' });
  return { siret, serviceCode, commitmentNumber, email };
}

/** The invoice custom fields Chorus Pro reads (Stripe allows 4, 30 characters each). */
export function chorusFields(b: {
  siret: string;
  serviceCode: string | null;
  commitmentNumber: string | null;
}) {
  return [
    { name: 'SIRET', value: b.siret },
    ...(b.serviceCode ? [{ name: 'Code service', value: b.serviceCode.slice(0, 30) }] : []),
    ...(b.commitmentNumber ? [{ name: 'N° d’engagement', value: b.commitmentNumber.slice(0, 30) }] : []),
  ];
}

export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  inseeCode: string;
}

export function tierOf(list: PriceList, tenant: TenantInfo, population: number | undefined): PriceTier {
  const known = communeRegistry().current(tenant.inseeCode)?.population;
  const p = known ?? population;
  if (p === undefined) throw fail('BILLING_POPULATION_REQUIRED', undefined, { field: 'population' });
  return tierForPopulation(list, p);
}

export interface BillingAccountRow {
  tenant_id: string;
  state: BillingState;
  tier: string | null;
  siret: string | null;
  service_code: string | null;
  commitment_number: string | null;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  grace_until: Date | null;
  updated_at: Date;
}

export async function subscribe(
  deps: { db: Knex; stripe: Stripe; priceList: PriceList; returnUrl: string },
  tenant: TenantInfo,
  input: SubscribeInput,
  by: { accountId: string; requestId?: string },
): Promise<BillingAccountRow & { checkoutUrl?: string }> {
  const b = checkSubscribeInput(input);
  const tier = tierOf(deps.priceList, tenant, input.population);
  const price = (
    await callStripe(() =>
      deps.stripe.prices.list({ lookup_keys: [lookupKey(tier)], active: true, limit: 1 }),
    )
  ).data[0];
  if (!price) throw fail('BILLING_PRICE_NOT_SYNCED');

  // The row lock makes a double click one subscription: the second request
  // waits, then finds the subscription and is refused.
  let firstInvoice: string | null = null;
  const official = communeRegistry().current(tenant.inseeCode);
  const saved = await withTenant(
    deps.db,
    tenant.id,
    async (trx): Promise<BillingAccountRow & { checkoutUrl?: string }> => {
      await trx.raw('insert into billing_accounts (tenant_id) values (?) on conflict do nothing', [
        tenant.id,
      ]);
      const row = await trx<BillingAccountRow>('billing_accounts')
        .where({ tenant_id: tenant.id })
        .forUpdate()
        .first();
      if (row!.stripe_subscription_id && row!.state !== 'cancelled') throw fail('BILLING_ALREADY_SUBSCRIBED');
      const customerParams = {
        name: tenant.name,
        email: b.email,
        preferred_locales: ['fr'],
        metadata: { tenant_id: tenant.id, insee_code: tenant.inseeCode, siret: b.siret },
        invoice_settings: { custom_fields: chorusFields(b) },
        // Stripe Tax works out French VAT (20 %) from the address; prices are tax-exclusive.
        address: {
          country: 'FR',
          city: official?.nom ?? tenant.name,
          ...(official?.codesPostaux?.[0] ? { postal_code: official.codesPostaux[0] } : {}),
        },
        tax_exempt: 'none' as const,
      };
      const customerId = row!.stripe_customer_id
        ? (await callStripe(() => deps.stripe.customers.update(row!.stripe_customer_id!, customerParams))).id
        : (
            await callStripe(() =>
              deps.stripe.customers.create(customerParams, { idempotencyKey: `vigie-customer-${tenant.id}` }),
            )
          ).id;
      if (input.payment === 'card_or_sepa') {
        // Checkout takes the card or the SEPA mandate and creates the
        // subscription; checkout.session.completed then makes the commune active.
        const session = await callStripe(() =>
          deps.stripe.checkout.sessions.create(
            {
              mode: 'subscription',
              customer: customerId,
              client_reference_id: tenant.id,
              line_items: [{ price: price.id, quantity: 1 }],
              // Which methods show (card, SEPA debit) is set in the Dashboard's
              // payment method configuration: this API version has no per-session list.
              automatic_tax: { enabled: true },
              customer_update: { address: 'never', name: 'never' },
              locale: 'fr',
              subscription_data: { metadata: { tenant_id: tenant.id, tier: tier.id } },
              metadata: { tenant_id: tenant.id },
              success_url: `${deps.returnUrl}?paiement=ok`,
              cancel_url: `${deps.returnUrl}?paiement=annule`,
            },
            { idempotencyKey: `vigie-checkout-${tenant.id}-${row!.updated_at.getTime()}` },
          ),
        );
        const [pending] = await trx<BillingAccountRow>('billing_accounts')
          .where({ tenant_id: tenant.id })
          .update({
            tier: tier.id,
            siret: b.siret,
            service_code: b.serviceCode,
            commitment_number: b.commitmentNumber,
            stripe_customer_id: customerId,
            updated_at: trx.fn.now() as unknown as Date,
          })
          .returning('*');
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: by.accountId },
          action: 'billing.checkout_started',
          target: { type: 'tenant', id: tenant.id },
          meta: { tier: tier.id, session: session.id },
          ...(by.requestId ? { requestId: by.requestId } : {}),
        });
        return { ...pending!, checkoutUrl: session.url ?? '' };
      }
      // Stripe may send events about this subscription before we commit the
      // customer id: they are refused (BILLING_CUSTOMER_UNKNOWN) and Stripe retries them.
      const sub = await callStripe(() =>
        deps.stripe.subscriptions.create(
          {
            customer: customerId,
            items: [{ price: price.id }],
            collection_method: 'send_invoice',
            days_until_due: 30,
            automatic_tax: { enabled: true },
            metadata: { tenant_id: tenant.id, tier: tier.id },
          },
          { idempotencyKey: `vigie-subscription-${tenant.id}-${row!.updated_at.getTime()}` },
        ),
      );
      firstInvoice =
        typeof sub.latest_invoice === 'string' ? sub.latest_invoice : (sub.latest_invoice?.id ?? null);
      const end = sub.items?.data?.[0]?.current_period_end;
      const [saved] = await trx<BillingAccountRow>('billing_accounts')
        .where({ tenant_id: tenant.id })
        .update({
          state: 'active',
          tier: tier.id,
          siret: b.siret,
          service_code: b.serviceCode,
          commitment_number: b.commitmentNumber,
          stripe_customer_id: customerId,
          stripe_subscription_id: sub.id,
          current_period_end: typeof end === 'number' ? new Date(end * 1000) : null,
          cancel_at_period_end: false,
          grace_until: null,
          updated_at: trx.fn.now() as unknown as Date,
        })
        .returning('*');
      await audit(trx, {
        tenantId: tenant.id,
        actor: { type: 'account', id: by.accountId },
        action: 'billing.subscribed',
        target: { type: 'tenant', id: tenant.id },
        meta: { from: row!.state, to: 'active', tier: tier.id, subscription: sub.id },
        ...(by.requestId ? { requestId: by.requestId } : {}),
      });
      return saved!;
    },
  );
  // Stripe leaves a subscription's first invoice as a draft for an hour; the
  // mairie wants it now, to engage the expense. Finalising sends it and fires
  // invoice.finalized, which records it and makes its Factur-X. If this call
  // fails Stripe finalises it on its own within the hour: nothing is lost.
  if (firstInvoice) {
    const id = firstInvoice;
    await callStripe(() =>
      deps.stripe.invoices.finalizeInvoice(id, {}, { idempotencyKey: `vigie-finalize-${id}` }),
    ).catch(() => undefined);
  }
  return saved;
}

/** Cancel at the end of the paid term, in one click; or take the cancellation back before then. */
export async function setCancelAtTerm(
  deps: { db: Knex; stripe: Stripe },
  tenantId: string,
  cancel: boolean,
  by: { accountId: string; requestId?: string },
): Promise<BillingAccountRow> {
  return withTenant(deps.db, tenantId, async (trx) => {
    const row = await trx<BillingAccountRow>('billing_accounts')
      .where({ tenant_id: tenantId })
      .forUpdate()
      .first();
    if (!row?.stripe_subscription_id || row.state === 'cancelled') throw fail('BILLING_NOT_SUBSCRIBED');
    if (row.cancel_at_period_end === cancel) return row;
    await callStripe(() =>
      deps.stripe.subscriptions.update(row.stripe_subscription_id!, { cancel_at_period_end: cancel }),
    );
    const [saved] = await trx<BillingAccountRow>('billing_accounts')
      .where({ tenant_id: tenantId })
      .update({ cancel_at_period_end: cancel, updated_at: trx.fn.now() as unknown as Date })
      .returning('*');
    await audit(trx, {
      tenantId,
      actor: { type: 'account', id: by.accountId },
      action: cancel ? 'billing.cancel_scheduled' : 'billing.cancel_withdrawn',
      target: { type: 'tenant', id: tenantId },
      meta: {
        subscription: row.stripe_subscription_id,
        periodEnd: row.current_period_end?.toISOString() ?? null,
      },
      ...(by.requestId ? { requestId: by.requestId } : {}),
    });
    return saved!;
  });
}
