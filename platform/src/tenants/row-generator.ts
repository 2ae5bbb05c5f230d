// Generates one plausible row per tenant-owned table, for the isolation test.
// It reads the catalog (columns, CHECK lists, foreign keys), so that a table a
// plugin adds tomorrow is covered without anyone writing a fixture; a table
// whose constraints it cannot satisfy gets an override below, and the test
// names the table that needs one.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

interface Column {
  name: string;
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

interface ForeignKey {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableShape {
  table: string;
  columns: Column[];
  checks: string[];
  foreignKeys: ForeignKey[];
}

/** Values a generic row cannot guess (geometry, cross-column rules). Keyed by table, then column. */
export type Overrides = Record<string, Record<string, unknown>>;

export async function tenantTables(db: Knex): Promise<string[]> {
  const rows = await db.raw(`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`);
  return rows.rows.map((r: { table_name: string }) => r.table_name);
}

export async function describeTable(db: Knex, table: string): Promise<TableShape> {
  const cols = await db.raw(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
            (a.atthasdef or a.attidentity <> '' or a.attgenerated <> '') as has_default
     from pg_attribute a where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [table],
  );
  const cons = await db.raw(
    `select contype, pg_get_constraintdef(oid) as def, conkey, confkey, confrelid::regclass::text as ref
     from pg_constraint where conrelid = ?::regclass and contype in ('c', 'f')`,
    [table],
  );
  const attnames = await db.raw(
    `select attnum, attname from pg_attribute where attrelid = ?::regclass and attnum > 0`,
    [table],
  );
  const nameOf = new Map<number, string>(
    attnames.rows.map((r: { attnum: number; attname: string }) => [r.attnum, r.attname]),
  );
  const foreignKeys: ForeignKey[] = [];
  const checks: string[] = [];
  for (const c of cons.rows as Array<{
    contype: string;
    def: string;
    conkey: number[];
    confkey: number[];
    ref: string;
  }>) {
    if (c.contype === 'c') checks.push(c.def);
    else {
      const refNames = await db.raw(
        `select attnum, attname from pg_attribute where attrelid = ?::regclass and attnum > 0`,
        [c.ref],
      );
      const refName = new Map<number, string>(
        refNames.rows.map((r: { attnum: number; attname: string }) => [r.attnum, r.attname]),
      );
      foreignKeys.push({
        columns: c.conkey.map((k) => nameOf.get(k)!),
        refTable: c.ref.replace(/"/g, ''),
        refColumns: c.confkey.map((k) => refName.get(k)!),
      });
    }
  }
  return {
    table,
    columns: cols.rows.map((r: { name: string; type: string; nullable: boolean; has_default: boolean }) => ({
      name: r.name,
      type: r.type,
      nullable: r.nullable,
      hasDefault: r.has_default,
    })),
    checks,
    foreignKeys,
  };
}

/** First literal allowed by a CHECK (col = ANY (ARRAY['a'::text, …])) or (col IN (…)). */
function allowedValue(checks: string[], column: string): string | undefined {
  for (const def of checks) {
    // Only list checks (= ANY (ARRAY[…]) or = '…'); a regex check (~ '…') is not a value.
    const m = new RegExp(`\\(?${column}\\)? = (?:ANY \\(ARRAY\\[)?'([^']*)'::`).exec(def);
    if (m) return m[1];
  }
  return undefined;
}

function valueFor(col: Column, shape: TableShape): unknown {
  const allowed = allowedValue(shape.checks, col.name);
  if (allowed !== undefined) return allowed;
  const t = col.type;
  if (t === 'uuid') return randomUUID();
  if (t.startsWith('text[]') || t.endsWith('[]')) return '{}';
  if (t === 'text' || t.startsWith('character varying')) return `iso-${randomUUID().slice(0, 8)}`;
  if (
    t === 'integer' ||
    t === 'bigint' ||
    t === 'smallint' ||
    t.startsWith('numeric') ||
    t === 'double precision' ||
    t === 'real'
  )
    return 1;
  if (t === 'boolean') return false;
  if (t.startsWith('timestamp')) return new Date();
  if (t === 'date') return '2026-01-01';
  if (t === 'jsonb' || t === 'json') return '{}';
  if (t === 'point') return '(2.79,48.85)';
  if (t === 'box') return '((2.78,48.84),(2.80,48.86))';
  if (t === 'polygon') return '((2.78,48.84),(2.80,48.84),(2.80,48.86),(2.78,48.86))';
  if (t === 'bytea') return Buffer.from('x');
  if (t === 'interval') return '1 hour';
  if (t === 'time without time zone') return '22:00';
  throw new Error(`no generic value for ${shape.table}.${col.name} (${t})`);
}

/**
 * Inserts one row into `table` for the transaction's tenant, first creating the
 * rows it must reference (same tenant). Returns the new row's id.
 */
export async function generateRow(
  trx: Knex.Transaction,
  tenantId: string,
  table: string,
  shapes: Map<string, TableShape>,
  overrides: Overrides,
  made: Map<string, string>,
  depth = 0,
): Promise<string> {
  const existing = made.get(table);
  if (existing) return existing;
  if (depth > 8) throw new Error(`foreign keys too deep around ${table}`);
  const shape = shapes.get(table) ?? (await describeTable(trx, table));
  shapes.set(table, shape);
  const row: Record<string, unknown> = {};
  for (const fk of shape.foreignKeys) {
    const target = fk.columns.find((c) => c !== 'tenant_id');
    if (!target || fk.refTable === 'tenants') continue;
    const col = shape.columns.find((c) => c.name === target)!;
    if (col.nullable || fk.refTable === table) continue;
    const refCol = fk.refColumns[fk.columns.indexOf(target)] ?? 'id';
    if (refCol !== 'id') continue;
    row[target] = await generateRow(trx, tenantId, fk.refTable, shapes, overrides, made, depth + 1);
  }
  for (const col of shape.columns) {
    if (col.name in row) continue;
    if (col.name === 'tenant_id') row[col.name] = tenantId;
    else if (overrides[table] && col.name in overrides[table]) row[col.name] = overrides[table][col.name];
    else if (!col.nullable && !col.hasDefault) row[col.name] = valueFor(col, shape);
  }
  const hasId = shape.columns.some((c) => c.name === 'id');
  const [inserted] = await trx(table)
    .insert(row)
    .returning(hasId ? ['id'] : ['tenant_id']);
  const id = hasId ? String(inserted.id) : tenantId;
  made.set(table, id);
  return id;
}
