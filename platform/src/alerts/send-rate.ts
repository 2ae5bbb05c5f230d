// The providers' rate, held across every worker by the token buckets of
// PostgreSQL (migration 0012, take_send_tokens). A worker takes tokens in
// chunks of a fifth of a second's worth, spends them within a tenth of a
// second or drops them, and waits the time the database says when the bucket
// is empty. One statement buys a chunk: at 30 SMS/s that is five round trips a
// second for all the sends of the process, not one per message.
import type { Knex } from 'knex';

export interface BucketSpec {
  key: string;
  /** Tokens per second. */
  rate: number;
}

/** A chunk is this much of the slowest rate; the bucket holds no more than one chunk. */
const CHUNK_SECONDS = 0.2;
/** Tokens not spent within this time are dropped: a worker never sits on a burst it could release later. */
export const TOKEN_TTL_MS = 100;
const MAX_WAIT_MS = 1000;

export interface RateGate {
  /** Resolves when one send may go out under every bucket; rejects if the signal aborts first. */
  take(signal?: AbortSignal): Promise<void>;
}

export function chunkOf(rate: number): number {
  return Math.max(1, Math.ceil(rate * CHUNK_SECONDS));
}

/**
 * One gate per (process, set of buckets). Concurrent takers share one
 * purchase in flight; tokens are handed out in the order they were asked for.
 */
export function createRateGate(db: Knex, buckets: readonly BucketSpec[]): RateGate {
  const specs = [...buckets]
    .filter((b) => Number.isFinite(b.rate) && b.rate > 0)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  if (specs.length === 0) return { take: async () => undefined };
  const slowest = Math.min(...specs.map((s) => s.rate));
  const chunk = chunkOf(slowest);
  const keys = specs.map((s) => s.key);
  const rates = specs.map((s) => s.rate);
  const capacity = specs.map((s) => chunkOf(s.rate));
  let tokens = 0;
  let expires = 0;
  let buying: Promise<void> | undefined;
  const waiters: Array<{
    resolve: () => void;
    reject: (e: unknown) => void;
    signal: AbortSignal | undefined;
  }> = [];

  const buy = async (): Promise<void> => {
    for (;;) {
      const want = Math.min(chunk, Math.max(1, waiters.length));
      const res = await db.raw<{ rows: Array<{ granted: number; wait_ms: number }> }>(
        'select granted, wait_ms from take_send_tokens(?::text[], ?::float8[], ?::float8[], ?)',
        [keys, rates, capacity, want],
      );
      const r = res.rows[0]!;
      if (r.granted > 0) {
        tokens = r.granted;
        expires = Date.now() + TOKEN_TTL_MS;
        return;
      }
      await new Promise((ok) => setTimeout(ok, Math.min(MAX_WAIT_MS, Math.max(1, r.wait_ms))));
      if (waiters.every((w) => w.signal?.aborted)) return;
    }
  };

  const pump = () => {
    if (buying) return;
    for (;;) {
      // Drop the ones that gave up.
      while (waiters.length && waiters[0]!.signal?.aborted) {
        const gone = waiters.shift()!;
        gone.reject(gone.signal?.reason);
      }
      if (waiters.length === 0) return;
      if (tokens > 0 && Date.now() < expires) {
        tokens--;
        waiters.shift()!.resolve();
        continue;
      }
      tokens = 0;
      buying = buy()
        .catch((err: unknown) => {
          // The database is away: every waiter fails, the batch's activity retries.
          for (const w of waiters.splice(0)) w.reject(err);
        })
        .finally(() => {
          buying = undefined;
          pump();
        });
      return;
    }
  };

  return {
    take(signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        waiters.push({ resolve, reject, signal });
        pump();
      });
    },
  };
}
