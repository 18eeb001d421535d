// The runs filter and sort language, compiled to parameterised SQL (Drizzle `sql` fragments: every value is a
// bound parameter, every identifier comes from a fixed list). Richer than MLflow's AND-only grammar: AND / OR /
// NOT nest freely over run attributes, `config.<path>`, `summary.<path>` and tags, with comparisons, IN,
// pattern matching and existence tests.
//
//   { or: [ { field: "summary.val/f1", op: GT, value: 0.95 },
//           { and: [ { field: "config.optim.lr", op: LTE, value: 1e-3 }, { not: { field: "tags", op: CONTAINS, value: "bad" } } ] } ] }
//
// Paths split on '.', so `summary.val/f1` is the key `val/f1` and `config.optim.lr` is optim → lr.

import { type SQL, sql } from 'drizzle-orm';
import { badInput } from './errors.ts';
import { checkList, LIMITS, wellFormed } from './limits.ts';
import { pgArray } from './metrics.ts';

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
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface RunFilter {
  and?: RunFilter[] | null;
  or?: RunFilter[] | null;
  not?: RunFilter | null;
  field?: string | null;
  op?: FilterOp | null;
  value?: unknown;
}

export interface RunOrder {
  field: string;
  direction?: 'ASC' | 'DESC' | null;
}

type Kind = 'text' | 'time' | 'number' | 'tags' | 'json';

/** Run attributes that can be filtered and sorted on, with their SQL expression. */
const ATTRIBUTES: Record<string, { expr: SQL; kind: Kind }> = {
  name: { expr: sql`r.name`, kind: 'text' },
  status: { expr: sql`r.status::text`, kind: 'text' },
  group: { expr: sql`r."group"`, kind: 'text' },
  host: { expr: sql`r.host`, kind: 'text' },
  notes: { expr: sql`r.notes`, kind: 'text' },
  createdAt: { expr: sql`r.created_at`, kind: 'time' },
  startedAt: { expr: sql`r.started_at`, kind: 'time' },
  finishedAt: { expr: sql`r.finished_at`, kind: 'time' },
  heartbeatAt: { expr: sql`r.heartbeat_at`, kind: 'time' },
  /** Seconds from start to finish (to now while running); null before a run starts. */
  duration: {
    expr: sql`extract(epoch from (coalesce(r.finished_at, case when r.status = 'running' then now() end) - r.started_at))::float8`,
    kind: 'number',
  },
  tags: { expr: sql`r.tags`, kind: 'tags' },
};

const COMPARE: Partial<Record<FilterOp, string>> = {
  EQ: '=',
  NE: '<>',
  LT: '<',
  LTE: '<=',
  GT: '>',
  GTE: '>=',
};

/** The expression a field names: an attribute, or a path into config / summary (jsonb). */
function resolveField(field: string, where: string): { expr: SQL; text?: SQL; kind: Kind } {
  if (field.length > LIMITS.fieldPathLength)
    throw badInput(where, `a field is at most ${LIMITS.fieldPathLength} characters, got ${field.length}`);
  const m = /^(config|summary)\.(.+)$/.exec(field);
  if (m) {
    const keys = m[2].split('.');
    // Nothing is stored deeper than LIMITS.jsonDepth; each segment becomes a SQL parameter.
    if (keys.length > LIMITS.jsonDepth)
      throw badInput(where, `a path has at most ${LIMITS.jsonDepth} segments, got ${keys.length}`);
    if (keys.some((k) => !k)) throw badInput(where, `'${field}' has an empty path segment`);
    const args = sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    );
    return {
      expr: sql`jsonb_extract_path(r.${sql.raw(m[1])}, ${args})`,
      text: sql`jsonb_extract_path_text(r.${sql.raw(m[1])}, ${args})`,
      kind: 'json',
    };
  }
  const a = ATTRIBUTES[field];
  if (!a)
    throw badInput(
      where,
      `unknown field '${field}' (use ${Object.keys(ATTRIBUTES).join(', ')}, config.<path> or summary.<path>)`,
    );
  return a;
}

/** A bound value in the field's type: jsonb for paths, timestamptz for times, float8 for numbers, else text. */
function bind(kind: Kind, v: unknown, where: string): SQL {
  if (kind === 'json') return sql`${JSON.stringify(v)}::jsonb`;
  if (kind === 'number') {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw badInput(where, `expected a number, got ${JSON.stringify(v)}`);
    return sql`${v}::float8`;
  }
  if (typeof v !== 'string' && typeof v !== 'number')
    throw badInput(
      where,
      `expected a string${kind === 'time' ? ' (ISO time)' : ''}, got ${JSON.stringify(v)}`,
    );
  if (kind === 'time') {
    if (Number.isNaN(new Date(v).getTime())) throw badInput(where, `'${v}' is not a date/time`);
    return sql`${new Date(v).toISOString()}::timestamptz`;
  }
  return sql`${String(v)}`;
}

