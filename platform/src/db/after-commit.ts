import type { Knex } from 'knex';

type Trx = Knex.Transaction & { parentTransaction?: Trx };

/**
 * Runs `fn` once the outermost transaction has committed, never if it rolls
 * back. Nothing awaits `fn`: its errors are its own to handle and log.
 */
export function afterCommit(trx: Knex.Transaction, fn: () => Promise<void>): void {
  let outer = trx as Trx;
  while (outer.parentTransaction) outer = outer.parentTransaction;
  outer.executionPromise.then(
    () => fn().catch(() => undefined),
    () => undefined,
  );
}
