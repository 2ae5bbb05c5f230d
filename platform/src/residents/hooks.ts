// What the residents module holds per instance for the rest of Vigie: the
// personal data plugins declare (so that the RGPD export and erasure cover
// them) and the plugins told when a membership ends through the core (a move
// approved, an account erased, an address redrawn into another sector).
// Without the latter a plugin that keeps state per community, such as a
// referent's seat, would never learn that its member is gone.
import type { Knex } from 'knex';
import { createServiceRef } from '../core/lifecycle.js';
import type {
  MembershipEndedEvent,
  MembershipEndedHook,
  PersonalDataKind,
  VigiePlugin,
} from '../plugins/index.js';
import type { PlatformServices } from '../plugins/index.js';

export interface PluginPersonalData {
  name: string;
  kinds: readonly PersonalDataKind[];
}

export interface ResidentsHooks {
  /** Every installed plugin's personal data, by plugin id (enabled or not: what it stored is still held). */
  personalData(): ReadonlyMap<string, PluginPersonalData>;
  /** The services handed to the plugins' erasures (set with the plugins, at the residents module's init). */
  services(): PlatformServices;
  /**
   * Runs the hook of every plugin the commune has enabled, in the caller's
   * tenant transaction: a plugin switched off must not act for the commune.
   */
  membershipEnded(
    trx: Knex.Transaction,
    e: { tenantId: string; accountId: string; communityId: string; reason: MembershipEndedEvent['reason'] },
  ): Promise<void>;
}

export const residentsServices = {
  hooks: createServiceRef<ResidentsHooks>('residents.hooks'),
};

/** Empty until `install` gives it the instance's plugins and services (the residents module's init). */
export function createResidentsHooks(): ResidentsHooks & {
  install(plugins: readonly VigiePlugin[], services: PlatformServices): void;
} {
  const personalData = new Map<string, PluginPersonalData>();
  const hooks = new Map<string, MembershipEndedHook>();
  let services: PlatformServices | undefined;
  return {
    install(plugins, s) {
      services = s;
      for (const p of plugins) {
        if (p.personalData.length > 0) personalData.set(p.id, { name: p.name, kinds: p.personalData });
        if (p.onMembershipEnded) hooks.set(p.id, p.onMembershipEnded);
      }
    },
    personalData: () => personalData,
    services() {
      if (!services) throw new Error('The residents hooks are used before their init');
      return services;
    },
    async membershipEnded(trx, e) {
      if (hooks.size === 0 || !services) return;
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
      for (const [id, hook] of hooks) if (enabled.has(id)) await hook(trx, event, services);
    },
  };
}
