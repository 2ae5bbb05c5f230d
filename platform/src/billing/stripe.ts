// The real Stripe SDK, pointed at Stripe or, in tests, at stripe-mock
// (STRIPE_API_BASE_URL). One client per instance, never a module-level one.
import Stripe from 'stripe';
import type { StripeConfig } from '../config/config.js';
import { fail } from './errors.js';

export type StripeClient = Stripe;

export function createStripe(config: StripeConfig | undefined): Stripe | undefined {
  if (!config) return undefined;
  const base = config.apiBaseUrl ? new URL(config.apiBaseUrl) : undefined;
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Vigie' },
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

export function requireStripe(stripe: Stripe | undefined): Stripe {
  if (!stripe) throw fail('BILLING_NOT_CONFIGURED');
  return stripe;
}

/** A network or 5xx failure of Stripe becomes a clear 503; anything else is ours and stays a 500. */
export async function callStripe<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (
      err instanceof Stripe.errors.StripeConnectionError ||
      err instanceof Stripe.errors.StripeAPIError ||
      err instanceof Stripe.errors.StripeRateLimitError
    )
      throw fail('BILLING_PROVIDER_UNAVAILABLE', undefined, undefined, { cause: err });
    throw err;
  }
}
