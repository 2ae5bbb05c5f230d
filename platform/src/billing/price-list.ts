// The public price list: one data file (price-list.json) that both the public
// page and `vigie billing sync` read, so that what a mairie reads and what
// Stripe invoices cannot disagree. Prices are before VAT (HT), in cents.
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Tier = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]{1,16}$' }),
    minPopulation: Type.Integer({ minimum: 0 }),
    /** Inclusive; null for the last tier. */
    maxPopulation: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    yearlyPriceCents: Type.Integer({ minimum: 0 }),
    smsIncludedPerYear: Type.Integer({ minimum: 0 }),
    /** Each SMS segment beyond the yearly allowance. */
    smsPriceCents: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const PriceListSchema = Type.Object(
  {
    currency: Type.Literal('eur'),
    vatRate: Type.Number({ minimum: 0, maximum: 1 }),
    term: Type.Literal('year'),
    tiers: Type.Array(Tier, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type PriceList = Static<typeof PriceListSchema>;
export type PriceTier = Static<typeof Tier>;

/** Parses and checks a price list: schema, then tiers that follow each other with no gap or overlap. */
export function parsePriceList(raw: unknown): PriceList {
  if (!Value.Check(PriceListSchema, raw)) {
    const first = [...Value.Errors(PriceListSchema, raw)][0];
    throw new Error(`Invalid price list: ${first?.path ?? ''} ${first?.message ?? ''}`.trim());
  }
  const list = raw;
  list.tiers.forEach((t, i) => {
    const prev = list.tiers[i - 1];
    const expected = prev ? (prev.maxPopulation ?? Number.NaN) + 1 : 0;
    if (t.minPopulation !== expected)
      throw new Error(`Invalid price list: tier ${t.id} must start at ${expected} inhabitants`);
    if (t.maxPopulation === null && i !== list.tiers.length - 1)
      throw new Error(`Invalid price list: only the last tier may have no maximum`);
    if (t.maxPopulation !== null && t.maxPopulation < t.minPopulation)
      throw new Error(`Invalid price list: tier ${t.id} ends before it starts`);
  });
  if (list.tiers.at(-1)!.maxPopulation !== null)
    throw new Error('Invalid price list: the last tier must have no maximum');
  return list;
}

export function loadPriceList(file: URL = new URL('./price-list.json', import.meta.url)): PriceList {
  return parsePriceList(JSON.parse(readFileSync(file, 'utf8')));
}

export function tierForPopulation(list: PriceList, population: number): PriceTier {
  return list.tiers.find(
    (t) => population >= t.minPopulation && (t.maxPopulation === null || population <= t.maxPopulation),
  )!;
}

/** The Stripe lookup key of a tier's yearly price: stable across price changes (sync transfers it). */
export function lookupKey(tier: PriceTier): string {
  return `vigie_${tier.id}_yearly`;
}

/** The lookup key of a tier's metered price for the SMS segments beyond its yearly allowance. */
export function smsLookupKey(tierId: string): string {
  return `vigie_${tierId}_sms`;
}

/** One product for the SMS beyond the allowance, whatever the tier: what an invoice line reads. */
export const SMS_PRODUCT_ID = 'vigie_sms';

export function productId(tier: PriceTier): string {
  return `vigie_${tier.id}`;
}

/** What the public page shows: amounts with and without VAT. */
export function publicPriceList(list: PriceList) {
  const ttc = (cents: number) => Math.round(cents * (1 + list.vatRate));
  return {
    currency: list.currency,
    vatRate: list.vatRate,
    term: list.term,
    tiers: list.tiers.map((t) => ({
      ...t,
      yearlyPriceWithVatCents: ttc(t.yearlyPriceCents),
      smsPriceWithVatCents: Math.round(t.smsPriceCents * (1 + list.vatRate) * 100) / 100,
    })),
  };
}
