// The run filter and sort inputs (`runs(filter, orderBy)`, `runGroups(filter)`): a tree of predicates over run
// attributes, config.<path>, summary.<path> and tags, compiled to SQL by ../filter.ts.

import { builder } from '../builder.ts';
import { FILTER_OPS, type RunFilter } from '../filter.ts';

const FilterOpEnum = builder.enumType('FilterOp', { values: FILTER_OPS });
const DirectionEnum = builder.enumType('Direction', { values: ['ASC', 'DESC'] as const });

export const RunFilterInput = builder.inputRef<RunFilter>('RunFilter').implement({
  description:
    'A filter tree: exactly one of and / or / not, or a predicate (field, op, value). Fields: run attributes, config.<path>, summary.<path>, tags.',
  fields: (t) => ({
    and: t.field({ type: [RunFilterInput], required: false }),
    or: t.field({ type: [RunFilterInput], required: false }),
    not: t.field({ type: RunFilterInput, required: false }),
    field: t.string({ required: false }),
    op: t.field({ type: FilterOpEnum, required: false }),
    value: t.field({ type: 'JSON', required: false }),
  }),
});

export const RunOrderInput = builder.inputType('RunOrder', {
  fields: (t) => ({
    field: t.string({ required: true }),
    direction: t.field({ type: DirectionEnum, required: false, defaultValue: 'DESC' }),
  }),
});
