// Bad input never reaches a query, by construction: as the isolation test walks
// every tenant table, this test walks every query and mutation of the assembled
// schema (the core's, the modules' and every installed plugin's) and sends each
// ID and cursor argument an empty string, a non-UUID, an overlong string and a
// malformed cursor, and each string argument a NUL byte and an unpaired
// surrogate, at any depth of an input object, as a resident and as staff. No
// answer may carry INTERNAL, and each must be VALIDATION_FAILED naming the argument.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLSchema } from 'graphql';
import type * as GraphQL from 'graphql';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type TestContext,
} from '../testing/index.js';
import { DEFAULT_MAX_LENGTH } from './input-rules.js';

// The app's schema is built by mercurius with graphql's CommonJS copy, whose
// classes the ESM copy does not recognise: walk it with the same copy.
const { getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType } = createRequire(
  import.meta.url,
)('graphql') as typeof GraphQL;

let ctx: TestContext;
let resident: Browser;
let staff: Browser;
let schema: GraphQLSchema;

beforeAll(async () => {
  ctx = await createTestContext();
  const plugins = Object.fromEntries(ctx.plugins.map((p) => [p.id, {}]));
  const tenant = await createTenant(ctx.operatorDb, { plugins });
  const account = await createTestAccount(ctx.db, tenant.id);
  resident = new Browser(ctx.app, tenant.host);
  await resident.login(account.email);
  staff = (await staffBrowser(ctx.app, ctx.db, tenant, 'mairie_admin')).browser;
  schema = ctx.app.graphql.schema;
});
afterAll(async () => ctx?.close());

/** The smallest value a type accepts: enums' first value, input objects with their required fields. */
function minimal(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return minimal(type.ofType);
  if (isListType(type)) return [minimal(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = minimal(f.type);
    }
    return out;
  }
  switch (type.name) {
    case 'ID':
      return randomUUID();
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return false;
    default:
      return 'x';
  }
}

/** Where a bad value goes: an argument, or a field of an input object (path from the argument). */
interface Slot {
  arg: string;
  path: string[];
  /** 'id' for ID-typed values, 'cursor' for pagination arguments, 'string' for the others. */
  kind: 'id' | 'cursor' | 'string';
  /** The declared cursor or ID format, when not a UUID. */
  format: string | undefined;
  /** A longer limit than the default, declared with @length (geometries). */
  longer: boolean;
  list: boolean;
}

function directiveFormat(node: GraphQLArgument['astNode'], name: string): string | undefined {
  const d = node?.directives?.find((x) => x.name.value === name);
  const v = d?.arguments?.find((a) => a.name.value === 'format')?.value;
  return v?.kind === 'StringValue' ? v.value : undefined;
}

function slots(arg: string, path: string[], def: GraphQLArgument, depth = 0): Slot[] {
  let type = def.type;
  if (isNonNullType(type)) type = type.ofType;
  const list = isListType(type);
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    if (depth > 4) return [];
    return Object.values(named.getFields()).flatMap((f) =>
      slots(arg, [...path, f.name], f as unknown as GraphQLArgument, depth + 1),
    );
  }
  if (!isLeafType(named) || (named.name !== 'ID' && named.name !== 'String')) return [];
  const cursor = directiveFormat(def.astNode, 'cursor');
  const longer = !!def.astNode?.directives?.some((d) => d.name.value === 'length');
  if (cursor) return [{ arg, path, kind: 'cursor', format: cursor, list, longer }];
  if (named.name === 'ID')
    return [{ arg, path, kind: 'id', format: directiveFormat(def.astNode, 'id'), list, longer }];
  return [{ arg, path, kind: 'string', format: undefined, list, longer }];
}

const BAD_IDS: Array<[label: string, value: string]> = [
  ['empty', ''],
  ['non-UUID', '1470'],
  ['word', 'not-a-uuid'],
  ['overlong', 'a'.repeat(10_001)],
  ['malformed cursor', '<not a cursor>'],
];
const BAD_STRINGS: Array<[label: string, value: string]> = [
  ['NUL byte', 'a\u0000b'],
  ['unpaired surrogate', 'a\ud800b'],
  ['overlong', 'a'.repeat(DEFAULT_MAX_LENGTH + 1)],
];

interface Case {
  root: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  slot: Slot;
  label: string;
  variables: Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[path[path.length - 1]!] = value;
}

