'use client';
// The runs table: a row per run (name, status, tags, created, duration, then the chosen config.* and summary.*
// columns in the chosen order), sorted by clicking a header (on the server, NaN last), selected by a checkbox or
// `x`. TanStack Table holds the column model — order, pinning to the left (sticky while the table scrolls
// sideways) and widths (drag a header's edge; kept per project in this browser). Virtualised: only the visible
// rows are in the DOM; `onNearEnd` asks for the next page as the table scrolls near its end. The table scrolls
// inside its own focusable region, so a narrow screen never scrolls the page sideways.
import {
  type ColumnDef,
  type ColumnSizingState,
  flexRender,
  getCoreRowModel,
  useReactTable,
} from '@tanstack/react-table';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { type FragmentType, graphql, useFragment } from '@/gql';
import type { RunRowFieldsFragment } from '@/gql/graphql';
import { fmt } from '@/lib/format';
import { Status } from '@/lib/Status';
import { SpacerRow, useVirtualRows } from '@/lib/VirtualRows';
import styles from './runs.module.css';

export const RunRowFields = graphql(`
  fragment RunRowFields on Run {
    id
    name
    status
    tags
    createdAt
    startedAt
    finishedAt
    summary
    config
  }
`);

export const BASE_COLUMNS = [
  { field: 'name', label: 'Name', size: 200 },
  { field: 'status', label: 'Status', size: 100 },
  { field: 'tags', label: 'Tags', size: 130 },
  { field: 'createdAt', label: 'Created', size: 170 },
  { field: 'duration', label: 'Duration', size: 100 },
] as const;

/** A dotted path into a JSON object (`optim.lr`), or undefined. */
export const at = (o: unknown, path: string) =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

/** A run's value of a column's field (config.* and summary.* paths; summary keys may hold dots). */
export function cellValue(r: { config: unknown; summary: unknown }, field: string): unknown {
  if (field.startsWith('summary.')) {
    const s = r.summary as Record<string, unknown> | null;
    return s?.[field.slice(8)] ?? at(s, field.slice(8));
  }
  if (field.startsWith('config.')) return at(r.config, field.slice(7));
  return undefined;
}

