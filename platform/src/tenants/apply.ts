// `vigie tenants apply`: makes the database match a commune's definition.
//
// The plan (field-by-field diff) is computed inside the same transaction that
// applies it, under a lock on the tenant row, so what is printed is what is
// written. The tenant row, its domains and its plugin rows change in one
// transaction on the operator pool: a failure leaves nothing half-applied.
// The first mairie admin and the geography are follow-up steps (they need the
// app pool), each idempotent, retried by the next apply if they fail.
//
// What the definition does not mention is left alone: plugins it does not list,
// and the status when it declares none. A suspended commune is never
// reactivated by an apply: reactivation is an explicit, audited operator action.
import { createHash } from 'node:crypto';
import { fail } from './errors.js';
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import type { VigiePlugin } from '../plugins/index.js';

import { recordTenantEvent, type Actor } from './audit.js';
import type { AccountMessenger } from '../identity/index.js';
import { firstAdminState, inviteMairieAdmin, type FirstAdminState } from './admins.js';
import type { GeoImports } from './geo-hook.js';
import {
  canonicalJson,
  dependencyError,
  dependencyProblems,
  pluginStates,
  writePluginState,
  type PluginState,
} from './plugins.js';
import type { TenantStatus } from './schema.js';
import type { TenantDefinition } from './validate.js';
import './errors.js';

export interface Change {
  /** Dotted path: name, branding.primaryColor, settings.police.phone, domains, plugins.<id>.enabled … */
  field: string;
  from: unknown;
  to: unknown;
}

export interface GeoStep {
  kind: 'addresses' | 'sectors';
  file: string;
  /** `planned`: the commune does not exist yet, so a dry run cannot try the import. */
  outcome: 'imported' | 'would change' | 'unchanged' | 'planned' | 'skipped: no geo importer';
  total?: number;
  changed?: number;
  rejected?: number;
}

export interface TenantPlan {
  slug: string;
  tenantId: string | undefined;
  action: 'create' | 'update' | 'none';
  changes: Change[];
  /** Things worth knowing that are not changes (a suspension kept, …). */
  notes: string[];
  firstAdmin: FirstAdminState | 'granted' | 'invited' | 'not declared';
  geo: GeoStep[];
  applied: boolean;
}

export interface ApplyDeps {
  /** Operator pool: writes tenants, tenant_domains, tenant_plugins, operator_audit_log. */
  operatorDb: Knex;
  /** App pool: accounts (first mairie admin) and geography. */
  db: Knex;
  config: Config;
  plugins: readonly VigiePlugin[];
  geo?: GeoImports;
  /** How the first mairie admin's invitation is sent; by default the configured channels. */
  messenger?: AccountMessenger;
}

export interface ApplyInput {
  definition: TenantDefinition;
  addressesCsv?: string | undefined;
  sectorsGeojson?: string | undefined;
}

