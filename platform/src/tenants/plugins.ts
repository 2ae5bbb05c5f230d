// Per-tenant plugin enablement: which modules a commune uses, with which
// settings. It is data (tenant_plugins, tenant-owned, RLS), read by the gating of
// GraphQL fields and routes, written here only, so that the rules below hold
// whoever writes: the YAML apply, the operator API, a mairie admin.
//
// Rules: a plugin must be installed (PLUGIN_UNKNOWN); its settings must match its
// TypeBox schema, defaults applied (PLUGIN_SETTINGS_INVALID); it cannot be on
// while a plugin it depends on is off (PLUGIN_DEPENDENCY_DISABLED), nor be
// switched off while an enabled plugin depends on it (PLUGIN_REQUIRED_BY_ENABLED).
import { Value } from '@sinclair/typebox/value';
import { fail } from './errors.js';
import type { Knex } from 'knex';
import type { VigiePlugin } from '../plugins/index.js';
import type { VigieError } from '../lib/errors.js';
import { recordTenantEvent, type Actor } from './audit.js';
import { customMessage } from './schema.js';
import './errors.js';

export type PluginSettingsValue = Record<string, unknown>;

export interface PluginState {
  enabled: boolean;
  settings: PluginSettingsValue;
}

export interface SettingsIssue {
  path: string;
  message: string;
}

/**
 * The plugins enabled for a tenant, with their settings: `map.has(id)` answers
 * "is it on?", `map.get(id)` gives its settings.
 *
 * `trx` must be bound to `tenantId` (withTenant on the app or operator pool):
 * RLS hides every other commune's rows, and the explicit filter keeps the
 * answer right even if a caller forgot to bind it.
 */
export async function enabledPlugins(
  trx: Knex | Knex.Transaction,
  tenantId: string,
): Promise<Map<string, PluginSettingsValue>> {
  const rows: Array<{ plugin_id: string; settings: PluginSettingsValue }> = await trx('tenant_plugins')
    .where({ tenant_id: tenantId, enabled: true })
    .select('plugin_id', 'settings');
  return new Map(rows.map((r) => [r.plugin_id, r.settings]));
}

/** Every tenant_plugins row of the tenant, enabled or not (a disabled plugin keeps its settings). */
export async function pluginStates(
  trx: Knex | Knex.Transaction,
  tenantId: string,
): Promise<Map<string, PluginState>> {
  const rows: Array<{ plugin_id: string; enabled: boolean; settings: PluginSettingsValue }> = await trx(
    'tenant_plugins',
  )
    .where({ tenant_id: tenantId })
    .select('plugin_id', 'enabled', 'settings');
  return new Map(rows.map((r) => [r.plugin_id, { enabled: r.enabled, settings: r.settings }]));
}

export function findPlugin(plugins: readonly VigiePlugin[], pluginId: string): VigiePlugin {
  const p = plugins.find((x) => x.id === pluginId);
  if (!p) {
    throw fail(
      'PLUGIN_UNKNOWN',
      `Module inconnu : « ${pluginId} ». Modules installés : ${plugins.map((x) => x.id).join(', ') || 'aucun'}.`,
      {
        plugin: pluginId,
        installed: plugins.map((x) => x.id),
      },
    );
  }
  return p;
}

/** Returns the settings with the schema's defaults applied, or the list of problems. */
export function checkPluginSettings(
  plugin: VigiePlugin,
  settings: unknown,
): { ok: true; value: PluginSettingsValue } | { ok: false; issues: SettingsIssue[] } {
  const given = settings ?? {};
  if (!plugin.settings) {
    const empty =
      typeof given === 'object' && given !== null && !Array.isArray(given) && Object.keys(given).length === 0;
    return empty
      ? { ok: true, value: {} }
      : { ok: false, issues: [{ path: '', message: "ce module n'a pas de réglages" }] };
  }
  const value = Value.Default(plugin.settings, Value.Clone(given)) as unknown;
  if (Value.Check(plugin.settings, value)) return { ok: true, value: value as PluginSettingsValue };
  const issues: SettingsIssue[] = [];
  for (const e of Value.Errors(plugin.settings, value)) {
    if (issues.some((i) => i.path === e.path)) continue;
    issues.push({ path: e.path, message: customMessage(e.schema) ?? e.message });
  }
  return { ok: false, issues };
}

/** Like checkPluginSettings, but throws PLUGIN_SETTINGS_INVALID with the issues as details. */
export function resolvePluginSettings(plugin: VigiePlugin, settings: unknown): PluginSettingsValue {
  const r = checkPluginSettings(plugin, settings);
  if (r.ok) return r.value;
  throw fail(
    'PLUGIN_SETTINGS_INVALID',
    `Réglages invalides pour le module « ${plugin.id} » : ${r.issues.map((i) => `${i.path || '/'} ${i.message}`).join(' ; ')}.`,
    {
      plugin: plugin.id,
      issues: r.issues,
    },
  );
}

export interface DependencyProblem {
  plugin: string;
  /** Dependencies that are not enabled. */
  missing: string[];
}