function predicate(f: RunFilter, where: string): SQL {
  if (!f.op) throw badInput(`${where}.op`, 'a filter with a field needs an op');
  const field = resolveField(f.field!, `${where}.field`);
  const { expr, kind } = field;
  const op = f.op;
  const v = f.value;
  if (op === 'EXISTS') {
    if (v !== undefined && v !== null && typeof v !== 'boolean')
      throw badInput(`${where}.value`, 'EXISTS takes true or false');
    const exists = kind === 'tags' ? sql`cardinality(${expr}) > 0` : sql`${expr} is not null`;
    return v === false ? sql`not (${exists})` : exists;
  }
  if (v === undefined || v === null) throw badInput(`${where}.value`, `${op} needs a value`);
  if (kind === 'tags') {
    if (op === 'CONTAINS' || op === 'EQ') return sql`${bind('text', v, `${where}.value`)} = any(${expr})`;
    if (op === 'IN' || op === 'NOT_IN') {
      const list = listOf(v, `${where}.value`).map((x, i) => bind('text', x, `${where}.value[${i}]`));
      const any = list.length ? sql`${expr} && array[${sql.join(list, sql`, `)}]::text[]` : sql`false`;
      return op === 'IN' ? any : sql`not (${any})`;
    }
    throw badInput(`${where}.op`, `tags support CONTAINS, IN, NOT_IN and EXISTS, not ${op}`);
  }
  const cmp = COMPARE[op];
  if (cmp) return sql`${expr} ${sql.raw(cmp)} ${bind(kind, v, `${where}.value`)}`;
  if (op === 'IN' || op === 'NOT_IN') {
    const list = listOf(v, `${where}.value`).map((x, i) => bind(kind, x, `${where}.value[${i}]`));
    const inList = list.length ? sql`${expr} in (${sql.join(list, sql`, `)})` : sql`false`;
    return op === 'IN' ? inList : sql`not (${inList})`;
  }
  if (op === 'LIKE' || op === 'ILIKE') {
    if (kind === 'time' || kind === 'number')
      throw badInput(`${where}.op`, `${op} does not apply to ${kind === 'time' ? 'times' : 'numbers'}`);
    if (typeof v !== 'string')
      throw badInput(`${where}.value`, `${op} takes a pattern string (% and _ wildcards)`);
    return sql`${field.text ?? expr} ${sql.raw(op === 'LIKE' ? 'like' : 'ilike')} ${v}`;
  }
  if (op === 'CONTAINS') {
    if (kind !== 'json')
      throw badInput(`${where}.op`, 'CONTAINS applies to tags and to config/summary values');
    return sql`${expr} @> ${JSON.stringify(v)}::jsonb`;
  }
  throw badInput(`${where}.op`, `unknown op ${op}`);
}

function listOf(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw badInput(where, `IN and NOT_IN take a list, got ${JSON.stringify(v)}`);
  return checkList(v, where) as unknown[];
}

/**
 * The values a filter binds (a condition binds a few, an IN list one per item), counted without recursion, so
 * a filter of many lists cannot pass Postgres's 65,535 parameters per statement: at most 10 × LIMITS.listItems.
 */
function checkFilterSize(f: RunFilter, where: string): void {
  const max = 10 * LIMITS.listItems;
  let size = 0;
  const stack: unknown[] = [f];
  while (stack.length) {
    const x = stack.pop() as RunFilter | null | undefined;
    if (!x || typeof x !== 'object') continue;
    size += 1 + (Array.isArray(x.value) ? x.value.length : 0);
    if (size > max)
      throw badInput(where, `a filter holds at most ${max.toLocaleString('en')} conditions and list items`);
    for (const list of [x.and, x.or]) if (Array.isArray(list)) stack.push(...checkList(list, where));
    if (x.not) stack.push(x.not);
  }
}

/** The WHERE condition for a filter tree (runs aliased `r`); `where` names the argument in errors. */
export function compileFilter(f: RunFilter, where = 'filter', depth = 0): SQL {
  if (depth > 20) throw badInput(where, 'filters nest at most 20 levels deep');
  if (depth === 0) checkFilterSize(f, where);
  const parts = (['and', 'or', 'not', 'field'] as const).filter((k) => f[k] !== undefined && f[k] !== null);
  if (parts.length !== 1)
    throw badInput(where, 'give exactly one of and, or, not, or a field (with op and value)');
  if (f.and || f.or) {
    const list = (f.and ?? f.or)!;
    const key = f.and ? 'and' : 'or';
    if (!list.length) return f.and ? sql`true` : sql`false`;
    const compiled = list.map((x, i) => sql`(${compileFilter(x, `${where}.${key}[${i}]`, depth + 1)})`);
    return sql.join(compiled, f.and ? sql` and ` : sql` or `);
  }
  if (f.not) return sql`not (${compileFilter(f.not, `${where}.not`, depth + 1)})`;
  return predicate(f, where);
}

