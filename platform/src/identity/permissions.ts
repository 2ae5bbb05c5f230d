// Permissions are data: `<area>.<resource>.<action>`, declared by the core, its
// modules and the plugins, each with the roles that hold it. `authorize` is the
// one place where they are checked, for GraphQL and REST alike. It is
// synchronous on purpose: a check that cannot be forgotten un-awaited.
import { VigieError } from '../lib/errors.js';
import type { PermissionDef } from '../plugins/index.js';

export const ROLES = [
  'resident',
  'referent',
  'police_agent',
  'police_chief',
  'mairie_admin',
  'ccas_agent',
] as const;
export type Role = (typeof ROLES)[number];

/** Staff must use two-factor authentication before any staff permission applies. */
export const STAFF_ROLES: ReadonlySet<Role> = new Set([
  'police_agent',
  'police_chief',
  'mairie_admin',
  'ccas_agent',
]);

export interface RoleGrant {
  role: Role;
  /** For referents: the community (sector) the role applies to. */
  scopeId: string | null;
}

export interface AccountPrincipal {
  kind: 'account';
  accountId: string;
  tenantId: string;
  displayName: string;
  roles: RoleGrant[];
  sessionId: string;
  csrfToken: string;
  /** verified: TOTP checked in this session; pending: enrolled, not checked yet; none: not enrolled. */
  secondFactor: 'verified' | 'pending' | 'none';
  emailVerified: boolean;
  phoneVerified: boolean;
  /** The account's language (error messages follow it). */
  locale?: 'fr' | 'en';
}

export interface Scope {
  communityId?: string;
}

export const corePermissions: PermissionDef[] = [
  {
    name: 'core.audit.read',
    description: "Lire le journal d'audit de la commune",
    roles: ['mairie_admin', 'police_chief'],
  },
  {
    name: 'core.account.read',
    description: 'Voir les comptes et leurs coordonnées',
    roles: ['mairie_admin', 'police_chief', 'police_agent'],
  },
  { name: 'core.role.assign', description: 'Attribuer ou retirer un rôle', roles: ['mairie_admin'] },
  {
    name: 'core.tenant.configure',
    description: 'Configurer la commune (identité visuelle, réglages)',
    roles: ['mairie_admin'],
  },
  {
    name: 'core.session.revoke_any',
    description: "Révoquer les sessions d'un autre compte",
    roles: ['mairie_admin'],
  },
];

export class PermissionRegistry {
  private readonly defs = new Map<string, PermissionDef>();

  constructor(defs: PermissionDef[]) {
    for (const d of defs) {
      if (this.defs.has(d.name)) throw new Error(`Permission ${d.name} is declared twice`);
      for (const r of d.roles)
        if (!ROLES.includes(r as Role)) throw new Error(`Permission ${d.name} names unknown role ${r}`);
      this.defs.set(d.name, d);
    }
  }

  list(): PermissionDef[] {
    return [...this.defs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  /** Permissions a principal holds (unscoped grants, plus scoped ones with their scope). */
  held(principal: AccountPrincipal): Array<{ name: string; scopeId: string | null }> {
    const out: Array<{ name: string; scopeId: string | null }> = [];
    for (const d of this.defs.values()) {
      for (const g of principal.roles)
        if (d.roles.includes(g.role)) out.push({ name: d.name, scopeId: g.scopeId });
    }
    return out;
  }

  /**
   * Throws UNAUTHENTICATED, FORBIDDEN, TOTP_SETUP_REQUIRED or TOTP_REQUIRED.
   * A scoped grant (a referent of one community) only satisfies a check made
   * with that same scope; a check without scope needs an unscoped grant.
   */
  authorize(principal: AccountPrincipal | undefined, permission: string, scope?: Scope): void {
    const def = this.defs.get(permission);
    if (!def) throw new Error(`Unknown permission ${permission}: declare it first`);
    if (!principal) throw new VigieError('UNAUTHENTICATED');
    let staffOnly = false;
    for (const g of principal.roles) {
      if (!def.roles.includes(g.role)) continue;
      if (g.scopeId !== null && g.scopeId !== scope?.communityId) continue;
      if (!STAFF_ROLES.has(g.role)) return;
      if (principal.secondFactor === 'verified') return;
      staffOnly = true;
    }
    if (staffOnly)
      throw new VigieError(principal.secondFactor === 'none' ? 'TOTP_SETUP_REQUIRED' : 'TOTP_REQUIRED');
    throw new VigieError('FORBIDDEN');
  }

  can(principal: AccountPrincipal | undefined, permission: string, scope?: Scope): boolean {
    try {
      this.authorize(principal, permission, scope);
      return true;
    } catch {
      return false;
    }
  }
}

export function isStaff(principal: AccountPrincipal | undefined): boolean {
  return !!principal?.roles.some((g) => STAFF_ROLES.has(g.role));
}
