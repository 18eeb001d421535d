// Tables a run logged (W&B's wandb.Table): a classifier's test predictions, a language model's samples at each
// evaluation (text is a one-column table). logTable stores one table per (run, key, step), immutably: a replay
// of the same content stores nothing, other content at the same key and step is a CONFLICT. Reading pages,
// filters and sorts the rows in SQL (Run.table), so a 10,000-row table never travels whole to the dashboard.
//
// Filters compare a column's cells with a JSON value as jsonb does (numbers numerically, strings by text), and
// only cells of the value's JSON type: `probability GT 0.5` never matches a string or a null. CONTAINS is a
// case-insensitive substring test on a cell's text. Cursors are offsets into the filtered, sorted rows, which
// is exact because a logged table never changes.

import { createHash } from 'node:crypto';
import type { runTables } from '@anneal/db/schema/runs';
import { type SQL, sql } from 'drizzle-orm';
import { loadRun } from '../access.ts';
import { builder } from '../builder.ts';
import { ApiError, badInput } from '../errors.ts';
import { type Cell, checkList, checkTable, LIMITS, metricKeyProblem } from '../limits.ts';
import { pgArray } from '../metrics.ts';
import type { SqlRow } from '../rows.ts';
import { publishRun, Run } from './run.ts';

type TableMeta = Pick<SqlRow<typeof runTables>, 'key' | 'step' | 'columns' | 'row_count' | 'created_at'>;
type TableRow = { idx: number; cells: Cell[] };

const TableKeyRef = builder.objectRef<{ key: string; steps: (number | string)[] }>('RunTableKey').implement({
  description: 'A key the run logged tables under, and the steps it logged one at (ascending).',
  fields: (t) => ({
    key: t.exposeString('key'),
    steps: t.floatList({ resolve: (k) => k.steps.map(Number) }),
  }),
});

const TableRowRef = builder.objectRef<TableRow>('RunTableRow').implement({
  description:
    'One row of a logged table: its position in the table as logged, and its cells in column order.',
  fields: (t) => ({
    index: t.int({ resolve: (r) => r.idx }),
    cells: t.field({
      type: ['JSON'],
      nullable: { list: false, items: true },
      description: 'a string, a number, a boolean or null per column',
      resolve: (r) => r.cells,
    }),
  }),
});

const TableFilterOp = builder.enumType('TableFilterOp', {
  values: ['EQ', 'NE', 'LT', 'LTE', 'GT', 'GTE', 'CONTAINS'] as const,
});

const TableFilterInput = builder.inputType('TableFilter', {
  description:
    "A condition on one column: compared with `value` (cells of the value's JSON type only; EQ / NE with null test for null), or CONTAINS: the cell's text holds `value`, ignoring case.",
  fields: (t) => ({
    column: t.string({ required: true }),
    op: t.field({ type: TableFilterOp, required: true }),
    value: t.field({ type: 'JSON', required: false }),
  }),
});

const TableOrderInput = builder.inputType('TableOrder', {
  fields: (t) => ({
    column: t.string({ required: true }),
    direction: t.field({
      type: builder.enumType('TableOrderDirection', { values: ['ASC', 'DESC'] as const }),
      required: false,
      defaultValue: 'ASC',
    }),
  }),
});

const COMPARE = { EQ: '=', NE: '<>', LT: '<', LTE: '<=', GT: '>', GTE: '>=' } as const;

/** Column name → its index, or a BAD_INPUT naming `field` and the table's columns. */
function columnIndex(meta: TableMeta, column: string, field: string): number {
  const i = meta.columns.indexOf(column);
  if (i < 0)
    throw badInput(
      field,
      `table '${meta.key}' has no column '${column}' (columns: ${meta.columns.join(', ')})`,
    );
  return i;
}

type Filter = { column: string; op: keyof typeof COMPARE | 'CONTAINS'; value?: unknown };

