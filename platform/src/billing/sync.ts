// `vigie billing sync`: makes Stripe's Products and Prices say what
// price-list.json says. A Price's amount cannot change in Stripe, so a new
// amount is a new Price that takes over the tier's lookup key; subscriptions
// move to it at their renewal, never in the middle of a paid year.
// The SMS beyond the yearly allowance are one billing meter (summing the
// segments our hourly report sends, sms-meter.ts) and, per tier, a metered
// yearly price on one "SMS" product, billed in arrears with the renewal.
import type Stripe from 'stripe';
import {
  lookupKey,
  productId,
  smsLookupKey,
  SMS_PRODUCT_ID,
  type PriceList,
  type PriceTier,
} from './price-list.js';
import { SMS_METER_EVENT } from './sms-meter.js';

export interface SyncLine {
  tier: string;
  product: 'created' | 'updated';
  price: 'created' | 'unchanged';
  priceId: string;
  /** The tier's metered price for each SMS segment beyond its allowance. */
  smsPrice: 'created' | 'unchanged';
  smsPriceId: string;
}

export interface SyncResult {
  meter: { status: 'created' | 'unchanged'; id: string };
  lines: SyncLine[];
}

function productName(t: PriceTier): string {
  return t.maxPopulation === null
    ? `Vigie — plus de ${t.minPopulation.toLocaleString('fr-FR')} habitants`
    : `Vigie — ${t.minPopulation.toLocaleString('fr-FR')} à ${t.maxPopulation.toLocaleString('fr-FR')} habitants`;
}

function isMissing(err: unknown): boolean {
  return (
    (err as { statusCode?: number; code?: string }).statusCode === 404 ||
    (err as { code?: string }).code === 'resource_missing'
  );
}

/** The meter of SMS segments: found by its event name, created once. */
export async function syncSmsMeter(stripe: Stripe): Promise<SyncResult['meter']> {
  for await (const m of stripe.billing.meters.list({ status: 'active', limit: 100 }))
    if (m.event_name === SMS_METER_EVENT) return { status: 'unchanged', id: m.id };
  const created = await stripe.billing.meters.create(
    {
      display_name: 'Segments SMS au-delà du forfait annuel',
      event_name: SMS_METER_EVENT,
      default_aggregation: { formula: 'sum' },
      customer_mapping: { type: 'by_id', event_payload_key: 'stripe_customer_id' },
      value_settings: { event_payload_key: 'value' },
    },
    // Two syncs at once make one meter: an event name can be a meter's only once.
    { idempotencyKey: `vigie-meter-${SMS_METER_EVENT}` },
  );
  return { status: 'created', id: created.id };
}

async function ensureSmsProduct(stripe: Stripe): Promise<void> {
  const fields = {
    name: 'Vigie — SMS au-delà du forfait annuel',
    unit_label: 'segment SMS',
  };
  try {
    await stripe.products.update(SMS_PRODUCT_ID, { ...fields, active: true });
  } catch (err) {
    if (!isMissing(err)) throw err;
    await stripe.products.create({ id: SMS_PRODUCT_ID, ...fields });
  }
}

async function syncSmsPrice(
  stripe: Stripe,
  list: PriceList,
  tier: PriceTier,
  meterId: string,
): Promise<Pick<SyncLine, 'smsPrice' | 'smsPriceId'>> {
  const key = smsLookupKey(tier.id);
  const existing = (await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 })).data[0];
  if (
    existing &&
    existing.lookup_key === key &&
    existing.unit_amount === tier.smsPriceCents &&
    existing.currency === list.currency &&
    existing.recurring?.usage_type === 'metered' &&
    existing.recurring.meter === meterId &&
    existing.recurring.interval === 'year'
  )
    return { smsPrice: 'unchanged', smsPriceId: existing.id };
  const created = await stripe.prices.create({
    product: SMS_PRODUCT_ID,
    currency: list.currency,
    unit_amount: tier.smsPriceCents,
    // The subscription's interval: the year's SMS beyond the allowance come with the renewal invoice.
    recurring: { interval: 'year', usage_type: 'metered', meter: meterId },
    tax_behavior: 'exclusive',
    lookup_key: key,
    transfer_lookup_key: true,
    nickname: `SMS au-delà de ${tier.smsIncludedPerYear.toLocaleString('fr-FR')} par an (${tier.id})`,
    metadata: { tier: tier.id, sms_included_per_year: String(tier.smsIncludedPerYear) },
  });
  return { smsPrice: 'created', smsPriceId: created.id };
}

/** The tiers' Products and Prices (the SMS meter and metered prices included). */
export async function syncPriceList(stripe: Stripe, list: PriceList): Promise<SyncLine[]> {
  return (await syncStripe(stripe, list)).lines;
}

/** Everything `vigie billing sync` publishes: the SMS meter, then each tier. */
export async function syncStripe(stripe: Stripe, list: PriceList): Promise<SyncResult> {
  const meter = await syncSmsMeter(stripe);
  await ensureSmsProduct(stripe);
  const out: SyncLine[] = [];
  for (const tier of list.tiers) {
    const metadata = {
      tier: tier.id,
      min_population: String(tier.minPopulation),
      max_population: tier.maxPopulation === null ? '' : String(tier.maxPopulation),
      sms_included_per_year: String(tier.smsIncludedPerYear),
      sms_price_cents: String(tier.smsPriceCents),
    };
    let product: SyncLine['product'] = 'updated';
    try {
      await stripe.products.update(productId(tier), { name: productName(tier), metadata, active: true });
    } catch (err) {
      if (!isMissing(err)) throw err;
      await stripe.products.create({ id: productId(tier), name: productName(tier), metadata });
      product = 'created';
    }
    const key = lookupKey(tier);
    const existing = (await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 })).data[0];
    const same =
      existing &&
      existing.lookup_key === key &&
      existing.unit_amount === tier.yearlyPriceCents &&
      existing.currency === list.currency &&
      existing.recurring?.interval === 'year';
    const sms = await syncSmsPrice(stripe, list, tier, meter.id);
    if (same) {
      out.push({ tier: tier.id, product, price: 'unchanged', priceId: existing.id, ...sms });
      continue;
    }
    const created = await stripe.prices.create({
      product: productId(tier),
      currency: list.currency,
      unit_amount: tier.yearlyPriceCents,
      recurring: { interval: 'year' },
      tax_behavior: 'exclusive',
      lookup_key: key,
      transfer_lookup_key: true,
      metadata,
    });
    out.push({ tier: tier.id, product, price: 'created', priceId: created.id, ...sms });
  }
  return { meter, lines: out };
}