/** A field's value as jsonb, for grouping (config/summary paths are jsonb already; attributes are wrapped). */
export function compileGroupKey(field: string, where: string): SQL {
  const f = resolveField(field, where);
  if (f.kind === 'tags') throw badInput(where, 'runs cannot be grouped by tags (a run has several)');
  return f.kind === 'json' ? f.expr : sql`to_jsonb(${f.expr})`;
}

/** A summary metric's numeric value (NULL where it is missing or not a number). */
export function compileMetric(key: string): SQL {
  const keys = sql.join(
    key.split('.').map((k) => sql`${k}`),
    sql`, `,
  );
  return sql`(case when jsonb_typeof(jsonb_extract_path(r.summary, ${keys})) = 'number'
    then jsonb_extract_path_text(r.summary, ${keys})::float8 end)`;
}

/** A jsonb value with JSON null and NaN (as the strings "NaN" / "nan") made SQL NULL. */
function nanAsNull(expr: SQL): SQL {
  return sql`(case when ${expr} in ('null'::jsonb, '"NaN"'::jsonb, '"nan"'::jsonb) then null else ${expr} end)`;
}

/** The longest search text (characters). */
export const SEARCH_MAX = 200;

/**
 * The runs' free-text search: every whitespace-separated word must occur (case-insensitively, as written — `%`
 * and `_` are not wildcards) in the run's name, notes, one of its tags or its id (with or without `run_`).
 */