function compileFilters(meta: TableMeta, filters: readonly Filter[]): SQL {
  checkList(filters, 'filter', LIMITS.tableFilters);
  const parts = filters.map((f, n) => {
    const i = columnIndex(meta, f.column, `filter[${n}].column`);
    const cell = sql`(cells -> ${i}::int)`;
    const v = f.value ?? null;
    if (f.op === 'CONTAINS') {
      if (typeof v !== 'string' || !v)
        throw badInput(`filter[${n}].value`, 'CONTAINS takes a non-empty string');
      return sql`strpos(lower(${cell} #>> '{}'), lower(${v})) > 0`;
    }
    if (v !== null && typeof v === 'object')
      throw badInput(`filter[${n}].value`, 'compare with a string, a number, a boolean or null');
    if (typeof v === 'number' && !Number.isFinite(v))
      throw badInput(`filter[${n}].value`, 'must be a finite number');
    if (v === null) {
      if (f.op !== 'EQ' && f.op !== 'NE')
        throw badInput(`filter[${n}].value`, `${f.op} needs a value; null goes with EQ or NE`);
      return f.op === 'EQ' ? sql`jsonb_typeof(${cell}) = 'null'` : sql`jsonb_typeof(${cell}) <> 'null'`;
    }
    const json = JSON.stringify(v);
    return sql`(jsonb_typeof(${cell}) = jsonb_typeof(${json}::jsonb) and ${cell} ${sql.raw(COMPARE[f.op])} ${json}::jsonb)`;
  });
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

const encodeCursor = (offset: number) => Buffer.from(`table:${offset}`).toString('base64url');
function decodeCursor(cursor: string, rowCount: number): number {
  const m = /^table:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const at = m ? Number(m[1]) : Number.NaN;
  if (!Number.isSafeInteger(at) || at > Number(rowCount))
    throw badInput('after', `'${cursor.slice(0, 100)}' is not a cursor of this table`);
  return at;
}

builder.objectFields(Run, (t) => ({
  tables: t.field({
    type: [TableKeyRef],
    description: 'The keys this run logged tables under (sorted), each with its steps.',
    resolve: (r, _a, ctx) =>
      ctx.h.rows<{ key: string; steps: (number | string)[] }>(
        sql`select key, array_agg(step order by step) as steps from run_tables
            where run_id = ${r.id}::uuid group by key order by key`,
      ),
  }),
  table: t.connection(
    {
      type: TableRowRef,
      nullable: true,
      description: `A logged table's rows (null when the run logged none at that key and step): filtered (all conditions hold), sorted (default: as logged) and paged with first (default 100, at most ${LIMITS.tablePage}) and after.`,
      args: {
        key: t.arg.string({ required: true }),
        step: t.arg.float({ required: false, description: 'the latest step when omitted' }),
        filter: t.arg({ type: [TableFilterInput], required: false }),
        orderBy: t.arg({ type: [TableOrderInput], required: false }),
      },
      resolve: async (r, a, ctx) => {
        const keyWrong = metricKeyProblem(a.key);
        if (keyWrong) throw badInput('key', keyWrong);
        if (a.last != null || a.before != null)
          throw badInput(a.last != null ? 'last' : 'before', 'Run.table pages forward: use first and after');
        const size = a.first ?? 100;
        if (!Number.isInteger(size) || size < 0 || size > LIMITS.tablePage)
          throw badInput('first', `between 0 and ${LIMITS.tablePage}, got ${size}`);
        if (a.step != null && !(Number.isSafeInteger(a.step) && a.step >= 0))
          throw badInput('step', `must be a non-negative integer, got ${a.step}`);
        const [meta] = await ctx.h.rows<TableMeta>(sql`select key, step, columns, row_count, created_at
            from run_tables where run_id = ${r.id}::uuid and key = ${a.key}
            ${a.step != null ? sql`and step = ${a.step}` : sql``} order by step desc limit 1`);
        if (!meta) return null;
        const where = compileFilters(meta, (a.filter ?? []) as Filter[]);
        const order = checkList(a.orderBy ?? [], 'orderBy', 4).map((o, n) => {
          const i = columnIndex(meta, o.column, `orderBy[${n}].column`);
          return sql`(cells -> ${i}::int) ${sql.raw(o.direction === 'DESC' ? 'desc' : 'asc')}`;
        });
        const offset = a.after ? decodeCursor(a.after, meta.row_count) + 1 : 0;
        // This request's table budget: the page's rows are reserved before reading (resolvers of one request
        // run concurrently), what it did not use is given back, and its cells' bytes are charged after.
        const budget = ctx.readBudget;
        if (size > budget.rows || budget.bytes <= 0)
          throw badInput(
            'first',
            `one request reads at most ${LIMITS.tableRowsPerRequest.toLocaleString('en')} table rows and ${(LIMITS.tableBytesPerRequest >> 20).toLocaleString('en')} MiB of cells across all its Run.table fields; ${budget.rows.toLocaleString('en')} rows are left, this page asks for ${size.toLocaleString('en')}`,
          );
        budget.rows -= size;
        const of = sql`from run_table_rows where run_id = ${r.id}::uuid and key = ${meta.key}
            and step = ${meta.step} and ${where}`;
        const [[{ n }], rows] = await Promise.all([
          ctx.h.rows<{ n: number }>(sql`select count(*)::int as n ${of}`),
          ctx.h.rows<TableRow>(sql`select idx, cells ${of}
              order by ${sql.join([...order, sql`idx`], sql`, `)} limit ${size + 1} offset ${offset}`),
        ]);
        const page = rows.slice(0, size);
        budget.rows += size - page.length;
        for (const row of page) budget.bytes -= JSON.stringify(row.cells).length;
        if (budget.bytes < 0)
          throw badInput(
            'first',
            `one request reads at most ${(LIMITS.tableBytesPerRequest >> 20).toLocaleString('en')} MiB of table cells across all its Run.table fields`,
          );
        const edges = page.map((node, k) => ({ cursor: encodeCursor(offset + k), node }));
        return {
          meta,
          totalCount: Number(n),
          edges,
          pageInfo: {
            hasNextPage: rows.length > size,
            hasPreviousPage: offset > 0,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    {
      name: 'RunTable',
      description: 'A page of a logged table, with the table itself: its key, step and columns.',
      fields: (c) => {
        const meta = (conn: unknown) => (conn as { meta: TableMeta }).meta;
        return {
          key: c.string({ resolve: (conn) => meta(conn).key }),
          step: c.float({ resolve: (conn) => Number(meta(conn).step) }),
          columns: c.stringList({ resolve: (conn) => meta(conn).columns }),
          rowCount: c.int({ description: 'rows in the table', resolve: (conn) => meta(conn).row_count }),
          totalCount: c.int({
            description: 'rows that pass the filter',
            resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount,
          }),
          createdAt: c.field({ type: 'DateTime', resolve: (conn) => new Date(meta(conn).created_at) }),
        };
      },
    },
    { name: 'RunTableEdge' },
  ),
}));

const TableLogged = builder.objectRef<{ stored: boolean; rows: number }>('TableLogged').implement({
  description:
    'What logTable did: stored the table (false: the same table was already logged), and its rows.',
  fields: (t) => ({ stored: t.exposeBoolean('stored'), rows: t.exposeInt('rows') }),
});

builder.mutationFields((t) => ({
  logTable: t.field({
    type: TableLogged,
    description: `Logs a table at a step (a classifier's predictions, generated samples; text is one column): columns are names, rows lists of cells (a string, a number, a boolean or null each), at most ${LIMITS.tableRows} rows and ${LIMITS.tableColumns} columns. One table per key and step: logging the same one again is harmless, another one there is a CONFLICT.`,
    args: {
      runId: t.arg.id({ required: true }),
      key: t.arg.string({ required: true }),
      step: t.arg.float({ required: true, description: 'a non-negative integer' }),
      columns: t.arg.stringList({ required: true }),
      rows: t.arg({ type: 'JSON', required: true, description: 'a list of rows, each a list of cells' }),
    },
    resolve: async (_p, a, ctx) => {
      const run = await loadRun(ctx, String(a.runId), 'member');
      if (!(Number.isSafeInteger(a.step) && a.step >= 0))
        throw badInput('step', `must be a non-negative integer, got ${a.step}`);
      const rows = checkTable(a.key, a.columns, a.rows);
      const json = JSON.stringify(rows);
      const digest = createHash('sha256')
        .update(JSON.stringify([a.columns, rows]))
        .digest('hex');
      // The table and its rows in one statement: both or neither.
      const [{ created }] = await ctx.h.rows<{ created: number }>(sql`with t as (
          insert into run_tables (run_id, key, step, columns, row_count, digest)
          values (${run.id}::uuid, ${a.key}, ${a.step}, ${pgArray([...a.columns])}::text[], ${rows.length}, ${digest})
          on conflict do nothing returning 1
        ), r as (
          insert into run_table_rows (run_id, key, step, idx, cells)
          select ${run.id}::uuid, ${a.key}, ${a.step}, (u.i - 1)::int, u.c
          from jsonb_array_elements(${json}::jsonb) with ordinality as u(c, i)
          where exists (select 1 from t) returning 1
        ) select (select count(*) from t)::int as created`);
      if (!Number(created)) {
        const [old] = await ctx.h.rows<{ digest: string }>(sql`select digest from run_tables
            where run_id = ${run.id}::uuid and key = ${a.key} and step = ${a.step}`);
        if (old?.digest !== digest)
          throw new ApiError(
            'CONFLICT',
            `run ${a.runId} already has another table '${a.key}' at step ${a.step}: a logged table is not replaced`,
            'step',
          );
        return { stored: false, rows: rows.length };
      }
      await publishRun(ctx, run.id);
      return { stored: true, rows: rows.length };
    },
  }),
}));
