// Per-tenant plugin gating for GraphQL. A plugin's root fields answer
// PLUGIN_DISABLED for a commune that has not enabled it, and introspection for
// that commune does not show the plugin's types and fields at all: the query
// runs against a schema filtered for the commune's set of enabled plugins.
import {
  Kind,
  parse,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import type { PluginGraphql } from '../plugins/index.js';

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

export interface Ownership {
  /** type name → plugin id, for types a plugin defines */
  types: Map<string, string>;
  /** "Type.field" → plugin id, for fields a plugin adds (root fields included) */
  fields: Map<string, string>;
}

export function ownershipOf(plugins: Array<{ id: string; graphql: PluginGraphql | undefined }>): Ownership {
  const own: Ownership = { types: new Map(), fields: new Map() };
  for (const p of plugins) {
    if (!p.graphql) continue;
    for (const def of parse(p.graphql.typeDefs).definitions) {
      if (!('name' in def) || !def.name) continue;
      const typeName = def.name.value;
      const isExtension = def.kind.endsWith('Extension');
      if (!isExtension && !ROOTS.has(typeName)) own.types.set(typeName, p.id);
      if ('fields' in def && def.fields)
        for (const f of def.fields) own.fields.set(`${typeName}.${f.name.value}`, p.id);
    }
  }
  return own;
}

export function filterSchema(
  schema: GraphQLSchema,
  own: Ownership,
  disabled: ReadonlySet<string>,
): GraphQLSchema {
  const off = (id: string | undefined) => id !== undefined && disabled.has(id);
  const mapped = mapSchema(schema, {
    [MapperKind.TYPE]: (type) => (off(own.types.get(type.name)) ? null : type),
    [MapperKind.COMPOSITE_FIELD]: (config, fieldName, typeName) =>
      off(own.fields.get(`${typeName}.${fieldName}`)) ? null : config,
  });
  return pruneSchema(mapped);
}

/**
 * Removes the fields owned by disabled plugins, at the root or nested (a
 * plugin's field on a core type, such as `Alert.reactions`), and returns their
 * names so that each gets a PLUGIN_DISABLED error rather than a silent hole.
 * `schema` is the full schema the document was validated against. The walk
 * reads types by name only: graphql's TypeInfo would compare classes, and
 * mercurius (CommonJS) and this module (ESM) hold two copies of them.
 */
export function stripDisabledFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  own: Ownership,
  disabled: ReadonlySet<string>,
): { document: DocumentNode; removed: string[] } {
  const removed: string[] = [];
  const fieldType = (parent: string, field: string): string | undefined => {
    const t = schema.getType(parent);
    if (!t || !('getFields' in t)) return undefined;
    let ft: unknown = t.getFields()[field]?.type;
    while (ft && typeof ft === 'object' && 'ofType' in ft) ft = (ft as { ofType: unknown }).ofType;
    return (ft as { name?: string } | undefined)?.name;
  };
  const strip = (set: SelectionSetNode, parent: string): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((sel): SelectionNode[] => {
      if (sel.kind === Kind.FRAGMENT_SPREAD) return [sel];
      if (sel.kind === Kind.INLINE_FRAGMENT)
        return [{ ...sel, selectionSet: strip(sel.selectionSet, sel.typeCondition?.name.value ?? parent) }];
      const owner = own.fields.get(`${parent}.${sel.name.value}`);
      if (owner && disabled.has(owner)) {
        removed.push(sel.alias?.value ?? sel.name.value);
        return [];
      }
      const child = sel.selectionSet ? fieldType(parent, sel.name.value) : undefined;
      return [sel.selectionSet && child ? { ...sel, selectionSet: strip(sel.selectionSet, child) } : sel];
    }),
  });
  const roots = {
    query: schema.getQueryType()?.name,
    mutation: schema.getMutationType()?.name,
    subscription: schema.getSubscriptionType()?.name,
  };
  const definitions = document.definitions.map((def) => {
    if (def.kind === Kind.FRAGMENT_DEFINITION)
      return { ...def, selectionSet: strip(def.selectionSet, def.typeCondition.name.value) };
    if (def.kind !== Kind.OPERATION_DEFINITION) return def;
    const root = roots[def.operation];
    if (!root) return def;
    const selectionSet = strip(def.selectionSet, root);
    // An operation left empty still needs one field to be valid GraphQL.
    if (selectionSet.selections.length === 0)
      selectionSet.selections = [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }];
    return { ...def, selectionSet };
  });
  return { document: { ...document, definitions }, removed };
}

export class SchemaGate {
  private cache = new Map<string, GraphQLSchema>();
  readonly own: Ownership;
  readonly pluginIds: string[];

  constructor(plugins: Array<{ id: string; graphql: PluginGraphql | undefined }>) {
    this.own = ownershipOf(plugins);
    this.pluginIds = plugins.filter((p) => p.graphql).map((p) => p.id);
  }

  disabledFor(enabled: ReadonlySet<string> | undefined): Set<string> {
    return new Set(this.pluginIds.filter((id) => !enabled?.has(id)));
  }

  schemaFor(schema: GraphQLSchema, disabled: ReadonlySet<string>): GraphQLSchema {
    if (disabled.size === 0) return schema;
    const key = [...disabled].sort().join(',');
    let s = this.cache.get(key);
    if (!s) {
      s = filterSchema(schema, this.own, disabled);
      this.cache.set(key, s);
    }
    return s;
  }
}
