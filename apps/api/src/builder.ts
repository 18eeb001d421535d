// The Pothos builder and nothing else: the Relay plugin with prefixed global ids (`run_<uuid>`), the context and
// scalar types it is built over, and the three root types that every schema/<domain>.ts file adds fields to
// (builder.queryFields / mutationFields / subscriptionField). ../schema.ts imports the domains and builds the
// schema.

import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';
import { badInput } from './errors.ts';

/** Global id prefixes: `run_<uuid>` etc. (access.ts parseId takes them apart where an argument names a run). */
const ID_PREFIX: Record<string, string> = { Run: 'run', Project: 'project', Sweep: 'sweep' };

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    // biome-ignore lint/complexity/noBannedTypes: any JSON value but null
    JSON: { Input: {}; Output: unknown };
    Double: { Input: number; Output: number };
    DateTime: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (typename, id) => `${ID_PREFIX[typename] ?? typename.toLowerCase()}_${id}`,
    decodeGlobalID: (globalID) => {
      const i = globalID.indexOf('_');
      const prefix = globalID.slice(0, i);
      const typename = Object.entries(ID_PREFIX).find(([, p]) => p === prefix)?.[0];
      if (!typename) throw badInput('id', `'${globalID}' is not an Anneal id`);
      return { typename, id: globalID.slice(i + 1) };
    },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
