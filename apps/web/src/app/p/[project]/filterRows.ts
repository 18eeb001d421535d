// The filter builder's rows and the API's filter language, both ways: the operators each kind of field takes
// (numbers: = ≠ < ≤ > ≥; text: is / is not / contains; tags: has / lacks; state: is / is not; times: before /
// after; any: exists / missing), a row as a predicate or the reason it is not one (naming the row), and a
// filter back as rows where the builder can show it.
import type { RunFilter } from '../../../gql/graphql';

export type FieldKind = 'number' | 'string' | 'boolean' | 'time' | 'tags' | 'state';

export const STATES = ['queued', 'running', 'finished', 'failed', 'crashed', 'stopped', 'pruned'];

/** Run attributes and their kinds (config.* and summary.* come from the project's keys). */
export const ATTRIBUTE_KINDS: Record<string, FieldKind> = {
  name: 'string',
  status: 'state',
  tags: 'tags',
  group: 'string',
  host: 'string',
  notes: 'string',
  createdAt: 'time',
  startedAt: 'time',
  finishedAt: 'time',
  duration: 'number',
};

export type UiOp =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'contains'
  | 'has'
  | 'lacks'
  | 'before'
  | 'after'
  | 'exists'
  | 'missing';

export const LABELS: Record<UiOp, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  contains: 'contains',
  has: 'has',
  lacks: 'lacks',
  before: 'before',
  after: 'after',
  exists: 'exists',
  missing: 'is missing',
};

const TEXT_LABELS: Partial<Record<UiOp, string>> = { eq: 'is', ne: 'is not' };

export const OPS_BY_KIND: Record<FieldKind, UiOp[]> = {
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'exists', 'missing'],
  string: ['eq', 'ne', 'contains', 'exists', 'missing'],
  boolean: ['eq', 'ne', 'exists', 'missing'],
  time: ['before', 'after', 'exists', 'missing'],
  tags: ['has', 'lacks'],
  state: ['eq', 'ne'],
};

export const opLabel = (kind: FieldKind, op: UiOp) =>
  kind === 'number' ? LABELS[op] : (TEXT_LABELS[op] ?? LABELS[op]);

export interface Row {
  field: string;
  op: UiOp;
  value: string;
}

/** The kind of a field: an attribute's, a known config/summary key's, else text (an unknown path). */
export function kindOf(field: string, kinds: Record<string, FieldKind>): FieldKind | null {
  if (ATTRIBUTE_KINDS[field]) return ATTRIBUTE_KINDS[field];
  if (kinds[field]) return kinds[field];
  if (/^(config|summary)\.[^.]/.test(field)) return 'string';
  return null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const unescapeLike = (s: string) => s.replace(/\\([\\%_])/g, '$1');

/** A row as a filter predicate, or the reason it cannot be one (naming the row). */
export function toPredicate(r: Row, i: number, kinds: Record<string, FieldKind>): RunFilter | string {
  const n = i + 1;
  const field = r.field.trim();
  if (!field) return `row ${n}: choose a field`;
  const kind = kindOf(field, kinds);
  if (!kind)
    return `row ${n}: unknown field '${field}' (use ${Object.keys(ATTRIBUTE_KINDS).join(', ')}, config.<path> or summary.<path>)`;
  if (!OPS_BY_KIND[kind].includes(r.op))
    return `row ${n}: ${LABELS[r.op]} does not apply to ${field} (a ${kind === 'state' ? 'state' : kind} field)`;
  if (r.op === 'exists' || r.op === 'missing') return { field, op: 'EXISTS', value: r.op === 'exists' };
  const v = r.value.trim();
  if (!v) return `row ${n}: ${field} ${opLabel(kind, r.op)} needs a value`;
  if (kind === 'tags')
    return r.op === 'has' ? { field, op: 'CONTAINS', value: v } : { field, op: 'NOT_IN', value: [v] };
  if (kind === 'time') {
    if (Number.isNaN(new Date(v).getTime()))
      return `row ${n}: ${field} takes a date or time (2026-01-31, 2026-01-31T12:00), not '${v}'`;
    return { field, op: r.op === 'before' ? 'LT' : 'GT', value: new Date(v).toISOString() };
  }
  if (r.op === 'contains') return { field, op: 'ILIKE', value: `%${escapeLike(v)}%` };
  const op = ({ eq: 'EQ', ne: 'NE', lt: 'LT', lte: 'LTE', gt: 'GT', gte: 'GTE' } as const)[
    r.op as 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'
  ];
  if (kind === 'number') {
    const x = Number(v);
    if (!Number.isFinite(x)) return `row ${n}: ${field} is a number; '${v}' is not a number`;
    return { field, op, value: x };
  }
  if (kind === 'boolean') {
    if (v !== 'true' && v !== 'false') return `row ${n}: ${field} is true or false, not '${v}'`;
    return { field, op, value: v === 'true' };
  }
  if (kind === 'state' && !STATES.includes(v))
    return `row ${n}: '${v}' is not a state (use ${STATES.join(', ')})`;
  return { field, op, value: v };
}

/** Rows for a filter that is one predicate or an AND of predicates the builder can show; null otherwise. */
export function toRows(f: RunFilter | undefined, kinds: Record<string, FieldKind>): Row[] | null {
  if (!f) return [];
  const preds = f.and ?? [f];
  const rows: Row[] = [];
  for (const p of preds) {
    if (!p.field || !p.op || p.and || p.or || p.not) return null;
    const kind = kindOf(p.field, kinds) ?? 'string';
    const v = p.value;
    const row = (op: UiOp, value = ''): Row => ({ field: p.field!, op, value });
    if (p.op === 'EXISTS') rows.push(row(v === false ? 'missing' : 'exists'));
    else if (kind === 'tags' && p.op === 'CONTAINS' && typeof v === 'string') rows.push(row('has', v));
    else if (kind === 'tags' && p.op === 'NOT_IN' && Array.isArray(v) && v.length === 1)
      rows.push(row('lacks', String(v[0])));
    else if (kind === 'time' && (p.op === 'LT' || p.op === 'GT'))
      rows.push(row(p.op === 'LT' ? 'before' : 'after', String(v)));
    else if (
      p.op === 'ILIKE' &&
      typeof v === 'string' &&
      /^%.*%$/s.test(v) &&
      !/(^|[^\\])[%_]/.test(v.slice(1, -1))
    )
      rows.push(row('contains', unescapeLike(v.slice(1, -1))));
    else {
      const op = ({ EQ: 'eq', NE: 'ne', LT: 'lt', LTE: 'lte', GT: 'gt', GTE: 'gte' } as const)[
        p.op as 'EQ' | 'NE' | 'LT' | 'LTE' | 'GT' | 'GTE'
      ];
      if (!op || (v !== null && typeof v === 'object')) return null;
      rows.push(row(op, typeof v === 'string' ? v : JSON.stringify(v)));
    }
  }
  return rows;
}
