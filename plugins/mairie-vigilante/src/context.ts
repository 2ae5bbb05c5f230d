// Helpers the console's resolvers share: audit entries through the platform's
// public services, ISO dates.
import type { Trx, VigieContext } from '@vigie/platform/plugin';

export const PLUGIN_ID = 'mairie-vigilante';

/** Appends to the commune's audit log, in the caller's transaction. */
export async function record(
  ctx: VigieContext,
  trx: Trx,
  r: { action: string; target: { type: string; id: string }; meta?: Record<string, unknown> },
): Promise<void> {
  const me = ctx.requireAccount();
  await ctx.services.audit(trx, {
    tenantId: me.tenantId,
    actor: { type: 'account', id: me.accountId },
    action: `${PLUGIN_ID}.${r.action}`,
    target: r.target,
    ...(r.meta ? { meta: r.meta } : {}),
    requestId: ctx.requestId,
  });
}

export function iso(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}
