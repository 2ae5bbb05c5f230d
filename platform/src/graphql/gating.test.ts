// The per-request strip of a disabled plugin's fields, on a small schema: at
// the root and nested in core types, through aliases and fragments.
import { describe, expect, it } from 'vitest';
import { buildSchema, parse, print } from 'graphql';
import { ownershipOf, stripDisabledFields } from './gating.js';

const core = `type Query { alert(id: ID!): Alert } type Alert { id: ID! status: String! }`;
const plugin = {
  id: 'vv',
  graphql: {
    typeDefs: `type Reaction { kind: String } extend type Alert { reactions: [Reaction!]! } extend type Query { form: String }`,
  },
};
const schema = buildSchema(`${core} ${plugin.graphql.typeDefs}`);
const own = ownershipOf([plugin]);

const strip = (q: string) => {
  const r = stripDisabledFields(schema, parse(q), own, new Set(['vv']));
  return { query: print(r.document).replace(/\s+/g, ' ').trim(), removed: r.removed };
};

describe('stripDisabledFields', () => {
  it('removes nested plugin fields of core types, with their aliases, and keeps the rest', () => {
    expect(strip('{ alert(id: "1") { id r: reactions { kind } status } }')).toEqual({
      query: '{ alert(id: "1") { id status } }',
      removed: ['r'],
    });
  });

  it('looks inside inline and named fragments', () => {
    const r = strip(
      'query { alert(id: "1") { ...A ... on Alert { reactions { kind } } } } fragment A on Alert { id reactions { kind } }',
    );
    expect(r.removed).toEqual(['reactions', 'reactions']);
    expect(r.query).not.toContain('reactions');
    expect(r.query).toContain('fragment A on Alert { id }');
  });

  it('leaves a valid operation when every root field was the plugin’s', () => {
    expect(strip('{ form }')).toEqual({ query: '{ __typename }', removed: ['form'] });
  });

  it('changes nothing when the plugin is enabled', () => {
    const doc = parse('{ alert(id: "1") { reactions { kind } } form }');
    expect(stripDisabledFields(schema, doc, own, new Set()).removed).toEqual([]);
  });
});
