// `vigie billing sync [--file price-list.json]`: publishes the price list to
// Stripe (Products and Prices), so that the public page and the invoices say
// the same thing. Needs STRIPE_SECRET_KEY, nothing else: no database.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { CliCommand } from '../core/module.js';
import { loadConfig } from '../config/config.js';
import { StartupError } from '../embedded/index.js';
import { loadPriceList } from './price-list.js';
import { createStripe } from './stripe.js';
import { syncStripe, type SyncResult } from './sync.js';

export function formatSync({ meter, lines }: SyncResult): string {
  return (
    `  SMS meter ${meter.status.padEnd(10)} ${meter.id}\n` +
    lines
      .map(
        (l) =>
          `  ${l.tier.padEnd(4)} product ${l.product.padEnd(8)} price ${l.price.padEnd(10)} ${l.priceId}` +
          `  SMS price ${l.smsPrice.padEnd(10)} ${l.smsPriceId}`,
      )
      .join('\n') +
    '\n'
  );
}

export const billingCommand: CliCommand = {
  summary:
    'billing sync [--file price-list.json]: create or update the Stripe Products, Prices and the SMS meter',
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { file: { type: 'string' } },
    });
    if (positionals[0] !== 'sync') {
      process.stdout.write('Usage: vigie billing sync [--file <price-list.json>]\n');
      return 2;
    }
    const stripe = await createStripe(loadConfig().stripe);
    if (!stripe)
      throw new StartupError('vigie billing sync needs STRIPE_SECRET_KEY (sk_test_… or sk_live_…).');
    const list = loadPriceList(values.file ? pathToFileURL(path.resolve(values.file)) : undefined);
    const result = await syncStripe(stripe, list);
    process.stdout.write(
      `Price list synced to Stripe (${result.lines.length} tiers):\n${formatSync(result)}`,
    );
    return 0;
  },
};
