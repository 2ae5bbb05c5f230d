// The core telling plugins that a membership ended through one of its own
// paths (a move approved, an account erased, an address redrawn into another
// sector). Without it a plugin that keeps state per community, such as a
// referent's seat, would never learn that its member is gone.
import type { Knex } from 'knex';
import type { MembershipEndedEvent, MembershipEndedHook, VigiePlugin } from './contract.js';
import type { PlatformServices } from './services.js';

const hooks = new Map<string, { hook: MembershipEndedHook; services: PlatformServices }>();

/**
 * Called where the installed plugins are registered (the app and the worker),
 * with that process's services. Keyed by plugin id, so an app and a worker in
 * one process register each plugin once.
 */
export function registerPluginMembershipHooks(
  plugins: readonly VigiePlugin[],
  services: PlatformServices,
): void {
  for (const p of plugins) if (p.onMembershipEnded) hooks.set(p.id, { hook: p.onMembershipEnded, services });
}

/**
 * Runs the hook of every plugin the commune has enabled, in the caller's
 * tenant transaction: a plugin switched off must not act for the commune.
 */
export async function membershipEnded(
  trx: Knex.Transaction,
  e: { tenantId: string; accountId: string; communityId: string; reason: MembershipEndedEvent['reason'] },
): Promise<void> {
  if (hooks.size === 0) return;
  const enabled = new Set<string>(
    await trx('tenant_plugins')
      .where({ tenant_id: e.tenantId, enabled: true })
      .whereIn('plugin_id', [...hooks.keys()])
      .pluck('plugin_id'),
  );
  if (enabled.size === 0) return;
  const tenant = (await trx('tenants').where({ id: e.tenantId }).first('id', 'slug')) as
    { id: string; slug: string } | undefined;
  if (!tenant) return;
  const event: MembershipEndedEvent = {
    tenant: { id: tenant.id, slug: tenant.slug },
    accountId: e.accountId,
    communityId: e.communityId,
    reason: e.reason,
  };
  for (const [id, { hook, services }] of hooks) if (enabled.has(id)) await hook(trx, event, services);
}
