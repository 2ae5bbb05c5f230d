// Group commit: many callers each hand over one item and wait until it is
// written; the items are written together, one flush at a time, as soon as
// the previous flush is done and either enough items wait or the oldest has
// waited `maxDelayMs`. A caller's promise settles with the flush that carried
// its item: resolved once committed, rejected if that flush failed (nothing
// of it was written, so the caller may try again).

export interface GroupCommit<T> {
  /** Resolves once the item is committed. */
  add(item: T): Promise<void>;
  /** Flushes what is left and waits for it (rejects with the last failure, if any). */
  close(): Promise<void>;
}

export function createGroupCommit<T>(
  flush: (items: T[]) => Promise<void>,
  opts: { maxItems: number; maxDelayMs: number },
): GroupCommit<T> {
  let queue: Array<{ item: T; resolve: () => void; reject: (e: unknown) => void }> = [];
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
        () => taken.forEach((t) => t.resolve()),
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
      return new Promise<void>((resolve, reject) => {
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
