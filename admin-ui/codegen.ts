// GraphQL types for the shell and the plugins' pages, from the committed
// schema.graphql (never from a running server): `npm run codegen`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['src/**/*.tsx', 'src/**/*.ts', '../plugins/*/ui/**/*.tsx', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: 'string' } },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write --log-level warn'] },
};
export default config;
