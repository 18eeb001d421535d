// The custom scalars: JSON (config, summary, metadata), Double (a float that may be NaN or ±Infinity) and
// DateTime (ISO-8601). Their TypeScript types are declared on the builder (builder.ts).

import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { builder } from '../builder.ts';
import { ApiError } from '../errors.ts';

// JSON values (config, summary, metadata) and Double: a float that may be NaN or ±Infinity, written as the
// strings "NaN", "Infinity" and "-Infinity" because JSON has no such numbers.
const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: function literal(node: ValueNode): unknown {
    switch (node.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return node.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(node.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return node.values.map(literal);
      case Kind.OBJECT:
        return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
      default:
        throw new ApiError('BAD_INPUT', 'variables are not allowed inside JSON literals');
    }
  },
});

const NONFINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};
const parseDouble = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in NONFINITE) return NONFINITE[v];
  throw new ApiError(
    'BAD_INPUT',
    `expected a number or "NaN", "Infinity", "-Infinity", got ${JSON.stringify(v)}`,
  );
};
const DoubleScalar = new GraphQLScalarType({
  name: 'Double',
  description: 'A float; NaN and ±Infinity travel as the strings "NaN", "Infinity" and "-Infinity".',
  serialize: (v) => (Number.isFinite(v as number) ? v : String(v)),
  parseValue: parseDouble,
  parseLiteral: (node) => {
    if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
    if (node.kind === Kind.STRING) return parseDouble(node.value);
    throw new ApiError('BAD_INPUT', 'expected a number or "NaN", "Infinity", "-Infinity"');
  },
});

builder.addScalarType('JSON', JSONScalar);
builder.addScalarType('Double', DoubleScalar);
builder.scalarType('DateTime', {
  description: 'An ISO-8601 date and time.',
  serialize: (d) => new Date(d).toISOString(),
  parseValue: (v) => {
    const d = new Date(v as string);
    if (Number.isNaN(d.getTime())) throw new ApiError('BAD_INPUT', `'${v}' is not a date/time`);
    return d;
  },
});
