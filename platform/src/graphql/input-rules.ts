// Bad input stops here, before any resolver runs: one layer checks every argument
// and input field of an operation by its declared type, so that a malformed id, a
// cursor that does not decode, a NUL byte or a megabyte of text never reaches a
// query (PostgreSQL would answer "invalid input syntax for type uuid" or refuse
// the NUL byte, and the client would see INTERNAL).
//
// - `ID` is a UUID unless the argument says otherwise with `@id(format: …)`.
// - A pagination argument (`before`, `after`, `cursor`) declares its format with
//   `@cursor(format: …)`; the start refuses one that does not, so a new cursor
//   cannot be forgotten.
// - Every string (ID included) refuses a NUL byte and an unpaired surrogate and
//   is at most 10,000 characters, or `@length(max: …)`.
// These directives are not visible to clients: argument types stay `ID` and `String`.
import { createRequire } from 'node:module';
import type {
  ConstDirectiveNode,
  DocumentNode,
  GraphQLArgument,
  GraphQLInputField,
  GraphQLInputType,
  GraphQLSchema,
} from 'graphql';
import type * as GraphQL from 'graphql';
import { VigieError } from '../lib/errors.js';

// mercurius is CommonJS and holds the CommonJS copy of graphql's classes; TypeInfo
// and the type guards compare classes, so this module uses that same copy.
const {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} = createRequire(import.meta.url)('graphql') as typeof GraphQL;

export const inputRulesTypeDefs = /* GraphQL */ `
  "Format of an ID argument or input field that is not a UUID (checked before any resolver runs)."
  directive @id(format: String!) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  "Format of a pagination cursor (checked before any resolver runs)."
  directive @cursor(format: String!) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  "Longest string accepted; 10,000 characters otherwise."
  directive @length(max: Int!) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
`;

export const DEFAULT_MAX_LENGTH = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isTimestamp(v: string): boolean {
  return ISO_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

/** base64url of the JSON [name, accountId | null, channel rank, delivery id] (the delivery report's order). */
function isRecipientCursor(v: string): boolean {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(v)) return false;
  try {
    const a = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown;
    return (
      Array.isArray(a) &&
      a.length === 4 &&
      typeof a[0] === 'string' &&
      (a[1] === null || (typeof a[1] === 'string' && UUID.test(a[1]))) &&
      Number.isInteger(a[2]) &&
      typeof a[3] === 'string' &&
      UUID.test(a[3])
    );
  } catch {
    return false;
  }
}

/** Formats of ids and cursors; the reason a value is refused, or null when it is well formed. */
export const FORMATS: Record<string, (v: string) => boolean> = {
  uuid: (v) => UUID.test(v),
  /** A bigserial id (the audit log's): digits that fit in a bigint. */
  integer: (v) => /^\d{1,18}$/.test(v),
  /** An ISO 8601 timestamp (time-ordered pages). */
  timestamp: isTimestamp,
  /** base64url of "<ISO timestamp>|<uuid>" (keyset pages ordered by time then id). */
  keyset: (v) => {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(v)) return false;
    const [at, id, extra] = Buffer.from(v, 'base64url').toString('utf8').split('|');
    return extra === undefined && !!at && !!id && isTimestamp(at) && UUID.test(id);
  },
  recipient: isRecipientCursor,
};

const CURSOR_ARGS = new Set(['before', 'after', 'cursor']);

interface Rule {
  /** ID format, for ID-typed values. */
  id?: string;
  /** Cursor format, whatever the scalar type. */
  cursor?: string;
  maxLength: number;
}

function directiveArg(nodes: readonly ConstDirectiveNode[] | undefined, name: string, arg: string) {
  const d = nodes?.find((n) => n.name.value === name);
  const a = d?.arguments?.find((x) => x.name.value === arg);
  if (!a) return undefined;
  if (a.value.kind === Kind.STRING) return a.value.value;
  if (a.value.kind === Kind.INT) return Number(a.value.value);
  return undefined;
}

