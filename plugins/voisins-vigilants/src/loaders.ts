// Loaders shared by the slices (batched per request, against N+1 queries).
//
// Residents see each other as a display name and an id, nothing else: every
// field that points at a person resolves through neighbourLoader, which reads
// display names only (services.accounts.displayNames).
import type { VigieContext } from '@vigie/platform/plugin';

export interface Neighbour {
  id: string;
  displayName: string;
}

export function neighbourLoader<T>(idOf: (obj: T) => string | null | undefined) {
  return async (queries: Array<{ obj: T }>, ctx: VigieContext): Promise<Array<Neighbour | null>> => {
    const ids = queries.map((q) => idOf(q.obj)).filter((id): id is string => !!id);
    const names = ids.length
      ? await ctx.tx((trx) => ctx.services.accounts.displayNames(trx, ids))
      : new Map<string, string>();
    return queries.map((q) => {
      const id = idOf(q.obj);
      return id ? { id, displayName: names.get(id) ?? 'ancien membre' } : null;
    });
  };
}

/** A CommunitySummary (id and name) for objects that carry a community id. */
export function communitySummaryLoader<T>(idOf: (obj: T) => string) {
  return async (
    queries: Array<{ obj: T }>,
    ctx: VigieContext,
  ): Promise<Array<{ id: string; name: string }>> =>
    ctx.tx(async (trx) => {
      const found = new Map<string, { id: string; name: string }>();
      for (const id of new Set(queries.map((q) => idOf(q.obj)))) {
        const c = await ctx.services.communities.get(trx, id);
        if (c) found.set(id, { id: c.id, name: c.name });
      }
      return queries.map((q) => found.get(idOf(q.obj)) ?? { id: idOf(q.obj), name: 'Communauté retirée' });
    });
}

/** A mercurius loader: one call per field per request, with every parent at once. */
export type Loader<T, P = Record<string, unknown>> = (
  queries: Array<{ obj: T; params: P }>,
  ctx: VigieContext,
) => Promise<unknown[]>;
