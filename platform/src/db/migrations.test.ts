// Every migration, the core's and every plugin's (today's and tomorrow's, since
// the list is read from the migration sets), must undo exactly what it did, and
// must do so with rows in the tables, as Backstage checks in its migrations test.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex } from './knex.js';
import {
  migrateLatest,
  migrateRollbackAll,
  migrationSource,
  migrationStatus,
  type MigrationSet,
} from './migrate.js';
import { withTenant } from './tenant.js';
import { migrationSets } from '../main/runtime.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { testPlugins } from '../testing/environment.js';

const TENANT = '6f1d3c1e-4a51-4c4e-9d55-0d6b5a1f0001';
const ACCOUNT = '6f1d3c1e-4a51-4c4e-9d55-0d6b5a1f0002';

let database: TestDatabase;
let owner: Knex;
let sets: MigrationSet[];

beforeAll(async () => {
  database = await createTestDatabase();
  owner = createKnex(database.ownerUrl, 2, 'vigie-migrations-test');
  sets = migrationSets(await testPlugins());
});

afterAll(async () => {
  await owner?.destroy();
  await database?.drop();
});

/** Same migrator settings as the runner (vigie_migrations), stepping one migration at a time. */
function step(): Knex.MigratorConfig {
  return { migrationSource: migrationSource(sets), tableName: 'vigie_migrations' };
}

/**
 * What a migration can change, as text that compares equal only if the schema
 * is the same: tables and columns, indexes, constraints, RLS flags and
 * policies, grants and functions of the public schema.
 */
async function schema(db: Knex): Promise<string> {
  const q = async (sql: string) => (await db.raw(sql)).rows as Array<Record<string, unknown>>;
  const parts = await Promise.all([
    q(`select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
       where table_schema = 'public' and table_name not like 'vigie_migrations%' order by 1, 2`),
    q(
      `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' and tablename not like 'vigie_migrations%' order by 1, 2`,
    ),
    q(`select c.conrelid::regclass::text as tbl, c.conname, pg_get_constraintdef(c.oid) as def from pg_constraint c
       join pg_namespace n on n.oid = c.connamespace where n.nspname = 'public' and c.conrelid::regclass::text not like 'vigie_migrations%' order by 1, 2`),
    q(`select relname, relrowsecurity, relforcerowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and relname not like 'vigie_migrations%' order by 1`),
    q(
      `select tablename, policyname, roles::text, cmd, qual, with_check from pg_policies where schemaname = 'public' order by 1, 2`,
    ),
    q(`select table_name, grantee, privilege_type from information_schema.role_table_grants
       where table_schema = 'public' and table_name not like 'vigie_migrations%' order by 1, 2, 3`),
    q(`select p.proname, pg_get_function_identity_arguments(p.oid) as args from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       left join pg_depend d on d.objid = p.oid and d.deptype = 'e'
       where n.nspname = 'public' and d.objid is null order by 1, 2`),
    q(`select extname from pg_extension order by 1`),
  ]);
  return JSON.stringify(parts, null, 1);
}

async function hasTable(db: Knex, table: string): Promise<boolean> {
  return db.schema.hasTable(table);
}

/**
 * Rows put into the tables as soon as they exist, so that every later
 * migration, up and down, meets a table that is not empty (the classic bug: a
 * NOT NULL column without a default passes on an empty table only).
 */
async function fillTables(db: Knex): Promise<void> {
  if ((await hasTable(db, 'tenants')) && !(await db('tenants').where({ id: TENANT }).first())) {
    await db('tenants').insert({
      id: TENANT,
      slug: 'migrations-test',
      name: 'Migrations',
      insee_code: '99999',
    });
  }
  if (!(await hasTable(db, 'tenants')) || !(await hasTable(db, 'accounts'))) return;
  await withTenant(db, TENANT, async (trx) => {
    if (!(await trx('accounts').where({ id: ACCOUNT }).first())) {
      await trx('accounts').insert({
        id: ACCOUNT,
        tenant_id: TENANT,
        email: 'voisin@example.test',
        display_name: 'Voisin',
      });
    }
    if (
      (await hasTable(trx, 'role_assignments')) &&
      !(await trx('role_assignments').where({ account_id: ACCOUNT }).first())
    ) {
      await trx('role_assignments').insert({ tenant_id: TENANT, account_id: ACCOUNT, role: 'resident' });
    }
    if (
      (await hasTable(trx, 'sessions')) &&
      !(await trx('sessions').where({ account_id: ACCOUNT }).first())
    ) {
      await trx('sessions').insert({
        tenant_id: TENANT,
        account_id: ACCOUNT,
        token_hash: 'h',
        csrf_token: 'c',
        expires_at: new Date(Date.now() + 3600_000),
      });
    }
  });
}

describe('migrations', () => {
  it('roll back all the way with data in the tables, and apply again to the same schema', async () => {
    const migrated = await schema(owner);
    await fillTables(owner);

    const rolled = await migrateRollbackAll(owner, sets);
    const all = (await migrationStatus(owner, sets)).pending;
    expect(rolled).toHaveLength(all.length);
    expect(
      await owner.raw(
        `select count(*)::int as n from pg_tables where schemaname = 'public' and tablename not like 'vigie_migrations%'`,
      ),
    ).toMatchObject({ rows: [{ n: 0 }] });

    const applied = await migrateLatest(owner, sets);
    expect(applied).toEqual(all);
    expect(await schema(owner)).toBe(migrated);
  });

  it('take each migration, in order, up then down then up again, leaving the schema as it found it', async () => {
    const final = await schema(owner);
    await migrateRollbackAll(owner, sets);
    const names = (await migrationStatus(owner, sets)).pending;
    expect(names.length).toBeGreaterThan(0);

    for (const name of names) {
      const before = await schema(owner);
      await owner.migrate.up(step());
      await fillTables(owner);
      const after = await schema(owner);

      await owner.migrate.down(step());
      expect(await schema(owner), `${name} down does not undo its up`).toBe(before);

      await owner.migrate.up(step());
      await fillTables(owner);
      expect(await schema(owner), `${name} applied again differs`).toBe(after);
    }

    expect((await migrationStatus(owner, sets)).pending).toEqual([]);
    expect(await schema(owner)).toBe(final);
    // The rows survived the later migrations' round trips.
    await withTenant(owner, TENANT, async (trx) => {
      expect(await trx('accounts').where({ id: ACCOUNT }).first()).toMatchObject({ display_name: 'Voisin' });
    });
  });

  it('cover every migration file of the core and of every plugin', async () => {
    const files = (await migrationSource(sets).getMigrations([])).map((m) => m.name);
    expect(files.some((n) => n.startsWith('core/'))).toBe(true);
    expect((await migrationStatus(owner, sets)).completed).toEqual(files);
  });
});
