// What a resident reads on the portal of a suspended commune.
import type { TenantContext } from '../tenants/index.js';

/** The banner residents see on a suspended commune's portal. */
export function suspensionBanner(tenant: TenantContext, locale: 'fr' | 'en' = 'fr'): string | null {
  if (tenant.status !== 'suspended') return null;
  return locale === 'en'
    ? `The ${tenant.name} portal is temporarily read-only. You can still send alerts to the police municipale. In an emergency, call 17.`
    : `Le portail de ${tenant.name} est temporairement en lecture seule. Vous pouvez toujours envoyer une alerte à la police municipale. En cas d'urgence, appelez le 17.`;
}
