// The GraphQL schema as the server builds it (the core's typeDefs, then each core
// module's and plugin's extension, as mercurius extendSchema does), printed for
// admin-ui's code generation. Pure: no database, no Temporal.
import { buildSchema, extendSchema, lexicographicSortSchema, parse, printSchema } from 'graphql';
import { coreTypeDefs } from '../graphql/index.js';
import type { CoreModule } from '../core/module.js';
import type { VigiePlugin } from '../plugins/index.js';

export function printVigieSchema(modules: CoreModule[], plugins: VigiePlugin[]): string {
  let schema = buildSchema(coreTypeDefs);
  for (const m of [...modules, ...plugins]) {
    if (m.graphql?.typeDefs) schema = extendSchema(schema, parse(m.graphql.typeDefs));
  }
  return (
    "# Printed by `npm run schema` (platform/src/main/print-schema.ts) from the server's modules and plugins.\n" +
    '# Do not edit: a test fails when this file and the server differ.\n\n' +
    printSchema(lexicographicSortSchema(schema)) +
    '\n'
  );
}