export interface ApplyOptions {
  dryRun?: boolean;
  actor: Actor;
  /** The operator API refuses to "create" over an existing commune. */
  mustCreate?: boolean;
  requestId?: string;
}

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  insee_code: string;
  postal_codes: string[];
  status: TenantStatus;
  branding: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export async function applyTenant(
  deps: ApplyDeps,
  input: ApplyInput,
  opts: ApplyOptions,
): Promise<TenantPlan> {
  const def = input.definition;
  const dryRun = opts.dryRun ?? false;
  const plan = await deps.operatorDb.transaction(async (trx) => {
    const current = await trx<TenantRow>('tenants').where({ slug: def.slug }).forUpdate().first();
    if (current && opts.mustCreate)
      throw fail('TENANT_EXISTS', `La commune « ${def.slug} » existe déjà.`, { slug: def.slug });
    const inseeOwner = await trx('tenants')
      .where({ insee_code: def.inseeCode })
      .whereNot({ slug: def.slug })
      .first('slug');
    if (inseeOwner) {
      throw fail(
        'TENANT_EXISTS',
        `Le code INSEE ${def.inseeCode} est déjà celui de la commune « ${inseeOwner.slug} ».`,
        { slug: inseeOwner.slug, inseeCode: def.inseeCode },
      );
    }
    if (current) await bindTenant(trx, current.id);
    await assertDomainsFree(trx, def.domains, current?.id);
    const domains: string[] = current
      ? await trx('tenant_domains').where({ tenant_id: current.id }).orderBy('domain').pluck('domain')
      : [];
    const states = current ? await pluginStates(trx, current.id) : new Map<string, PluginState>();
    assertPluginsConsistent(deps.plugins, states, def.plugins);

    const { status, notes } = targetStatus(current?.status, def.status);
    const changes = [
      ...diffTenantRow(current, def, status),
      ...diffDomains(domains, def.domains),
      ...diffPlugins(states, def.plugins),
    ];
    const p: TenantPlan = {
      slug: def.slug,
      tenantId: current?.id,
      action: !current ? 'create' : changes.length ? 'update' : 'none',
      changes,
      notes,
      firstAdmin: def.firstAdmin ? 'invite' : 'not declared',
      geo: [],
      applied: false,
    };
    if (dryRun || p.action === 'none') return p;

    const tenantId = await writeTenantRow(trx, current, def, status);
    if (!current) await bindTenant(trx, tenantId);
    await writeDomains(trx, tenantId, domains, def.domains);
    for (const [id, state] of Object.entries(def.plugins)) {
      const before = states.get(id);
      if (
        !before ||
        before.enabled !== state.enabled ||
        canonicalJson(before.settings) !== canonicalJson(state.settings)
      )
        await writePluginState(trx, tenantId, id, state);
    }
    await recordTenantEvent(trx, opts.actor, {
      tenantId,
      action: current ? 'tenant.updated' : 'tenant.created',
      meta: { slug: def.slug, fields: changes.map((c) => c.field) },
      ...(opts.requestId ? { requestId: opts.requestId } : {}),
    });
    if (status === 'suspended' && current?.status !== 'suspended') {
      await recordTenantEvent(trx, opts.actor, {
        tenantId,
        action: 'tenant.suspended',
        meta: { previousStatus: current?.status ?? null, reason: 'tenant.yaml' },
      });
    }
    return { ...p, tenantId, applied: true };
  });

  await followUps(deps, input, plan, opts);
  return plan;
}

async function followUps(
  deps: ApplyDeps,
  input: ApplyInput,
  plan: TenantPlan,
  opts: ApplyOptions,
): Promise<void> {
  const def = input.definition;
  const dryRun = opts.dryRun ?? false;
  if (def.firstAdmin) {
    if (!plan.tenantId) plan.firstAdmin = 'invite';
    else if (dryRun) plan.firstAdmin = await firstAdminState(deps.db, plan.tenantId, def.firstAdmin.email);
    else
      plan.firstAdmin = await inviteMairieAdmin(
        deps,
        { id: plan.tenantId, slug: def.slug },
        def.firstAdmin,
        opts.actor,
        opts.requestId,
      );
  }
  const steps: Array<[GeoStep['kind'], string | undefined, GeoImports['importAddresses']]> = [
    ['addresses', input.addressesCsv, deps.geo?.importAddresses],
    ['sectors', input.sectorsGeojson, deps.geo?.seedSectors],
  ];
  for (const [kind, file, run] of steps) {
    if (!file) continue;
    if (!run) plan.geo.push({ kind, file, outcome: 'skipped: no geo importer' });
    else if (!plan.tenantId) plan.geo.push({ kind, file, outcome: 'planned' });
    else {
      const r = dryRun
        ? await rehearse(deps.db, (trx) => run(trx, plan.tenantId!, file))
        : await run(deps.db, plan.tenantId, file);
      plan.geo.push({
        kind,
        file,
        outcome: r.changed === 0 ? 'unchanged' : dryRun ? 'would change' : 'imported',
        ...r,
      });
    }
  }
}

class Rehearsal<T> extends Error {
  constructor(readonly result: T) {
    super('rehearsal rolled back');
  }
}

/** Runs `fn` in a transaction that is always rolled back: a dry run that sees what the import would change. */
async function rehearse<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (trx) => {
      throw new Rehearsal(await fn(trx));
    });
  } catch (err) {
    if (err instanceof Rehearsal) return err.result as T;
    throw err;
  }
  throw new Error('unreachable: a rehearsal always rolls back');
}