function ruleOf(where: string, def: GraphQLArgument | GraphQLInputField): Rule {
  const directives = def.astNode?.directives;
  const id = directiveArg(directives, 'id', 'format');
  const cursor = directiveArg(directives, 'cursor', 'format');
  const max = directiveArg(directives, 'length', 'max');
  for (const f of [id, cursor]) {
    if (f !== undefined && (typeof f !== 'string' || !FORMATS[f]))
      throw new Error(`${where}: unknown format ${String(f)} (known: ${Object.keys(FORMATS).join(', ')})`);
  }
  if (CURSOR_ARGS.has(def.name) && cursor === undefined)
    throw new Error(`${where} is a pagination cursor: declare its format with @cursor(format: …)`);
  return {
    ...(typeof id === 'string' ? { id } : {}),
    ...(typeof cursor === 'string' ? { cursor } : {}),
    maxLength: typeof max === 'number' ? max : DEFAULT_MAX_LENGTH,
  };
}

/** NUL bytes and lone surrogates: PostgreSQL refuses the first, and the second is not text. */
function badCharacter(v: string): string | null {
  if (v.includes('\u0000')) return 'nul_byte';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = v.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return 'unpaired_surrogate';
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'unpaired_surrogate';
  }
  return null;
}

/** Why a string is refused, or null. */
export function stringProblem(v: string, maxLength: number): string | null {
  if (v.length > maxLength) return 'too_long';
  return badCharacter(v);
}

/**
 * The rules of every argument and input field of a schema, read once from its
 * directives. Refuses, at start-up, a cursor without a declared format.
 */
export class InputRules {
  private readonly args = new Map<string, Rule>();
  private readonly fields = new Map<string, Rule>();

  constructor(schema: GraphQLSchema) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isInputObjectType(type)) {
        for (const f of Object.values(type.getFields())) {
          this.fields.set(`${type.name}.${f.name}`, ruleOf(`${type.name}.${f.name}`, f));
        }
      } else if ('getFields' in type && typeof type.getFields === 'function') {
        const fields = type.getFields() as Record<string, { args?: readonly GraphQLArgument[] }>;
        for (const [fname, f] of Object.entries(fields)) {
          for (const a of f.args ?? []) {
            const where = `${type.name}.${fname}(${a.name})`;
            this.args.set(`${type.name}.${fname}.${a.name}`, ruleOf(where, a));
          }
        }
      }
    }
  }

  /** Throws VALIDATION_FAILED (naming the field and the argument) for the first malformed value of the operation. */
  check(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): void {
    const definitions = document.definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION ? (d.variableDefinitions ?? []) : [],
    );
    const coerced = getVariableValues(schema, definitions, variables ?? {});
    // Malformed variables are graphql-js's to report (they are, as VALIDATION_FAILED).
    if (coerced.errors) return;
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: (node) => {
          const def = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (!def || !parent || def.args.length === 0) return;
          let values: Record<string, unknown>;
          try {
            values = getArgumentValues(def, node, coerced.coerced);
          } catch {
            return; // an invalid literal: graphql-js refuses it during execution
          }
          for (const arg of def.args) {
            const rule = this.args.get(`${parent.name}.${def.name}.${arg.name}`);
            if (!rule) continue;
            this.value(node.name.value, arg.name, arg.type, rule, values[arg.name]);
          }
        },
      }),
    );
  }

  private value(field: string, path: string, type: GraphQLInputType, rule: Rule, v: unknown): void {
    if (v === undefined || v === null) return;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      if (!Array.isArray(v)) return;
      v.forEach((item, i) => this.value(field, `${path}[${i}]`, inner.ofType, rule, item));
      return;
    }
    const named = getNamedType(inner);
    if (isInputObjectType(named)) {
      if (typeof v !== 'object') return;
      for (const f of Object.values(named.getFields())) {
        const r = this.fields.get(`${named.name}.${f.name}`);
        if (r) this.value(field, `${path}.${f.name}`, f.type, r, (v as Record<string, unknown>)[f.name]);
      }
      return;
    }
    if (typeof v !== 'string') return;
    let reason = stringProblem(v, rule.maxLength);
    if (!reason && rule.cursor && !FORMATS[rule.cursor]!(v)) reason = 'malformed_cursor';
    else if (!reason && !rule.cursor && named.name === 'ID' && !FORMATS[rule.id ?? 'uuid']!(v))
      reason = `not_${rule.id ?? 'uuid'}`;
    if (reason) {
      throw new VigieError(
        'VALIDATION_FAILED',
        {
          fr: `L'argument « ${path} » de ${field} est invalide.`,
          en: `The argument "${path}" of ${field} is invalid.`,
        },
        { field, argument: path, reason },
      );
    }
  }
}
