// The runs filter as text: the `filter` URL parameter checked before it is sent (an unknown operator or key is
// an error naming its place in the filter, e.g. `filter.and[1].op`), and the API's errors about the runs query
// in words (never GraphQL's `Variable "$filter" got invalid value …`).
import type { CombinedError } from 'urql';
import type { RunFilter } from '../../../gql/graphql';

export const FILTER_OPS = [
  'EQ',
  'NE',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'IN',
  'NOT_IN',
  'LIKE',
  'ILIKE',
  'EXISTS',
  'CONTAINS',
];

/** The problem with a filter tree's shape (named by its path, e.g. `filter.and[1].op`), or null. */
function checkFilter(f: unknown, where: string): string | null {
  if (typeof f !== 'object' || f === null || Array.isArray(f))
    return `${where}: expected an object such as {"field": "summary.loss", "op": "LT", "value": 0.5}`;
  const o = f as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['and', 'or', 'not', 'field', 'op', 'value'].includes(k))
      return `${where}: unknown key '${k}' (use and, or, not, or field, op and value)`;
  for (const k of ['and', 'or'] as const)
    if (o[k] !== undefined) {
      if (!Array.isArray(o[k])) return `${where}.${k}: expected a list of filters`;
      for (const [i, x] of (o[k] as unknown[]).entries()) {
        const e = checkFilter(x, `${where}.${k}[${i}]`);
        if (e) return e;
      }
    }
  if (o.not !== undefined) return checkFilter(o.not, `${where}.not`);
  if (o.field !== undefined && typeof o.field !== 'string') return `${where}.field: expected a string`;
  if (o.op !== undefined && !FILTER_OPS.includes(String(o.op)))
    return `${where}.op: ${JSON.stringify(o.op)} is not an operator (use ${FILTER_OPS.join(', ')})`;
  return null;
}

/** The `filter` URL parameter as the API's filter; text that is not a filter is an error naming its place. */
export function parseFilter(text: string): { filter?: RunFilter; error?: string } {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `filter: not JSON (${(e as Error).message})` };
  }
  const error = checkFilter(parsed, 'filter');
  return error ? { error } : { filter: parsed as RunFilter };
}

/**
 * An API error about the runs query in words: the API's own BAD_INPUT messages name the argument already; a
 * GraphQL validation error (`Variable "$filter" got invalid value … at "filter.op"; …`) is rewritten to name the
 * place in the filter and what was wrong.
 */
export function readableError(e: CombinedError): string {
  const m = e.graphQLErrors[0]?.message ?? e.message;
  const v = /^Variable "\$(\w+)" got invalid value (.*?)(?: at "([^"]+)")?; (.*)$/s.exec(m);
  if (!v) return m;
  const [, , value, path, why] = v;
  const enumMiss = /Value "(.*)" does not exist in "(\w+)" enum/.exec(why);
  if (enumMiss) return `${path ?? v[1]}: ${value} is not one of the allowed values`;
  return `${path ?? v[1]}: ${why.replace(/\.$/, '')}`;
}