/** Plugins of `enabled` whose dependencies are not all in `enabled`. */
export function dependencyProblems(
  plugins: readonly VigiePlugin[],
  enabled: ReadonlySet<string>,
): DependencyProblem[] {
  const out: DependencyProblem[] = [];
  for (const id of enabled) {
    const p = plugins.find((x) => x.id === id);
    if (!p) continue; // a row left by an uninstalled plugin gates nothing
    const missing = p.dependsOn.filter((d) => !enabled.has(d));
    if (missing.length) out.push({ plugin: id, missing });
  }
  return out;
}

export function dependencyError(problems: DependencyProblem[]): VigieError {
  const text = problems
    .map((p) => `« ${p.plugin} » dépend de ${p.missing.map((m) => `« ${m} »`).join(', ')}`)
    .join(' ; ');
  return fail(
    'PLUGIN_DEPENDENCY_DISABLED',
    `Ce module dépend d'un module qui n'est pas activé : ${text}. Activez d'abord la dépendance.`,
    { problems },
  );
}

export interface PluginChange {
  pluginId: string;
  /** false when the call changed nothing (already in that state). */
  changed: boolean;
  state: PluginState;
}

export interface PluginServiceDeps {
  plugins: readonly VigiePlugin[];
  actor: Actor;
  requestId?: string;
}

/**
 * Enables a plugin (or updates its settings). Without `settings`, a plugin that
 * was enabled before gets its previous settings back. `trx` is bound to tenantId.
 */
export async function enablePlugin(
  trx: Knex.Transaction,
  deps: PluginServiceDeps,
  tenantId: string,
  pluginId: string,
  settings?: unknown,
): Promise<PluginChange> {
  const plugin = findPlugin(deps.plugins, pluginId);
  const states = await lockPluginStates(trx, tenantId);
  const before = states.get(pluginId);
  const value = resolvePluginSettings(plugin, settings ?? before?.settings ?? {});
  const enabled = enabledSet(states);
  const missing = plugin.dependsOn.filter((d) => !enabled.has(d));
  if (missing.length) throw dependencyError([{ plugin: pluginId, missing }]);
  const state = { enabled: true, settings: value };
  if (before?.enabled && sameJson(before.settings, value)) return { pluginId, changed: false, state };
  await writePluginState(trx, tenantId, pluginId, state);
  await recordTenantEvent(trx, deps.actor, {
    tenantId,
    action: before?.enabled ? 'tenant.plugin_settings_changed' : 'tenant.plugin_enabled',
    meta: { plugin: pluginId, settings: value },
    ...(deps.requestId ? { requestId: deps.requestId } : {}),
  });
  return { pluginId, changed: true, state };
}

/** Disables a plugin; its settings are kept for the day it is enabled again. */
export async function disablePlugin(
  trx: Knex.Transaction,
  deps: PluginServiceDeps,
  tenantId: string,
  pluginId: string,
): Promise<PluginChange> {
  findPlugin(deps.plugins, pluginId);
  const states = await lockPluginStates(trx, tenantId);
  const before = states.get(pluginId);
  if (!before?.enabled)
    return { pluginId, changed: false, state: { enabled: false, settings: before?.settings ?? {} } };
  const enabled = enabledSet(states);
  enabled.delete(pluginId);
  const dependents = deps.plugins
    .filter((p) => enabled.has(p.id) && p.dependsOn.includes(pluginId))
    .map((p) => p.id);
  if (dependents.length) {
    throw fail(
      'PLUGIN_REQUIRED_BY_ENABLED',
      `Le module « ${pluginId} » est requis par ${dependents.map((d) => `« ${d} »`).join(', ')} : désactivez-les d'abord.`,
      { plugin: pluginId, requiredBy: dependents },
    );
  }
  const state = { enabled: false, settings: before.settings };
  await writePluginState(trx, tenantId, pluginId, state);
  await recordTenantEvent(trx, deps.actor, {
    tenantId,
    action: 'tenant.plugin_disabled',
    meta: { plugin: pluginId },
    ...(deps.requestId ? { requestId: deps.requestId } : {}),
  });
  return { pluginId, changed: true, state };
}

export async function writePluginState(
  trx: Knex.Transaction,
  tenantId: string,
  pluginId: string,
  state: PluginState,
): Promise<void> {
  await trx('tenant_plugins')
    .insert({
      tenant_id: tenantId,
      plugin_id: pluginId,
      enabled: state.enabled,
      settings: JSON.stringify(state.settings),
      updated_at: trx.fn.now(),
    })
    .onConflict(['tenant_id', 'plugin_id'])
    .merge(['enabled', 'settings', 'updated_at']);
}

/**
 * Reads the tenant's rows under a lock on the tenant, so that two concurrent
 * switches (enable A, disable A's dependency) cannot both pass their checks.
 */
async function lockPluginStates(trx: Knex.Transaction, tenantId: string): Promise<Map<string, PluginState>> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`tenant_plugins:${tenantId}`]);
  return pluginStates(trx, tenantId);
}

function enabledSet(states: Map<string, PluginState>): Set<string> {
  return new Set([...states].filter(([, s]) => s.enabled).map(([id]) => id));
}

/** Key-order-insensitive equality of JSON values (jsonb does not keep key order). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
