// Tenant resolution from the Host header: `<slug>.<base domain>` or a custom
// domain. The tenant id never comes from a client-supplied argument.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';

export type TenantStatus = 'trial' | 'active' | 'suspended';

export interface TenantContext {
  id: string;
  slug: string;
  name: string;
  inseeCode: string;
  postalCodes: string[];
  status: TenantStatus;
  branding: Record<string, unknown>;
  settings: Record<string, unknown>;
  /**
   * The commune left: it was cancelled, its data deleted after the read-only
   * period (billing/deletion.ts), and it was not reactivated since. Its host
   * answers 410 (TENANT_CLOSED) and its pages say the portal is closed.
   */
  closed: boolean;
  /** Plugins enabled for this tenant, with their settings (tenant_plugins). */
  plugins: Map<string, Record<string, unknown>>;
}

export type HostResolution =
  { kind: 'tenant'; tenant: TenantContext } | { kind: 'platform' } | { kind: 'unknown' };

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  insee_code: string;
  postal_codes: string[];
  status: TenantStatus;
  branding: Record<string, unknown>;
  settings: Record<string, unknown>;
  data_deleted_at: Date | null;
}

/** A tenant's row with its data-deletion date (billing_accounts: absent for a commune never subscribed). */
const TENANT_COLUMNS = ['tenants.*', 'billing_accounts.data_deleted_at'];
function tenantRows(db: Knex) {
  return db('tenants').leftJoin('billing_accounts', 'billing_accounts.tenant_id', 'tenants.id');
}

/** Hosts without a commune: the platform itself (landing, operators). */
function isPlatformHost(hostname: string, baseDomain: string): boolean {
  return (
    hostname === baseDomain ||
    hostname === '127.0.0.1' ||
    hostname === '::1' ||
    hostname === '[::1]' ||
    hostname === 'localhost'
  );
}

export function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '').replace(/\.$/, '');
}

/**
 * Resolves hosts to tenants with a short cache: a suspension or a plugin switch
 * takes effect within `ttlMs` on every API instance, without a database round
 * trip on every request.
 */
export class TenantResolver {
  private cache = new Map<string, { at: number; value: HostResolution }>();

  constructor(
    private readonly db: Knex,
    private readonly baseDomain: string,
    private readonly ttlMs = 3000,
  ) {}

  async resolve(host: string | undefined): Promise<HostResolution> {
    const hostname = hostnameOf(host);
    const cached = this.cache.get(hostname);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.value;
    const value = await this.lookup(hostname);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hostname, { at: Date.now(), value });
    return value;
  }

  invalidate(): void {
    this.cache.clear();
  }

  async byId(id: string): Promise<TenantContext | undefined> {
    const row = (await tenantRows(this.db).where('tenants.id', id).first(TENANT_COLUMNS)) as
      TenantRow | undefined;
    return row ? this.load(row) : undefined;
  }

  private async lookup(hostname: string): Promise<HostResolution> {
    if (!hostname) return { kind: 'unknown' };
    const suffix = `.${this.baseDomain}`;
    let row: TenantRow | undefined;
    if (hostname.endsWith(suffix)) {
      const slug = hostname.slice(0, -suffix.length);
      if (!/^[a-z0-9-]+$/.test(slug)) return { kind: 'unknown' };
      row = (await tenantRows(this.db).where('tenants.slug', slug).first(TENANT_COLUMNS)) as
        TenantRow | undefined;
    } else if (isPlatformHost(hostname, this.baseDomain)) {
      return { kind: 'platform' };
    } else {
      row = (await tenantRows(this.db)
        .join('tenant_domains', 'tenant_domains.tenant_id', 'tenants.id')
        .where('tenant_domains.domain', hostname)
        .first(TENANT_COLUMNS)) as TenantRow | undefined;
    }
    if (!row) return { kind: 'unknown' };
    return { kind: 'tenant', tenant: await this.load(row) };
  }

  private async load(row: TenantRow): Promise<TenantContext> {
    const plugins = await withTenant(this.db, row.id, (trx) =>
      trx('tenant_plugins').where({ enabled: true }).select('plugin_id', 'settings'),
    );
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      inseeCode: row.insee_code,
      postalCodes: row.postal_codes,
      status: row.status,
      branding: row.branding,
      settings: row.settings,
      closed: row.data_deleted_at !== null && row.status === 'suspended',
      plugins: new Map(
        plugins.map((p: { plugin_id: string; settings: Record<string, unknown> }) => [
          p.plugin_id,
          p.settings,
        ]),
      ),
    };
  }
}
