// One tenant transaction per GraphQL query operation, shared by all its
// resolvers and loaders. A resident's community page touches ten fields that
// each read in `ctx.tx`; a transaction apiece cost three extra round trips
// (BEGIN, set_config, COMMIT) and a pool connection apiece, so that 32 pages
// at once queued for the pool's ten connections (bench/feed.bench.ts).
// Mutations keep one transaction per resolver: they run one after the other,
// and each must commit (and fire its afterCommit hooks) on its own.
//
// A failed statement aborts the shared transaction, so the query's other
// fields fail with it: reads fail only on bugs, and then the whole answer is
// suspect anyway.
import { Kind, type DocumentNode } from 'graphql';
import type { Knex } from 'knex';
import { openTenantTransaction } from '../db/index.js';

export class RequestTransaction {
  /** Set once the operation is known to be a query (preExecution). */
  shared = false;
  private trx: Promise<Knex.Transaction> | undefined;

  constructor(
    private readonly db: Knex,
    private readonly tenantId: () => string,
  ) {}

  run<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    this.trx ??= openTenantTransaction(this.db, this.tenantId());
    return this.trx.then(fn);
  }

  /** Commits what the query wrote (categories seeded on first use, for one); idempotent. */
  async end(): Promise<void> {
    const pending = this.trx;
    this.trx = undefined;
    this.shared = false;
    const trx = await pending?.catch(() => undefined);
    if (trx && !trx.isCompleted()) await trx.commit().catch(() => undefined);
  }
}

/** Only queries: a document with a mutation or a subscription keeps one transaction per resolver. */
export function onlyQueries(document: DocumentNode): boolean {
  return document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query');
}
