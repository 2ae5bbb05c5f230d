// The core services a plugin may use. Plugins never import platform internals:
// they receive these through the GraphQL context (ctx.services), the Fastify
// instance (app.services) and their activities' deps (deps.services).
// Like Backstage's extension points, this is the seam where plugins meet the
// core and, through the core, each other's data.
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import { audit, type AuditEntry } from '../identity/audit.js';
import { grantRole, revokeRole } from '../identity/accounts.js';
import { deriveKey, seal, unseal } from '../identity/crypto.js';
import type { Role } from '../identity/permissions.js';
import type { Temporal } from '../temporal/client.js';
import { tenantWorkflowOptions } from '../temporal/client.js';
import { storeInAppMany } from '../notifications/adapters/in-app.js';
import { redrawSector } from '../geo/sectors.js';
import { geoServices } from '../geo/hooks.js';
import type { FastifyBaseLogger } from 'fastify';
import {
  checkSectors,
  communityOf,
  getAlert,
  isRecipient,
  listAlerts,
  parseRaiseAlertInput,
  toAlert,
  type Alert,
  type AlertRow,
} from '../alerts/alerts.js';
import { listCategories, type Category } from '../alerts/categories.js';
import { appendToAlert, recordAlert } from '../alerts/raise.js';
import { afterCommit } from '../db/after-commit.js';
import { alertsServices } from '../alerts/events.js';
import type { Ref } from '../core/lifecycle.js';
import type { Severity } from '../notifications/ports.js';
import { VigieError } from '../server/errors.js';
import { fail as alertsFail } from '../alerts/errors.js';

type Trx = Knex.Transaction;

export interface Community {
  /** A community is one sector of the commune, seen as a social group. */
  id: string;
  name: string;
  kind: string;
  status: string;
}

export interface CommunityMember {
  accountId: string;
  displayName: string;
  since: Date | null;
}

export interface NotifyInput {
  tenantId: string;
  accountIds: string[];
  kind: string;
  /** In French: what every account reads unless it chose English and `en` is given. */
  title: string;
  body: string;
  /**
   * The same notice in English. A plugin cannot see an account's language, so
   * it gives both and the platform picks per recipient (accounts.locale).
   */
  en?: { title: string; body: string };
  link?: string | null;
  meta?: Record<string, unknown>;
  /** Same key twice: stored once (retried activities). */
  dedupeKey?: string;
}

/** One audit log entry, as plugins may read it (referents seeing each other's actions). */
export interface AuditRecord {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  meta: Record<string, unknown>;
}

export interface AuditFilter {
  /** e.g. `voisins-vigilants.`: a plugin reads its own actions. */
  actionPrefix?: string;
  /** Entries whose meta contains these values (jsonb containment), e.g. `{ communityId }`. */
  meta?: Record<string, string | number | boolean>;
  actorId?: string;
  /** Newest first; at most 200. */
  limit?: number;
  /** Entries older than this id (pagination). */
  before?: string;
}

export interface SectorRedrawn {
  id: string;
  name: string;
  areaM2: number;
  /** Other active sectors the new outline overlaps (saved because the caller confirmed). */
  overlaps: Array<{ id: string; name: string }>;
  /** Addresses that changed sector. */
  movedAddresses: number;
}

/** An alert of the core model, as plugins read it (status, target, category id…). */
export type PlatformAlert = Alert;
/** One of the commune's alert categories (labels in French and English). */
export type AlertCategory = Category;
export type AlertSeverity = Severity;

export interface RaiseAlertRequest {
  tenant: { id: string; slug: string };
  /** A resident: they alert their own community, which also reaches the police and the mairie. */
  author: { accountId: string };
  origin: 'web' | 'sms' | 'api';
  /** Must be the author's own community (ALERT_TARGET_INVALID otherwise). */
  communityId: string;
  /** Slug of an active category (ALERT_CATEGORY_UNKNOWN otherwise). */
  category: string;
  /** Defaults to the category's severity. */
  severity?: AlertSeverity;
  /** What recipients read: 1 to 1,000 characters (ALERT_TEXT_INVALID otherwise). */
  text: string;
  location?: { lon: number; lat: number };
  /**
   * A photo the author uploaded through POST /alerts/photos (JPEG or PNG, 10 MB
   * at most, metadata stripped), not attached to another alert yet; attached
   * to this one in the same transaction (ALERT_PHOTO_INVALID otherwise).
   */
  photoKey?: string;
  requestId?: string;
  /** Added to the audit entry, e.g. `{ plugin: 'voisins-vigilants' }`. */
  meta?: Record<string, unknown>;
}