/** Binds the operator's transaction to one commune, as withTenant does, so RLS admits its rows. */
async function bindTenant(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw("select set_config('app.tenant_id', ?, true)", [tenantId]);
}

async function assertDomainsFree(
  trx: Knex.Transaction,
  domains: string[],
  tenantId: string | undefined,
): Promise<void> {
  if (!domains.length) return;
  const q = trx('tenant_domains')
    .join('tenants', 'tenants.id', 'tenant_domains.tenant_id')
    .whereIn('domain', domains)
    .select('domain', 'tenants.slug');
  if (tenantId) q.whereNot('tenant_domains.tenant_id', tenantId);
  const taken: Array<{ domain: string; slug: string }> = await q;
  if (taken.length) {
    throw fail(
      'TENANT_DOMAIN_TAKEN',
      `Domaine déjà utilisé : ${taken.map((t) => `${t.domain} (${t.slug})`).join(', ')}.`,
      { domains: taken },
    );
  }
}

/** The final plugin state (rows overlaid with the definition) must satisfy every dependency. */
function assertPluginsConsistent(
  plugins: readonly VigiePlugin[],
  states: Map<string, PluginState>,
  desired: Record<string, PluginState>,
): void {
  const enabled = new Set([...states].filter(([, s]) => s.enabled).map(([id]) => id));
  for (const [id, s] of Object.entries(desired)) {
    if (s.enabled) enabled.add(id);
    else enabled.delete(id);
  }
  const problems = dependencyProblems(plugins, enabled);
  if (problems.length) throw dependencyError(problems);
}

function targetStatus(
  current: TenantStatus | undefined,
  declared: TenantStatus | undefined,
): { status: TenantStatus; notes: string[] } {
  if (!current) return { status: declared ?? 'trial', notes: [] };
  if (current === 'suspended' && declared && declared !== 'suspended') {
    return {
      status: 'suspended',
      notes: [
        `status: la commune reste suspendue (le fichier dit « ${declared} ») ; réactivez-la avec \`vigie tenants reactivate\` ou l'API opérateur`,
      ],
    };
  }
  return { status: declared ?? current, notes: [] };
}

function desiredRow(def: TenantDefinition, status: TenantStatus): Omit<TenantRow, 'id'> {
  return {
    slug: def.slug,
    name: def.name,
    insee_code: def.inseeCode,
    postal_codes: def.postalCodes,
    status,
    branding: def.branding,
    settings: def.settings,
  };
}

function diffTenantRow(
  current: TenantRow | undefined,
  def: TenantDefinition,
  status: TenantStatus,
): Change[] {
  const want = desiredRow(def, status);
  const have: Partial<TenantRow> = current ?? {};
  return [
    ...diffValues('name', have.name, want.name),
    ...diffValues('inseeCode', have.insee_code, want.insee_code),
    ...diffValues('postalCodes', have.postal_codes, want.postal_codes),
    ...diffValues('status', have.status, want.status),
    ...diffValues('branding', have.branding, want.branding),
    ...diffValues('settings', have.settings, want.settings),
  ];
}

function diffDomains(have: string[], want: string[]): Change[] {
  return canonicalJson([...have].sort()) === canonicalJson(want)
    ? []
    : [{ field: 'domains', from: have, to: want }];
}

function diffPlugins(states: Map<string, PluginState>, desired: Record<string, PluginState>): Change[] {
  return Object.entries(desired).flatMap(([id, s]) => {
    const before = states.get(id);
    return [
      ...diffValues(`plugins.${id}.enabled`, before?.enabled, s.enabled),
      ...diffValues(`plugins.${id}.settings`, before?.settings, s.settings),
    ];
  });
}

