// Typed GraphQL documents from the API's committed schema: `pnpm --filter @anneal/web codegen` writes src/gql/.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.tsx', 'src/**/*.ts', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        scalars: { JSON: 'unknown', Double: 'number | string', DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      // Components own their data: a parent passes a fragment reference, the component unmasks it with
      // useFragment, so no component reads a field it did not ask for.
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'useFragment' } },
    },
  },
};
export default config;