export interface PlatformServices {
  /**
   * What the modules and plugins of this instance provide (their extension
   * points and services, core/lifecycle.ts), by typed ref: a plugin's own
   * extension point reaches its resolvers and activities this way.
   */
  get<T>(ref: Ref<T>): T;
  /**
   * Encryption at rest of a sensitive field (a door code, who holds the keys),
   * with a key per commune and purpose derived from the instance's secret
   * (AES-256-GCM). `purpose` names the field, e.g. `tranquillite-vacances.door-code`:
   * a value sealed for one purpose or commune does not open for another.
   */
  secrets: {
    seal(tenantId: string, purpose: string, plaintext: string): string;
    /** Throws when the value was not sealed for this commune and purpose, or was altered. */
    open(tenantId: string, purpose: string, sealed: string): string;
  };
  audit(trx: Trx, entry: AuditEntry): Promise<void>;
  /** Reads the commune's audit log (the caller checks who may). */
  auditLog(trx: Trx, filter: AuditFilter): Promise<AuditRecord[]>;
  plugins: {
    /**
     * The plugin's settings for the transaction's commune, or null when the
     * plugin is disabled there. Activities and timers check it: a disabled
     * plugin must not act for that commune (no notification, no reminder).
     */
    settings(trx: Trx, pluginId: string): Promise<Record<string, unknown> | null>;
  };
  roles: {
    grant(
      trx: Trx,
      g: {
        tenantId: string;
        accountId: string;
        role: Role;
        scopeId: string | null;
        grantedBy: string | null;
      },
    ): Promise<void>;
    revoke(trx: Trx, g: { accountId: string; role: Role; scopeId: string | null }): Promise<number>;
    /** Accounts holding a role (scoped to a community when scopeId is given). */
    holders(trx: Trx, role: Role, scopeId: string | null): Promise<string[]>;
  };
  communities: {
    list(trx: Trx): Promise<Community[]>;
    get(trx: Trx, id: string): Promise<Community | undefined>;
    /** The community of an account's active residence. */
    of(trx: Trx, accountId: string): Promise<Community | undefined>;
    members(
      trx: Trx,
      communityId: string,
      page?: { limit?: number; offset?: number },
    ): Promise<CommunityMember[]>;
    memberCount(trx: Trx, communityId: string): Promise<number>;
    /** Members' households (distinct addresses) and the community's BAN addresses. */
    coverage(trx: Trx, communityId: string): Promise<{ households: number; addresses: number }>;
    /** Activates a membership validated by hand (address outside the BAN import). */
    activateManual(
      trx: Trx,
      m: {
        tenantId: string;
        accountId: string;
        communityId: string;
        addressLabel: string;
        decidedBy: string;
      },
    ): Promise<void>;
    /** Ends a membership (the resident left or was excluded). */
    end(
      trx: Trx,
      m: { accountId: string; communityId: string; reason: string; decidedBy: string | null },
    ): Promise<boolean>;
    /**
     * Reactivates the latest membership that `end` closed (an exclusion
     * overturned on appeal), keeping its address. False when there is none or
     * when the account has an active residence elsewhere (it moved meanwhile).
     */
    reinstate(
      trx: Trx,
      m: { accountId: string; communityId: string; reason: string; decidedBy: string },
    ): Promise<boolean>;
  };
  accounts: {
    /** Display names only: neighbours never see addresses, phones or emails. */
    displayNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>>;
  };
  sectors: {
    /**
     * Redraws a community's boundary through the sector API and its safeguards
     * (valid GeoJSON, inside the commune, overlaps refused unless confirmed,
     * addresses reassigned and their residents told). The caller checks who may.
     */
    redraw(
      trx: Trx,
      r: { tenantId: string; sectorId: string; geometry: unknown; confirmOverlap?: boolean },
    ): Promise<SectorRedrawn>;
  };
  /** Tells accounts something in the app (inbox + live push). */
  notify(trx: Trx, n: NotifyInput): Promise<void>;
  /**
   * The core alert model and its guaranteed delivery. Plugins raise and read
   * alerts here instead of keeping their own: the police see one list, and
   * every alert reaches every recipient or is recorded as failed.
   */
  alerts: {
    /** The commune's active categories (with the retired ones if asked), in display order. */
    categories(trx: Trx, tenantId: string, opts?: { includeRetired?: boolean }): Promise<AlertCategory[]>;
    /**
     * Records the alert (history, audit) in the caller's transaction and, once
     * it has committed, starts its delivery to the community, the police and
     * the mairie. A start lost to a crash is redone by the housekeeping schedule.
     */
    raise(trx: Trx, r: RaiseAlertRequest): Promise<PlatformAlert>;
    /** The author's latest alert of a category since `since` that is not closed yet (duplicate merging). */
    recentByAuthor(
      trx: Trx,
      q: { accountId: string; category: string; since: Date },
    ): Promise<PlatformAlert | undefined>;
    /** Merges a duplicate into an alert already raised: its text gains a dated follow-up; nothing is sent again. */
    append(
      trx: Trx,
      a: { tenantId: string; alertId: string; text: string; byAccountId: string; requestId?: string },
    ): Promise<PlatformAlert>;
    /** Alerts that reached a community (its own, and the whole commune's), newest first, at most 50. */
    listForCommunity(trx: Trx, communityId: string, opts?: { limit?: number }): Promise<PlatformAlert[]>;
    get(trx: Trx, id: string): Promise<PlatformAlert | undefined>;
    /** Was the account sent this alert (any channel)? */
    isRecipient(trx: Trx, alertId: string, accountId: string): Promise<boolean>;
  };
  workflows: {
    client(): Client;
    taskQueue(): string;
    /** Start options with the business-key ID `<slug>/<kind>/<key>` and the TenantId search attribute. */
    options(
      tenant: { id: string; slug: string },
      kind: string,
      key: string,
    ): ReturnType<typeof tenantWorkflowOptions>;
  };
}