/** Field-by-field differences: plain objects are walked down to their leaves; arrays and scalars compare whole. */
export function diffValues(field: string, from: unknown, to: unknown): Change[] {
  if (isPlainObject(from) || isPlainObject(to)) {
    const a = isPlainObject(from) ? from : {};
    const b = isPlainObject(to) ? to : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const out = keys.flatMap((k) => diffValues(`${field}.${k}`, a[k], b[k]));
    // An empty object appearing or disappearing is a change too.
    if (!out.length && (from === undefined) !== (to === undefined)) return [{ field, from, to }];
    return out;
  }
  if (from === undefined && to === undefined) return [];
  return canonicalJson(from) === canonicalJson(to) ? [] : [{ field, from, to }];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function writeTenantRow(
  trx: Knex.Transaction,
  current: TenantRow | undefined,
  def: TenantDefinition,
  status: TenantStatus,
): Promise<string> {
  const row = desiredRow(def, status);
  const values = { ...row, branding: JSON.stringify(row.branding), settings: JSON.stringify(row.settings) };
  if (current) {
    await trx('tenants')
      .where({ id: current.id })
      .update({ ...values, updated_at: trx.fn.now() });
    return current.id;
  }
  const [created] = await trx('tenants').insert(values).returning('id');
  return (created as { id: string }).id;
}

async function writeDomains(
  trx: Knex.Transaction,
  tenantId: string,
  have: string[],
  want: string[],
): Promise<void> {
  const gone = have.filter((d) => !want.includes(d));
  const added = want.filter((d) => !have.includes(d));
  if (gone.length)
    await trx('tenant_domains').where({ tenant_id: tenantId }).whereIn('domain', gone).delete();
  if (added.length)
    await trx('tenant_domains').insert(added.map((domain) => ({ domain, tenant_id: tenantId })));
}

// ---- printing ----------------------------------------------------------------

/** A plan as an operator reads it in a terminal. Logos are shown by hash, not as kilobytes of base64. */
export function formatPlan(plan: TenantPlan, dryRun: boolean): string {
  const head =
    plan.action === 'create'
      ? dryRun
        ? 'would be created'
        : 'created'
      : plan.action === 'update'
        ? `${plan.changes.length} change${plan.changes.length > 1 ? 's' : ''}${dryRun ? ' (not applied: dry run)' : ' applied'}`
        : 'no change';
  const lines = [`${plan.slug}: ${head}`];
  for (const c of plan.changes) {
    const mark = c.from === undefined ? '+' : c.to === undefined ? '-' : '~';
    lines.push(
      `  ${mark} ${c.field}: ${c.from === undefined ? '' : `${show(c.from)} → `}${c.to === undefined ? '(removed)' : show(c.to)}`,
    );
  }
  for (const n of plan.notes) lines.push(`  ! ${n}`);
  if (plan.firstAdmin !== 'not declared') {
    const adminText: Record<TenantPlan['firstAdmin'], string> = {
      exists: 'already has its mairie admin',
      grant: dryRun ? 'would grant mairie_admin to the existing account' : 'mairie_admin to be granted',
      invite: dryRun ? 'would invite the first mairie admin' : 'first mairie admin to be invited',
      granted: 'mairie_admin granted to the existing account',
      invited: 'first mairie admin invited (link in the outbox)',
      'not declared': '',
    };
    lines.push(
      `  ${plan.firstAdmin === 'exists' ? '=' : '+'} first mairie admin: ${adminText[plan.firstAdmin]}`,
    );
  }
  for (const g of plan.geo) {
    const mark = g.outcome === 'unchanged' ? '=' : g.outcome.startsWith('skipped') ? '!' : '+';
    const counts =
      g.total !== undefined
        ? ` (${g.changed} of ${g.total} added or updated${g.rejected ? `, ${g.rejected} refused` : ''})`
        : '';
    lines.push(`  ${mark} ${g.kind}: ${g.outcome}${counts}`);
  }
  return lines.join('\n');
}

function show(v: unknown): string {
  if (typeof v === 'string' && v.startsWith('data:'))
    return `<${v.slice(5, v.indexOf(';'))} sha256:${createHash('sha256').update(v).digest('hex').slice(0, 12)}>`;
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** True when an apply (or dry run) changes nothing at all, follow-ups included. */
export function isNoChange(plan: TenantPlan): boolean {
  return (
    plan.action === 'none' &&
    (plan.firstAdmin === 'exists' || plan.firstAdmin === 'not declared') &&
    plan.geo.every((g) => g.outcome === 'unchanged' || g.outcome.startsWith('skipped'))
  );
}
