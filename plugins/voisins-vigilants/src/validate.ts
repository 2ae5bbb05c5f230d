// One schema per input, for validation and type. GraphQL checks the shape;
// these schemas add what GraphQL cannot say (lengths, ranges), with French
// messages carried by each schema's `errorMessage`.
import { Value } from '@sinclair/typebox/value';
import { fail } from './errors.js';
import { Type, type Static, type TSchema } from '@sinclair/typebox';

function trimmed(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(trimmed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, v === null ? undefined : trimmed(v)]),
    );
  return value;
}

/** Trims strings (null becomes absent), checks, and throws VALIDATION_FAILED with every issue. */
export function parseInput<T extends TSchema>(schema: T, input: unknown): Static<T> {
  const value = trimmed(input);
  if (Value.Check(schema, value)) return value;
  const issues: Array<{ path: string; message: string }> = [];
  for (const e of Value.Errors(schema, value)) {
    if (issues.some((i) => i.path === e.path)) continue;
    const custom = (e.schema as { errorMessage?: string }).errorMessage;
    issues.push({ path: e.path, message: custom ?? e.message });
  }
  throw fail('VALIDATION_FAILED', issues.map((i) => i.message).join(' '), { issues });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id field of an input schema (GraphQL IDs are strings; ours are UUIDs). */
export function Id(errorMessage: string) {
  return Type.String({ pattern: UUID.source, errorMessage });
}

/** A malformed id is a missing resource, not a database error. */
export function asId(id: unknown, notFoundCode: Parameters<typeof fail>[0]): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw fail(notFoundCode);
  return id;
}

export function isId(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}
