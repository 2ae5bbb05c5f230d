// The core services a plugin may use. Plugins never import platform internals:
// they receive these through the GraphQL context (ctx.services), the Fastify
// instance (app.services) and their activities' deps (deps.services).
// Like Backstage's extension points, this is the seam where plugins meet the
// core and, through the core, each other's data.
import type { Knex } from 'knex';
import { audit } from '../lib/audit.js';
import { grantRole, revokeRole } from '../identity/index.js';
import { deriveKey, seal, unseal } from '../lib/crypto.js';
import type { Temporal } from '../temporal/index.js';
import { tenantWorkflowOptions } from '../temporal/index.js';
import { storeInAppMany } from '../notifications/index.js';
import { enqueueNoticeSends } from '../notices/index.js';
import { forgetPhoneCalls, phoneCallStatus, placePhoneCall } from '../calls/index.js';
import { coreExtensions, coreServices } from '../core/refs.js';
import { channelMessenger, portalUrl, type AccountMessenger } from '../identity/index.js';
import { createChannels } from '../notifications/index.js';
import { registerAtCounter } from '../residents/index.js';
import { randomUUID } from 'node:crypto';
import { redrawSector } from '../geo/index.js';
import { geoServices } from '../geo/index.js';
import type { FastifyBaseLogger } from 'fastify';
import {
  checkSectors,
  communityOf,
  getAlert,
  isRecipient,
  listAlerts,
  parseRaiseAlertInput,
  toAlert,
  type AlertRow,
} from '../alerts/index.js';
import { listCategories } from '../alerts/index.js';
import { appendToAlert, recordAlert } from '../alerts/index.js';
import { afterCommit } from '../db/index.js';
import { alertsServices } from '../alerts/index.js';
import type { Ref } from '../core/lifecycle.js';
import type { CommunityMember, PlatformServices } from './api.js';

type Trx = Knex.Transaction;

export type * from './api.js';
import { VigieError } from '../lib/errors.js';
import { fail as alertsFail } from '../alerts/index.js';

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
  // The account messages' messenger (the invitation), built on first use from the instance's config.
  let messenger: AccountMessenger | undefined;
  const accountMessenger = () =>
    (messenger ??= channelMessenger({
      channels: createChannels(deps.get(coreServices.config), { db: deps.get(coreServices.db) }),
      log: deps.get(coreServices.log),
    }));
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
    residents: {
      async registerAtCounter(trx, r) {
        const tenant = (await trx('tenants').where({ id: r.tenantId }).first('slug')) as { slug: string };
        return registerAtCounter(trx, r, {
          messenger: accountMessenger(),
          portalUrl: portalUrl(deps.get(coreServices.config), tenant.slug),
        });
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
      // Beyond the inbox, the rows must be found again: a dedupe key per account names them.
      const dedupeKey = n.dedupeKey ?? (n.channels?.length ? `notice:${randomUUID()}` : undefined);
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
            ...(dedupeKey ? { idempotencyKey: `${dedupeKey}:${accountId}` } : {}),
          };
        }),
      );
      if (n.channels?.length && dedupeKey) {
        const stored = (await trx('in_app_notifications')
          .whereIn(
            'dedupe_key',
            ids.map((id) => `${dedupeKey}:${id}`),
          )
          .select('id', 'account_id')) as Array<{ id: string; account_id: string }>;
        await enqueueNoticeSends(trx, temporal, {
          tenantId: n.tenantId,
          notifications: stored.map((r) => ({ id: r.id, accountId: r.account_id })),
          channels: n.channels,
          severity: n.severity ?? 'info',
        });
      }
    },
    phoneCalls: {
      place: (trx, r) =>
        placePhoneCall(
          trx,
          {
            temporal,
            seal: (tenantId, purpose, plaintext) => seal(fieldKey(tenantId, purpose), plaintext),
            handlers: () => deps.get(coreExtensions.phoneCalls),
          },
          r,
        ),
      status: (trx, callId) => phoneCallStatus(trx, callId),
      forget: (trx, q) => forgetPhoneCalls(trx, q),
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