export function compileSearch(q: string, where = 'search'): SQL {
  if (q.length > SEARCH_MAX) throw badInput(where, `at most ${SEARCH_MAX} characters, got ${q.length}`);
  const words = q.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return sql`true`;
  const one = (w: string) => {
    const bare = w.replace(/^run_/i, '');
    const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const idLike = `%${bare.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return sql`(r.name ilike ${like} or r.notes ilike ${like}
      or exists (select 1 from unnest(r.tags) t(tag) where t.tag ilike ${like}) or r.id::text ilike ${idLike})`;
  };
  return sql.join(words.map(one), sql` and `);
}

/**
 * A sort over runs, paged by keyset (seek) rather than offset, so a page never repeats or skips a run when runs
 * are created, deleted or finish while someone pages through (W&B's public API returns duplicates here). The
 * sort keys are always followed by creation (newest first) and id, which makes the order total. A cursor holds
 * the last row's sort values as Postgres wrote them (jsonb text, so times keep their microseconds and numbers
 * every digit), each with whether it was SQL NULL, and the sort it belongs to.
 */
export interface RunSort {
  orderBy: SQL;
  /** The row's cursor values as jsonb text, selected beside it. */
  cursorValues: SQL;
  /** The rows strictly after `cursor` in this order (BAD_INPUT naming `field` for a malformed cursor). */
  after(cursor: string, field: string): SQL;
  /** The cursor of a row, from its selected cursorValues. */
  cursor(values: string): string;
}

type SortKey = { expr: SQL; kind: Kind | 'uuid'; desc: boolean; nullable: boolean };

const storable = (v: unknown): v is string => typeof v === 'string' && !v.includes('\u0000') && wellFormed(v);
const CURSOR_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d)?|Z)$/;

/** Whether a cursor's value has the shape to_jsonb gives a key of this kind (cursorValues below). */
function cursorValueFits(kind: SortKey['kind'], v: unknown): boolean {
  switch (kind) {
    case 'json':
      return true; // read back by Postgres from the cursor's own (parsed) JSON
    case 'tags':
      return Array.isArray(v) && v.every(storable);
    case 'number':
      return (
        (typeof v === 'number' && Number.isFinite(v)) || v === 'NaN' || v === 'Infinity' || v === '-Infinity'
      );
    case 'uuid':
      return typeof v === 'string' && CURSOR_UUID.test(v);
    case 'time':
      return (
        v === 'infinity' ||
        v === '-infinity' ||
        (typeof v === 'string' && CURSOR_TIME.test(v) && !Number.isNaN(Date.parse(v)))
      );
    default:
      return storable(v);
  }
}

export function compileSort(order: RunOrder[] | null | undefined): RunSort {
  const keys: SortKey[] = [
    ...(order ?? []).map((o, i) => {
      const { expr, kind } = resolveField(o.field, `orderBy[${i}].field`);
      // A config/summary value that is not a value — JSON null (how JSON writes NaN), the strings "NaN" and
      // "nan" — sorts as SQL NULL, so NULLS LAST puts it after every value in both directions (jsonb alone
      // orders null before numbers and strings after them).
      const sortExpr = kind === 'json' ? nanAsNull(expr) : expr;
      return { expr: sortExpr, kind, desc: o.direction !== 'ASC', nullable: true };
    }),
    { expr: sql`r.created_at`, kind: 'time', desc: true, nullable: false },
    { expr: sql`r.id`, kind: 'uuid', desc: false, nullable: false },
  ];
  const signature = JSON.stringify((order ?? []).map((o) => [o.field, o.direction === 'ASC']));
  const orderBy = sql.join(
    keys.map(
      (k) => sql`${k.expr} ${sql.raw(k.desc ? 'desc' : 'asc')}${sql.raw(k.nullable ? ' nulls last' : '')}`,
    ),
    sql`, `,
  );
  const cursorValues = sql`jsonb_build_array(${sql.join(
    keys.map(
      (k) =>
        sql`jsonb_build_array(${k.expr} is null, ${k.kind === 'json' ? k.expr : sql`to_jsonb(${k.expr})`})`,
    ),
    sql`, `,
  )})::text`;
  return {
    orderBy,
    cursorValues,
    cursor: (values) => Buffer.from(`${signature}\n${values}`).toString('base64url'),
    after(cursor, field) {
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      const cut = text.indexOf('\n');
      let values: unknown = null;
      try {
        values = JSON.parse(text.slice(cut + 1));
      } catch {}
      const notACursor = () =>
        badInput(field, 'not a cursor of this connection (pass a pageInfo.endCursor it returned)');
      if (
        cut < 0 ||
        !Array.isArray(values) ||
        !values.every((v) => Array.isArray(v) && v.length === 2 && typeof v[0] === 'boolean')
      )
        throw notACursor();
      if (text.slice(0, cut) !== signature)
        throw badInput(
          field,
          'the cursor belongs to another orderBy: page with the orderBy that returned it',
        );
      if (values.length !== keys.length) throw notACursor();
      const pairs = values as [isNull: boolean, value: unknown][];
      // Each value as its key's kind wrote it: a forged one is refused here, not by a failing cast (a 500).
      keys.forEach((k, i) => {
        if (!pairs[i][0] && !cursorValueFits(k.kind, pairs[i][1])) throw notACursor();
      });
      // The cursor's values as typed parameters (constants to the planner, so an index on them can serve).
      // Times, ids and text are strings as Postgres wrote them, and a float8 round-trips through its shortest
      // digits; jsonb values are read back from the cursor's own text by Postgres, keeping every digit.
      const value = (k: SortKey, i: number): SQL => {
        const v = pairs[i][1];
        if (k.kind === 'json') return sql`(${text.slice(cut + 1)}::jsonb -> ${sql.raw(String(i))} -> 1)`;
        if (k.kind === 'tags') return sql`${pgArray((v as unknown[]).map(String))}::text[]`;
        const cast = { time: 'timestamptz', number: 'float8', uuid: 'uuid', text: 'text' }[k.kind];
        return sql`${String(v)}::${sql.raw(cast)}`;
      };
      // Lexicographic "after": equal on the keys before i, strictly after on key i. NULLS LAST: NULLs follow
      // every value, and nothing follows a NULL on its own key (another NULL is equal).
      const equal: SQL[] = [];
      const branches: SQL[] = [];
      keys.forEach((k, i) => {
        if (pairs[i][0]) {
          equal.push(sql`${k.expr} is null`);
          return;
        }
        const x = value(k, i);
        const beyond = sql`${k.expr} ${sql.raw(k.desc ? '<' : '>')} ${x}`;
        branches.push(
          sql.join([...equal, k.nullable ? sql`(${beyond} or ${k.expr} is null)` : beyond], sql` and `),
        );
        equal.push(sql`${k.expr} = ${x}`);
      });
      if (!branches.length) return sql`false`;
      const after = sql`(${sql.join(branches, sql` or `)})`;
      // Implied by the above, but a plain range on the first key lets an index start at the cursor (with the
      // default order, runs_project_created_idx): a page costs its own rows, not all the rows before it.
      const [k] = keys;
      if (k.nullable) return after;
      return sql`${k.expr} ${sql.raw(k.desc ? '<=' : '>=')} ${value(k, 0)} and ${after}`;
    },
  };
}
