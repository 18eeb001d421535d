'use client';
// One logged table, paged, filtered and sorted on the server (Run.table): a page of 25 rows, a step picker when
// the table was logged at several steps, conditions (column, operator, value) that all hold, and a click on a
// column heading to sort by it (again: descending, again: as logged). A value is read as JSON when it parses
// (0.5, true, null, "text"), else as text; CONTAINS always takes text.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import type { TableFilterOp, TableOrderDirection } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';

const TableQuery = graphql(`
  query RunTable(
    $id: ID!
    $key: String!
    $step: Float
    $first: Int
    $after: String
    $filter: [TableFilter!]
    $orderBy: [TableOrder!]
  ) {
    run(id: $id) {
      id
      table(key: $key, step: $step, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        step
        columns
        rowCount
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            index
            cells
          }
        }
      }
    }
  }
`);

const PAGE = 25;
// Styled here rather than in globals.css: this component is all the dashboard that uses them.
const CHIP = { borderRadius: '1rem', padding: '0.1rem 0.6rem' } as const;
const HEADING = { all: 'unset', cursor: 'pointer', fontWeight: 600 } as const;
const OPS: { op: TableFilterOp; label: string }[] = [
  { op: 'EQ', label: '=' },
  { op: 'NE', label: '≠' },
  { op: 'LT', label: '<' },
  { op: 'LTE', label: '≤' },
  { op: 'GT', label: '>' },
  { op: 'GTE', label: '≥' },
  { op: 'CONTAINS', label: 'contains' },
];

type Filter = { column: string; op: TableFilterOp; value: string };
type Order = { column: string; direction: TableOrderDirection } | null;

/** What a typed value means: JSON when it parses as a scalar, else the text itself. */
function filterValue(f: Filter): unknown {
  if (f.op === 'CONTAINS') return f.value;
  try {
    const v = JSON.parse(f.value);
    return v !== null && typeof v === 'object' ? f.value : v;
  } catch {
    return f.value;
  }
}

const cellText = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);

export function TableView({
  runId,
  tableKey,
  steps,
  title,
}: {
  runId: string;
  tableKey: string;
  steps: number[];
  title: string;
}) {
  const [step, setStep] = useState<number | null>(null);
  const [filters, setFilters] = useState<Filter[]>([]);
  const [draft, setDraft] = useState<Filter>({ column: '', op: 'EQ', value: '' });
  const [order, setOrder] = useState<Order>(null);
  // The cursors of the pages before this one: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, error, fetching }] = useQuery({
    query: TableQuery,
    variables: {
      id: runId,
      key: tableKey,
      step: step ?? steps[steps.length - 1],
      first: PAGE,
      after,
      filter: filters.map((f) => ({ column: f.column, op: f.op, value: filterValue(f) })),
      orderBy: order ? [order] : [],
    },
  });
  const table = data?.run.table;
  const columns = table?.columns ?? [];
  const restart = () => setCursors([null]);
  const sortBy = (column: string) => {
    restart();
    setOrder((o) =>
      o?.column !== column
        ? { column, direction: 'ASC' }
        : o.direction === 'ASC'
          ? { column, direction: 'DESC' }
          : null,
    );
  };
  const slug = tableKey.replace(/[^A-Za-z0-9]+/g, '-');
  const first = (cursors.length - 1) * PAGE;
  return (
    <>
      <h2>{title}</h2>
      <div className="toolbar" data-testid={`table-${slug}-controls`}>
        {steps.length > 1 && (
          <label>
            Step{' '}
            <select
              value={step ?? steps[steps.length - 1]}
              onChange={(e) => {
                restart();
                setStep(Number(e.target.value));
              }}
            >
              {steps.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const column = draft.column || columns[0];
            if (!column || (draft.value === '' && draft.op === 'CONTAINS')) return;
            restart();
            setFilters((fs) => [...fs, { ...draft, column }]);
            setDraft({ ...draft, value: '' });
          }}
        >
          <select
            aria-label="Filter column"
            data-testid="filter-column"
            value={draft.column || columns[0] || ''}
            onChange={(e) => setDraft({ ...draft, column: e.target.value })}
          >
            {columns.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <select
            aria-label="Filter operator"
            data-testid="filter-op"
            value={draft.op}
            onChange={(e) => setDraft({ ...draft, op: e.target.value as TableFilterOp })}
          >
            {OPS.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
          <input
            aria-label="Filter value"
            data-testid="filter-value"
            placeholder="value (0.5, true, null, text)"
            value={draft.value}
            onChange={(e) => setDraft({ ...draft, value: e.target.value })}
          />
          <button type="submit" data-testid="filter-add">
            Filter
          </button>
        </form>
        {filters.map((f, i) => (
          <button
            key={`${f.column}${f.op}${f.value}`}
            type="button"
            style={CHIP}
            data-testid="filter-chip"
            title="Remove this condition"
            onClick={() => {
              restart();
              setFilters((fs) => fs.filter((_, j) => j !== i));
            }}
          >
            {f.column} {OPS.find((o) => o.op === f.op)?.label} {f.value} ×
          </button>
        ))}
      </div>
      <ErrorLine error={error} testId={`table-${slug}-error`} />
      {table && (
        <>
          <p className="muted" data-testid={`table-${slug}-count`}>
            {table.totalCount === table.rowCount
              ? `${table.rowCount} rows`
              : `${table.totalCount} of ${table.rowCount} rows`}{' '}
            at step {table.step}
            {table.totalCount > 0 && ` — showing ${first + 1}–${first + table.edges.length}`}
          </p>
          <table className="runs" data-testid={`table-${slug}`}>
            <thead>
              <tr>
                <th scope="col">#</th>
                {columns.map((c) => (
                  <th
                    key={c}
                    scope="col"
                    aria-sort={
                      order?.column === c ? (order.direction === 'ASC' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <button type="button" style={HEADING} onClick={() => sortBy(c)}>
                      {c}
                      {order?.column === c ? (order.direction === 'ASC' ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.edges.map(({ node }) => (
                <tr key={node.index}>
                  <td className="muted">{node.index}</td>
                  {node.cells.map((v, k) => (
                    <td key={columns[k] ?? k}>{cellText(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="toolbar">
            <button
              type="button"
              disabled={cursors.length < 2 || fetching}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Previous
            </button>
            <button
              type="button"
              data-testid={`table-${slug}-next`}
              disabled={!table.pageInfo.hasNextPage || fetching}
              onClick={() => setCursors((c) => [...c, table.pageInfo.endCursor ?? null])}
            >
              Next
            </button>
          </div>
        </>
      )}
    </>
  );
}
