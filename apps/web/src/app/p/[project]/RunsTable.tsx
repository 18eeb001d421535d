'use client';
// The runs table: a row per run (name, status, tags, created, duration, then the chosen config.* and summary.*
// columns), sorted by clicking a header, selected by a checkbox. Virtualised: only the visible rows are in the
// DOM; `onNearEnd` asks for the next page as the table scrolls near its end.
import Link from 'next/link';
import { useEffect } from 'react';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { fmt } from '@/lib/format';
import { Status } from '@/lib/Status';
import { SpacerRow, useVirtualRows } from '@/lib/VirtualRows';

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

const BASE_COLUMNS = [
  { field: 'name', label: 'Name' },
  { field: 'status', label: 'Status' },
  { field: 'tags', label: 'Tags' },
  { field: 'createdAt', label: 'Created' },
  { field: 'duration', label: 'Duration' },
] as const;

/** A dotted path into a JSON object (`optim.lr`), or undefined. */
const at = (o: unknown, path: string) =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

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

export function RunsTable(props: {
  runs: readonly FragmentType<typeof RunRowFields>[];
  /** The chosen extra columns: config.* and summary.* paths. */
  chosen: string[];
  sort: string;
  dir: 'ASC' | 'DESC';
  onSort: (field: string) => void;
  selected: string[];
  onToggle: (id: string) => void;
  onNearEnd: () => void;
  hidden: boolean;
}) {
  const { chosen, sort, dir, selected } = props;
  const runs = useFragment(RunRowFields, props.runs);
  const cols = [
    ...BASE_COLUMNS.map((c) => ({ ...c })),
    ...chosen.map((f) => ({ field: f, label: f.replace(/^(config|summary)\./, '') })),
  ];
  const { scroller, items, above, below } = useVirtualRows(runs.length);
  const lastVisible = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastVisible > runs.length - 100) props.onNearEnd();
  });
  return (
    <div className="scroller" ref={scroller} hidden={props.hidden}>
      <table className="runs">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">select</span>
            </th>
            {cols.map((c) => (
              <th
                key={c.field}
                scope="col"
                aria-sort={sort === c.field ? (dir === 'ASC' ? 'ascending' : 'descending') : 'none'}
              >
                <button type="button" onClick={() => props.onSort(c.field)}>
                  {c.label} {sort === c.field ? (dir === 'ASC' ? '▲' : '▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {/* Only the visible rows are in the DOM; two spacer rows keep the scroll height. */}
          <SpacerRow height={above} colSpan={cols.length + 1} />
          {items.map((v) => {
            const r = runs[v.index];
            return (
              <tr key={r.id} data-testid="run-row" style={{ height: v.size }}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`select ${r.name}`}
                    checked={selected.includes(r.id)}
                    onChange={() => props.onToggle(r.id)}
                  />
                </td>
                <td>
                  <Link href={`/r/${r.id}`}>{r.name}</Link>
                </td>
                <td>
                  <Status of={r.status} />
                </td>
                <td>{r.tags.join(', ')}</td>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{duration(r)}</td>
                {chosen.map((f) => (
                  <td key={f}>
                    {fmt(
                      f.startsWith('summary.')
                        ? (r.summary as Record<string, unknown>)?.[f.slice(8)]
                        : at(r.config, f.slice(7)),
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
          <SpacerRow height={below} colSpan={cols.length + 1} />
        </tbody>
      </table>
    </div>
  );
}
