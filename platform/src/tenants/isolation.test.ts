// Tenant isolation, by construction: every table with a tenant_id column,
// including tables that plugins add, is checked with the application role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { withTenant } from '../db/tenant.js';
import { createTenant, createTestContext, type TestContext, type TestTenant } from '../testing/index.js';
import {
  describeTable,
  generateRow,
  tenantTables,
  type Overrides,
  type TableShape,
} from './row-generator.js';

/**
 * Platform tables that carry a tenant_id but no RLS, by design: tenant_domains is
 * read to resolve a Host before any tenant is known; webhook_events holds provider
 * event ids only; operator_audit_log is reachable by the operator role alone (the
 * app role has no grant on it at all); billing_accounts is found from a Stripe
 * customer id before any tenant is known, and holds the commune's legal ids only;
 * billing_invoices likewise (amounts and the commune's ids, no person's data);
 * webhook_refusals counts refused webhook requests per day and code, platform-wide
 * when no commune is known (read by the operator console only).
 */
const PLATFORM_TABLES = new Set([
  'tenant_domains',
  'webhook_events',
  'operator_audit_log',
  'billing_accounts',
  'billing_invoices',
  'webhook_refusals',
]);

/** Values the generator cannot guess; a module that adds such a table adds its line here. */
const OVERRIDES: Overrides = {
  addresses: { lon: 2.79, lat: 48.85 },
  // A zone target needs its polygon (alerts_target_area_check).
  alerts: { target_kind: 'commune' },
  residences: { address_label: '1 Rue du Test 77700 Testville' },
  tv_absences: { departs_at: new Date('2027-07-01T08:00:00Z'), returns_at: new Date('2027-07-15T18:00:00Z') },
  sol_people: {
    contact_method: 'visit',
    interval_days: 7,
    consent_by: 'agent',
    visibility: 'ccas',
    escalation: 'none',
  },
  sol_signs: { source: 'ccas' },
  sol_activations: { kind: 'canicule' },
  sol_round_contacts: { channel: 'visit', status: 'pending' },
  notice_sends: { channel: 'sms', status: 'pending', severity: 'info' },
  sms_meter_reports: { first_segment: 1, last_segment: 1, value: 1, status: 'pending' },
  sms_meter_lines: { segments: 1, billable: 0 },
};

let ctx: TestContext;
let a: TestTenant;
let b: TestTenant;
let tables: string[];

