// Group commit: many callers each hand over one item and wait until it is
// written; the items are written together, one flush at a time, as soon as
// the previous flush is done and either enough items wait or the oldest has
// waited `maxDelayMs`. A caller's promise settles with the flush that carried
// its item: resolved (with the flush's answer for that item, if it gives
// one) once committed, rejected if that flush failed (nothing of it was
// written, so the caller may try again).

export interface GroupCommit<T, R = void> {
  /** Resolves once the item is committed. */
  add(item: T): Promise<R>;
  /** Flushes what is left and waits for it. */
  close(): Promise<void>;
}

export function createGroupCommit<T, R = void>(
  flush: (items: T[]) => Promise<R[] | void>,
  opts: { maxItems: number; maxDelayMs: number },
): GroupCommit<T, R> {
  let queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const run = () => {
    if (running || queue.length === 0) return;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const taken = queue.slice(0, opts.maxItems);
    queue = queue.slice(taken.length);
    running = flush(taken.map((t) => t.item))
      .then(
        (answers) => taken.forEach((t, i) => t.resolve((answers ? answers[i] : undefined) as R)),
        (err: unknown) => taken.forEach((t) => t.reject(err)),
      )
      .finally(() => {
        running = undefined;
        schedule();
      });
  };
  const schedule = () => {
    if (running || queue.length === 0) return;
    if (queue.length >= opts.maxItems) return run();
    timer ??= setTimeout(() => {
      timer = undefined;
      run();
    }, opts.maxDelayMs);
  };

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    async close() {
      while (running || queue.length) {
        if (!running) run();
        await running?.catch(() => undefined);
      }
    },
  };
}

/** A counting semaphore: at most `size` holders at once, served in order. */
export class Semaphore {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Runs a transaction again when PostgreSQL chose it as a deadlock's victim
 * (40P01) or refused it for serialization (40001): the whole transaction was
 * rolled back, so running it again is safe. Group commits lock their rows in
 * id order, which makes this rare; a receipt's webhook must not be lost to it.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (i >= attempts || (code !== '40P01' && code !== '40001')) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}
