// The real Stripe SDK, pointed at Stripe or, in tests, at stripe-mock
// (STRIPE_API_BASE_URL). One client per instance, never a module-level one.
// The SDK (about 7 MB resident) is loaded only when Stripe is configured: most
// processes (a deployment without billing, the benchmarks, the demo) never need it.
import type Stripe from 'stripe';
import type { StripeConfig } from '../config/config.js';
import { fail } from './errors.js';

export type StripeClient = Stripe;

const stripeSdk = async () => (await import('stripe')).default;

export async function createStripe(config: StripeConfig | undefined): Promise<Stripe | undefined> {
  if (!config) return undefined;
  const StripeSdk = await stripeSdk();
  const base = config.apiBaseUrl ? new URL(config.apiBaseUrl) : undefined;
  return new StripeSdk(config.secretKey, {
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
    // A Stripe call went through a client, so the SDK is loaded already.
    const { errors } = await stripeSdk();
    if (
      err instanceof errors.StripeConnectionError ||
      err instanceof errors.StripeAPIError ||
      err instanceof errors.StripeRateLimitError ||
      // A refused key is the platform's misconfiguration, never the mairie's request.
      err instanceof errors.StripeAuthenticationError ||
      err instanceof errors.StripePermissionError
    )
      throw fail('BILLING_PROVIDER_UNAVAILABLE', undefined, undefined, { cause: err });
    throw err;
  }
}