async function seed(tenant: TestTenant, shapes: Map<string, TableShape>): Promise<void> {
  await withTenant(ctx.ownerDb, tenant.id, async (trx) => {
    const made = new Map<string, string>();
    for (const t of tables) {
      try {
        await trx.raw('savepoint gen');
        await generateRow(trx, tenant.id, t, shapes, OVERRIDES, made);
        await trx.raw('release savepoint gen');
      } catch (err) {
        await trx.raw('rollback to savepoint gen');
        throw new Error(
          `Could not generate a row for ${t}: add an override in isolation.test.ts (${(err as Error).message})`,
        );
      }
    }
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createTenant(ctx.operatorDb, { slug: 'iso-a' });
  b = await createTenant(ctx.operatorDb, { slug: 'iso-b' });
  tables = (await tenantTables(ctx.ownerDb)).filter((t) => !PLATFORM_TABLES.has(t));
  const shapes = new Map<string, TableShape>();
  for (const t of tables) shapes.set(t, await describeTable(ctx.ownerDb, t));
  await seed(a, shapes);
  await seed(b, shapes);
});
afterAll(async () => ctx?.close());

function isRefusal(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  // 42501: row-level security violation or missing privilege (append-only tables).
  return code === '42501';
}

describe('row-level security on every tenant table', () => {
  it('covers the plugin tables too', () => {
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'sessions', 'audit_log', 'tenant_plugins', 'test_gated_items']),
    );
  });

  it('has RLS enabled and forced on every tenant table', async () => {
    const rows = await ctx
      .ownerDb('pg_class')
      .whereIn('relname', tables)
      .select('relname', 'relrowsecurity', 'relforcerowsecurity');
    const missing = rows
      .filter(
        (r: { relrowsecurity: boolean; relforcerowsecurity: boolean }) =>
          !r.relrowsecurity || !r.relforcerowsecurity,
      )
      .map((r: { relname: string }) => r.relname);
    expect(missing).toEqual([]);
    expect(rows.length).toBe(tables.length);
  });

  it('connects as a role that owns nothing and cannot bypass RLS', async () => {
    const role = await ctx.db.raw('select rolsuper, rolbypassrls from pg_roles where rolname = current_user');
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await ctx.db.raw(
      `select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = current_user`,
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it.each([['select'], ['insert'], ['update'], ['delete']])(
    '%s inside tenant A never reaches tenant B',
    async (op) => {
      for (const t of tables) {
        await withTenant(ctx.db, a.id, async (trx: Knex.Transaction) => {
          if (op === 'select') {
            const rows = await trx.raw(`select tenant_id from ${t}`);
            expect(rows.rows.length, `${t} shows A's rows`).toBeGreaterThan(0);
            expect(
              rows.rows.every((r: { tenant_id: string }) => r.tenant_id === a.id),
              `${t} leaks B's rows`,
            ).toBe(true);
            return;
          }
          await trx.raw('savepoint probe');
          let refused = false;
          let affected = 0;
          try {
            if (op === 'insert') await trx.raw(`insert into ${t} (tenant_id) values (?)`, [b.id]);
            if (op === 'update') affected = (await trx.raw(`update ${t} set tenant_id = ?`, [b.id])).rowCount;
            if (op === 'delete')
              affected = (await trx.raw(`delete from ${t} where tenant_id = ?`, [b.id])).rowCount;
          } catch (err) {
            if (!isRefusal(err))
              throw new Error(`${op} on ${t} failed for another reason: ${(err as Error).message}`);
            refused = true;
          }
          await trx.raw('rollback to savepoint probe');
          if (op === 'insert' || op === 'update')
            expect(refused, `${op} carrying B's id into ${t}`).toBe(true);
          else expect(affected, `${op} of B's rows in ${t}`).toBe(0);
        });
      }
      const stillThere = await withTenant(ctx.db, b.id, (trx) =>
        trx.raw(`select count(*)::int as n from accounts`),
      );
      expect(stillThere.rows[0].n).toBeGreaterThan(0);
    },
  );

  it('shows nothing outside a tenant context', async () => {
    for (const t of tables) {
      const rows = await ctx.db.transaction((trx) => trx.raw(`select count(*)::int as n from ${t}`));
      expect(rows.rows[0].n, t).toBe(0);
    }
  });

  it('keeps two tenants apart when their requests share one pool concurrently', async () => {
    await withTenant(ctx.db, a.id, (trx) =>
      trx('test_gated_items').insert({ tenant_id: a.id, label: 'A-only' }),
    );
    await withTenant(ctx.db, b.id, (trx) =>
      trx('test_gated_items').insert({ tenant_id: b.id, label: 'B-only' }),
    );
    // Interleave: each transaction sleeps while holding its connection, so the pool's
    // connections are reused across tenants while others are mid-flight.
    const runs = Array.from({ length: 40 }, (_, i) => {
      const t = i % 2 === 0 ? a : b;
      return withTenant(ctx.db, t.id, async (trx) => {
        await trx.raw('select pg_sleep(0.01)');
        const labels: string[] = await trx('test_gated_items').pluck('label');
        return { tenant: t.id, labels };
      });
    });
    for (const r of await Promise.all(runs)) {
      const mine = r.tenant === a.id ? 'A-only' : 'B-only';
      const theirs = r.tenant === a.id ? 'B-only' : 'A-only';
      expect(r.labels).toContain(mine);
      expect(r.labels).not.toContain(theirs);
    }
    // After the transactions, a pooled connection carries no tenant.
    const leftover = await ctx.db.raw("select nullif(current_setting('app.tenant_id', true), '') as t");
    expect(leftover.rows[0].t).toBeNull();
  });
});
