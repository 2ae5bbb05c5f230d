// A fixed-window limiter for logins, registrations and codes. It is per process:
// behind several API instances, give each the same budget divided by the
// instance count, or move the counters to Redis (the production topology).
import { VigieError } from '../lib/errors.js';

export interface Limit {
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private hits = new Map<string, { count: number; resetAt: number }>();

  /** Counts one hit; throws RATE_LIMITED once the window's budget is spent. */
  hit(key: string, limit: Limit, now = Date.now()): void {
    if (this.hits.size > 50_000) this.sweep(now);
    const entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      this.hits.set(key, { count: 1, resetAt: now + limit.windowMs });
      return;
    }
    entry.count++;
    if (entry.count > limit.max) {
      throw new VigieError('RATE_LIMITED', undefined, {
        retryAfterSeconds: Math.ceil((entry.resetAt - now) / 1000),
      });
    }
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(now: number): void {
    for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
  }
}

export const LIMITS = {
  loginPerIp: { max: 30, windowMs: 15 * 60_000 },
  loginPerAccount: { max: 10, windowMs: 15 * 60_000 },
  registerPerIp: { max: 10, windowMs: 60 * 60_000 },
  resetPerIp: { max: 10, windowMs: 60 * 60_000 },
  codePerAccount: { max: 10, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

/** After this many consecutive failures the account is locked for LOCK_MINUTES. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
