// Per-tenant plugin gating for GraphQL. A plugin's root fields answer
// PLUGIN_DISABLED for a commune that has not enabled it, and introspection for
// that commune does not show the plugin's types and fields at all: the query
// runs against a schema filtered for the commune's set of enabled plugins.
import { Kind, parse, visit, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import type { PluginGraphql } from '../plugins/contract.js';

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
      if ('fields' in def && def.fields) for (const f of def.fields) own.fields.set(`${typeName}.${f.name.value}`, p.id);
    }
  }
  return own;
}

export function filterSchema(schema: GraphQLSchema, own: Ownership, disabled: ReadonlySet<string>): GraphQLSchema {
  const off = (id: string | undefined) => id !== undefined && disabled.has(id);
  const mapped = mapSchema(schema, {
    [MapperKind.TYPE]: (type) => (off(own.types.get(type.name)) ? null : type),
    [MapperKind.COMPOSITE_FIELD]: (config, fieldName, typeName) => (off(own.fields.get(`${typeName}.${fieldName}`)) ? null : config),
  });
  return pruneSchema(mapped);
}

/** Removes the root fields owned by disabled plugins; returns the new document and the removed fields' names. */
export function stripDisabledRootFields(document: DocumentNode, own: Ownership, disabled: ReadonlySet<string>): { document: DocumentNode; removed: string[] } {
  const removed: string[] = [];
  const doc = visit(document, {
    OperationDefinition(op: OperationDefinitionNode) {
      const root = op.operation === 'query' ? 'Query' : op.operation === 'mutation' ? 'Mutation' : 'Subscription';
      const selections = op.selectionSet.selections.filter((s) => {
        if (s.kind !== Kind.FIELD) return true;
        const owner = own.fields.get(`${root}.${(s as FieldNode).name.value}`);
        if (owner && disabled.has(owner)) {
          removed.push((s as FieldNode).alias?.value ?? (s as FieldNode).name.value);
          return false;
        }
        return true;
      });
      // An operation left empty still needs one field to be valid GraphQL.
      if (selections.length === 0) selections.push({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } });
      return { ...op, selectionSet: { ...op.selectionSet, selections } };
    },
  });
  return { document: doc, removed };
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