export function createPlatformServices(deps: {
  temporal: Temporal | undefined;
  log?: FastifyBaseLogger;
  /** The instance's lookup (main/assembly.ts). */
  get<T>(ref: Ref<T>): T;
  /** The instance's secret (VIGIE_SECRET), from which field keys derive. */
  secret: string;
}): PlatformServices {
  const fieldKey = (tenantId: string, purpose: string) =>
    deriveKey(deps.secret, `field:${purpose}:${tenantId}`);
  const temporal = () => {
    if (!deps.temporal) throw new Error('Temporal is not configured in this process');
    return deps.temporal;
  };
  const services: PlatformServices = {
    get: (ref) => deps.get(ref),
    secrets: {
      seal: (tenantId, purpose, plaintext) => seal(fieldKey(tenantId, purpose), plaintext),
      open: (tenantId, purpose, sealed) => unseal(fieldKey(tenantId, purpose), sealed),
    },
    audit,
    async auditLog(trx, f) {
      const q = trx('audit_log')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(f.limit ?? 50, 1), 200));
      if (f.actionPrefix) q.where('action', 'like', `${f.actionPrefix.replace(/[%_\\]/g, '')}%`);
      if (f.meta) q.whereRaw('meta @> ?::jsonb', [JSON.stringify(f.meta)]);
      if (f.actorId) q.where('actor_id', f.actorId);
      if (f.before) q.where('id', '<', f.before);
      const rows = await q.select(
        'id',
        'at',
        'actor_type',
        'actor_id',
        'action',
        'target_type',
        'target_id',
        'meta',
      );
      return rows.map(
        (r: {
          id: string;
          at: Date;
          actor_type: string;
          actor_id: string | null;
          action: string;
          target_type: string | null;
          target_id: string | null;
          meta: Record<string, unknown>;
        }) => ({
          id: String(r.id),
          at: r.at,
          actorType: r.actor_type,
          actorId: r.actor_id,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          meta: r.meta,
        }),
      );
    },
    plugins: {
      async settings(trx, pluginId) {
        const row = await trx('tenant_plugins')
          .where({ plugin_id: pluginId, enabled: true })
          .first('settings');
        return row ? ((row.settings ?? {}) as Record<string, unknown>) : null;
      },
    },
    roles: {
      grant: (trx, g) => grantRole(trx, g.tenantId, g.accountId, g.role, g.scopeId, g.grantedBy),
      revoke: (trx, g) => revokeRole(trx, g.accountId, g.role, g.scopeId),
      async holders(trx, role, scopeId) {
        const q = trx('role_assignments as r')
          .join('accounts as a', 'a.id', 'r.account_id')
          .where({ 'r.role': role, 'a.status': 'active' });
        if (scopeId === null) q.whereNull('r.scope_id');
        else q.where('r.scope_id', scopeId);
        return q.pluck('r.account_id');
      },
    },
    communities: {
      list: (trx) =>
        trx('sectors').where({ status: 'active' }).orderBy('name').select('id', 'name', 'kind', 'status'),
      get: (trx, id) => trx('sectors').where({ id }).first('id', 'name', 'kind', 'status'),
      async of(trx, accountId) {
        return trx('residences as r')
          .join('sectors as s', 's.id', 'r.sector_id')
          .where({ 'r.account_id': accountId, 'r.status': 'active' })
          .first('s.id', 's.name', 's.kind', 's.status');
      },
      async members(trx, communityId, page = {}) {
        const rows = await trx('residences as r')
          .join('accounts as a', 'a.id', 'r.account_id')
          .where({ 'r.sector_id': communityId, 'r.status': 'active', 'a.status': 'active' })
          .orderBy('a.display_name')
          .limit(Math.min(page.limit ?? 100, 500))
          .offset(page.offset ?? 0)
          .select('a.id as accountId', 'a.display_name as displayName', 'r.activated_at as since');
        return rows as CommunityMember[];
      },
      async memberCount(trx, communityId) {
        const r = await trx('residences')
          .where({ sector_id: communityId, status: 'active' })
          .count('* as n')
          .first();
        return Number(r?.n ?? 0);
      },
      async coverage(trx, communityId) {
        const h = await trx('residences')
          .where({ sector_id: communityId, status: 'active' })
          .whereNotNull('address_id')
          .countDistinct('address_id as n')
          .first();
        const a = await trx('addresses').where({ sector_id: communityId }).count('* as n').first();
        return { households: Number(h?.n ?? 0), addresses: Number(a?.n ?? 0) };
      },
      async activateManual(trx, m) {
        // Only the active membership ends here; a pending proof request stays with
        // its verification workflow (approving it later counts as a move).
        await trx('residences')
          .where({ account_id: m.accountId })
          .where('status', 'active')
          .update({ status: 'ended', ended_at: new Date(), updated_at: new Date() });
        await trx('residences').insert({
          tenant_id: m.tenantId,
          account_id: m.accountId,
          sector_id: m.communityId,
          address_label: m.addressLabel,
          status: 'active',
          source: 'manual',
          activated_at: new Date(),
          decided_by: m.decidedBy,
        });
      },
      async end(trx, m) {
        const n = await trx('residences')
          .where({ account_id: m.accountId, sector_id: m.communityId, status: 'active' })
          .update({
            status: 'ended',
            ended_at: new Date(),
            decision_reason: m.reason,
            decided_by: m.decidedBy,
            updated_at: new Date(),
          });
        return n > 0;
      },
      async reinstate(trx, m) {
        const current = await trx('residences')
          .where({ account_id: m.accountId, status: 'active' })
          .first('id');
        if (current) return false;
        const last = await trx('residences')
          .where({ account_id: m.accountId, sector_id: m.communityId, status: 'ended' })
          .orderBy('ended_at', 'desc')
          .first('id');
        if (!last) return false;
        await trx('residences').where({ id: last.id }).update({
          status: 'active',
          ended_at: null,
          activated_at: new Date(),
          decision_reason: m.reason,
          decided_by: m.decidedBy,
          updated_at: new Date(),
        });
        return true;
      },
    },
    accounts: {
      async displayNames(trx, ids) {
        if (ids.length === 0) return new Map();
        const rows = await trx('accounts')
          .whereIn('id', [...new Set(ids)])
          .select('id', 'display_name', 'status');
        return new Map(
          rows.map((r: { id: string; display_name: string; status: string }) => [
            r.id,
            r.status === 'deleted' ? 'ancien membre' : r.display_name,
          ]),
        );
      },
    },
    sectors: {
      async redraw(trx, r) {
        const res = await redrawSector(trx, r.tenantId, r.sectorId, r.geometry, {
          confirmOverlap: r.confirmOverlap ?? false,
          hooks: deps.get(geoServices.hooks),
        });
        return {
          id: res.sector.id,
          name: res.sector.name,
          areaM2: res.sector.areaM2,
          overlaps: res.overlaps,
          movedAddresses: res.changes.length,
        };
      },
    },
    async notify(trx, n) {
      const ids = [...new Set(n.accountIds)];
      if (ids.length === 0) return;
      const english = n.en
        ? new Set<string>(await trx('accounts').whereIn('id', ids).where({ locale: 'en' }).pluck('id'))
        : new Set<string>();
      await storeInAppMany(
        trx,
        ids.map((accountId) => {
          const text = n.en && english.has(accountId) ? n.en : n;
          return {
            tenantId: n.tenantId,
            accountId,
            kind: n.kind,
            title: text.title,
            body: text.body,
            link: n.link ?? null,
            meta: n.meta ?? {},
            ...(n.dedupeKey ? { idempotencyKey: `${n.dedupeKey}:${accountId}` } : {}),
          };
        }),
      );
    },
    alerts: {
      categories: (trx, tenantId, opts) => listCategories(trx, tenantId, opts),
      async raise(trx, r) {
        const input = parseRaiseAlertInput({
          category: r.category,
          text: r.text,
          ...(r.severity ? { severity: r.severity } : {}),
          ...(r.location ? { location: r.location } : {}),
          ...(r.photoKey ? { photoKey: r.photoKey } : {}),
        });
        if ((await communityOf(trx, r.author.accountId)) !== r.communityId)
          throw alertsFail('ALERT_TARGET_INVALID', 'On ne donne l’alerte que dans sa propre communauté.');
        const sectorIds = await checkSectors(trx, [r.communityId]);
        const alert = await recordAlert(
          trx,
          r.tenant.id,
          {
            author: { accountId: r.author.accountId, kind: 'resident' },
            origin: r.origin,
            target: { kind: 'community', sectorIds },
            input,
          },
          { requestId: r.requestId, meta: r.meta },
        );
        const tenant = { id: r.tenant.id, slug: r.tenant.slug };
        afterCommit(trx, () => deps.get(alertsServices.events).raised(tenant, alert));
        return alert;
      },
      async recentByAuthor(trx, q) {
        const row = (await trx('alerts as a')
          .join('alert_categories as c', 'c.id', 'a.category_id')
          .where({ 'a.author_account_id': q.accountId, 'c.slug': q.category })
          .where('a.created_at', '>=', q.since)
          .whereNot('a.status', 'closed')
          .orderBy('a.created_at', 'desc')
          .first('a.*')) as AlertRow | undefined;
        return row ? toAlert(row) : undefined;
      },
      append: (trx, a) =>
        appendToAlert(trx, a.tenantId, a.alertId, {
          text: a.text,
          byAccountId: a.byAccountId,
          ...(a.requestId ? { requestId: a.requestId } : {}),
        }),
      async listForCommunity(trx, communityId, opts = {}) {
        return (await listAlerts(trx, { sectorId: communityId }, { limit: Math.min(opts.limit ?? 10, 50) }))
          .items;
      },
      get: (trx, id) => getAlert(trx, id),
      isRecipient: (trx, alertId, accountId) => isRecipient(trx, alertId, accountId),
    },
    workflows: {
      client: () => temporal().client,
      taskQueue: () => temporal().settings.taskQueue,
      options: (tenant, kind, key) => tenantWorkflowOptions(temporal(), tenant, kind, key),
    },
  };
  return services;
}
