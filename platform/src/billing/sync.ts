// `vigie billing sync`: makes Stripe's Products and Prices say what
// price-list.json says. A Price's amount cannot change in Stripe, so a new
// amount is a new Price that takes over the tier's lookup key; subscriptions
// move to it at their renewal, never in the middle of a paid year.
import type Stripe from 'stripe';
import { lookupKey, productId, type PriceList, type PriceTier } from './price-list.js';

export interface SyncLine {
  tier: string;
  product: 'created' | 'updated';
  price: 'created' | 'unchanged';
  priceId: string;
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

export async function syncPriceList(stripe: Stripe, list: PriceList): Promise<SyncLine[]> {
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
    if (same) {
      out.push({ tier: tier.id, product, price: 'unchanged', priceId: existing.id });
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
    out.push({ tier: tier.id, product, price: 'created', priceId: created.id });
  }
  return out;
}