/** Wall time from start to finish (or to now, while running): 42 s, 3 m 5 s, 2 h 4 m. */
function duration(r: { startedAt?: unknown; finishedAt?: unknown; status: string }): string {
  if (!r.startedAt) return '';
  const end = r.finishedAt
    ? new Date(String(r.finishedAt)).getTime()
    : r.status === 'running'
      ? Date.now()
      : null;
  if (end === null) return '';
  const s = Math.max(0, Math.round((end - new Date(String(r.startedAt)).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
}

type Row = RunRowFieldsFragment;

function useStoredSizing(project: string) {
  const key = `anneal:widths:${project}`;
  const [sizing, setSizing] = useState<ColumnSizingState>({});
  useEffect(() => {
    try {
      setSizing(JSON.parse(localStorage.getItem(key) ?? '{}'));
    } catch {
      setSizing({});
    }
  }, [key]);
  useEffect(() => {
    if (Object.keys(sizing).length) localStorage.setItem(key, JSON.stringify(sizing));
  }, [key, sizing]);
  return [sizing, setSizing] as const;
}

export function RunsTable(props: {
  project: string;
  runs: readonly FragmentType<typeof RunRowFields>[];
  /** The chosen extra columns in their order: config.* and summary.* paths. */
  chosen: string[];
  /** Columns pinned to the left (besides the selection box), in order. */
  pinned: string[];
  sort: string;
  dir: 'ASC' | 'DESC';
  onSort: (field: string) => void;
  selected: string[];
  onToggle: (id: string) => void;
  onNearEnd: () => void;
  /** The keyboard cursor's row (j / k), or -1. */
  cursor: number;
  hidden: boolean;
}) {
  const { chosen, sort, dir, selected, pinned, cursor } = props;
  const runs = useFragment(RunRowFields, props.runs) as Row[];
  const [sizing, setSizing] = useStoredSizing(props.project);
  const columns = useMemo<ColumnDef<Row>[]>(
    () => [
      {
        id: 'select',
        size: 36,
        enableResizing: false,
        header: () => <span className="sr-only">select</span>,
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`select ${row.original.name}`}
            checked={selected.includes(row.original.id)}
            onChange={() => props.onToggle(row.original.id)}
          />
        ),
      },
      ...BASE_COLUMNS.map(
        (c): ColumnDef<Row> => ({
          id: c.field,
          size: c.size,
          header: c.label,
          cell: ({ row: { original: r } }) =>
            c.field === 'name' ? (
              <Link href={`/r/${r.id}`} title={r.name}>
                {r.name}
              </Link>
            ) : c.field === 'status' ? (
              <Status of={r.status} />
            ) : c.field === 'tags' ? (
              r.tags.join(', ')
            ) : c.field === 'createdAt' ? (
              new Date(r.createdAt).toLocaleString()
            ) : (
              duration(r)
            ),
        }),
      ),
      ...chosen.map(
        (f): ColumnDef<Row> => ({
          id: f,
          size: 120,
          header: f.replace(/^(config|summary)\./, ''),
          cell: ({ row: { original: r } }) => fmt(cellValue(r, f)),
        }),
      ),
    ],
    [chosen, selected, props.onToggle],
  );
  const table = useReactTable({
    data: runs,
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: 'onChange',
    state: {
      columnPinning: { left: ['select', ...pinned.filter((p) => p !== 'select')] },
      columnSizing: sizing,
    },
    onColumnSizingChange: setSizing,
  });
  const { scroller, items, above, below, scrollToIndex } = useVirtualRows(runs.length);
  const lastVisible = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastVisible > runs.length - 100) props.onNearEnd();
  });
  useEffect(() => {
    if (cursor >= 0) scrollToIndex(cursor);
  }, [cursor]);
  const rows = table.getRowModel().rows;
  const headers = [...table.getLeftLeafHeaders(), ...table.getCenterLeafHeaders()];
  const lastPinned = table.getLeftLeafHeaders().length - 1;
  const span = headers.length;
  const pinStyle = (pinnedSide: false | 'left' | 'right', start: number, size: number) => ({
    width: size,
    ...(pinnedSide ? { left: start } : {}),
  });
  return (
    <section
      // .scroller: what bench:web scrolls to the end of the 10,000 runs.
      className={`scroller ${styles.region}`}
      ref={scroller}
      hidden={props.hidden}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
      tabIndex={0}
      aria-label="Runs table (scrolls; j / k move, enter opens, x selects)"
      data-testid="runs-region"
    >
      <table className={`runs ${styles.table}`} style={{ width: table.getTotalSize() }}>
        <thead>
          <tr>
            {headers.map((h, i) => {
              const field = h.column.id;
              const side = h.column.getIsPinned();
              const sortable = field !== 'select';
              return (
                <th
                  key={h.id}
                  scope="col"
                  title={field === 'select' ? undefined : field}
                  data-col={field}
                  className={[side ? styles.pinned : '', i === lastPinned ? styles.lastPinned : '']
                    .filter(Boolean)
                    .join(' ')}
                  style={pinStyle(side, h.column.getStart('left'), h.getSize())}
                  aria-sort={
                    sortable && sort === field ? (dir === 'ASC' ? 'ascending' : 'descending') : undefined
                  }
                >
                  {sortable ? (
                    <button type="button" onClick={() => props.onSort(field)}>
                      {flexRender(h.column.columnDef.header, h.getContext())}{' '}
                      {sort === field ? (dir === 'ASC' ? '▲' : '▼') : ''}
                    </button>
                  ) : (
                    flexRender(h.column.columnDef.header, h.getContext())
                  )}
                  {h.column.getCanResize() && (
                    // biome-ignore lint/a11y/noStaticElementInteractions: a pointer-only drag handle; widths also reset from the picker
                    <div
                      className={`${styles.resizer} ${h.column.getIsResizing() ? styles.resizing : ''}`}
                      data-testid={`resize-${field}`}
                      onMouseDown={h.getResizeHandler()}
                      onTouchStart={h.getResizeHandler()}
                      onDoubleClick={() => h.column.resetSize()}
                    />
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {/* Only the visible rows are in the DOM; two spacer rows keep the scroll height. */}
          <SpacerRow height={above} colSpan={span} />
          {items.map((v) => {
            const row = rows[v.index];
            if (!row) return null;
            const cells = [...row.getLeftVisibleCells(), ...row.getCenterVisibleCells()];
            return (
              <tr
                key={row.id}
                data-testid="run-row"
                data-index={v.index}
                aria-current={v.index === cursor ? 'true' : undefined}
                className={v.index === cursor ? styles.current : undefined}
                style={{ height: v.size }}
              >
                {cells.map((c, i) => {
                  const side = c.column.getIsPinned();
                  return (
                    <td
                      key={c.id}
                      className={[side ? styles.pinned : '', i === lastPinned ? styles.lastPinned : '']
                        .filter(Boolean)
                        .join(' ')}
                      style={pinStyle(side, c.column.getStart('left'), c.column.getSize())}
                    >
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          <SpacerRow height={below} colSpan={span} />
        </tbody>
      </table>
    </section>
  );
}