function casesFor(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Case[] {
  const out: Case[] = [];
  for (const a of field.args) {
    for (const slot of slots(a.name, [], a)) {
      const bad = slot.kind === 'string' ? BAD_STRINGS : BAD_IDS;
      for (const [label, raw] of bad) {
        // "1470" is a well-formed integer cursor (the audit log's ids are numbers).
        if (slot.format === 'integer' && label === 'non-UUID') continue;
        // A geometry may be a megabyte long: its own limit is the body's.
        if (slot.longer && label === 'overlong') continue;
        const variables: Record<string, unknown> = {};
        for (const other of field.args) {
          if (isNonNullType(other.type) && other.defaultValue === undefined)
            variables[other.name] = minimal(other.type);
        }
        const value = slot.list ? [raw] : raw;
        if (slot.path.length === 0) variables[a.name] = value;
        else {
          const input = (variables[a.name] ??= minimal(a.type)) as Record<string, unknown>;
          setPath(input, slot.path, value);
        }
        out.push({ root, field, slot, label, variables });
      }
    }
  }
  return out;
}

function operation(c: Case): string {
  const decl = c.field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = c.field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const leaf = isLeafType(getNamedType(c.field.type));
  return `${c.root}${decl ? `(${decl})` : ''} { ${c.field.name}${call ? `(${call})` : ''}${leaf ? '' : ' { __typename }'} }`;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('bad input on every operation of the schema', () => {
  it('answers VALIDATION_FAILED naming the argument, never INTERNAL, for every query and mutation', async () => {
    const roots = [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const;
    const fields = roots.flatMap(([root, type]) =>
      Object.values(type.getFields()).map((f) => [root, f] as const),
    );
    const walked = new Set<string>();
    const cases: Case[] = [];
    for (const [root, field] of fields) {
      walked.add(`${root}.${field.name}`);
      cases.push(...casesFor(root, field));
    }
    // Every operation of the schema was visited (plugins' included): the walk cannot skip one.
    const total =
      Object.keys(schema.getQueryType()!.getFields()).length +
      Object.keys(schema.getMutationType()!.getFields()).length;
    expect(walked.size).toBe(total);
    expect([...walked]).toEqual(
      expect.arrayContaining(['query.alert', 'query.exclusionAppeals', 'mutation.reactToNeighbourAlert']),
    );
    // Operations with an argument to spoil each got cases; those without any (version, logout…) need none.
    const withArgs = fields.filter(([, f]) => f.args.some((a) => slots(a.name, [], a).length > 0));
    expect(new Set(cases.map((c) => `${c.root}.${c.field.name}`)).size).toBe(withArgs.length);

    const failures: string[] = [];
    for (const browser of [resident, staff]) {
      const results = await inBatches(cases, 24, async (c) => ({
        c,
        r: await browser.gql(operation(c), c.variables),
      }));
      for (const { c, r } of results) {
        const where = `${c.root} ${c.field.name}(${[c.slot.arg, ...c.slot.path].join('.')}) with ${c.label}`;
        const codes = (r.errors ?? []).map((e) => (e.extensions as { code?: string } | undefined)?.code);
        if (codes.includes('INTERNAL')) failures.push(`${where}: INTERNAL`);
        else if (codes[0] !== 'VALIDATION_FAILED')
          failures.push(`${where}: ${codes.join(',') || 'accepted'}`);
        else {
          const details = (r.errors![0]!.extensions as { details?: { argument?: string } }).details;
          // graphql-js's own refusals (a variable of the wrong type) carry no details; ours name the argument.
          if (details && !details.argument?.startsWith(c.slot.arg))
            failures.push(`${where}: names ${details.argument}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  });

  it('refuses the cases of the issue with the argument named', async () => {
    const ask = (query: string) => staff.gql(query);
    const expectRefused = async (query: string, argument: string) => {
      const r = await ask(query);
      expect(r.errors?.[0]?.extensions, query).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { argument },
      });
    };
    await expectRefused('{ alert(id: "") { id } }', 'id');
    await expectRefused('{ alertDeliveryReport(alertId: "1") { __typename } }', 'alertId');
    await expectRefused('{ auditLog(actorId: "1470") { __typename } }', 'actorId');
    await expectRefused('{ myNotifications(before: "<not a cursor>") { __typename } }', 'before');
    await expectRefused('{ exclusionAppeals(status: "\\u0000") { __typename } }', 'status');
    // In the caller's language.
    const en = await ctx.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { host: resident.host, 'content-type': 'application/json', 'accept-language': 'en' },
      payload: JSON.stringify({ query: '{ alert(id: "1") { id } }' }),
    });
    expect(en.json().errors[0]).toMatchObject({
      message: 'The argument "id" of alert is invalid.',
      extensions: {
        code: 'VALIDATION_FAILED',
        details: { field: 'alert', argument: 'id', reason: 'not_uuid' },
      },
    });
    // Well-formed values still go through.
    const fine = await ask(`{ alert(id: "${randomUUID()}") { id } auditLog(before: "1470") { __typename } }`);
    expect(fine.errors).toBeUndefined();
    expect(fine.data).toEqual({ alert: null, auditLog: expect.any(Array) });
  });
});
