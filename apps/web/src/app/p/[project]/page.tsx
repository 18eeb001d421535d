'use client';
// The runs table of a project: virtualised (thousands of rows stay smooth), sorted by any column, filtered with
// the API's filter language (a builder and a JSON text box), grouped by a key with aggregate rows, status
// badges live from the API's run events; state in the URL so a view can be shared by link.
import Link from 'next/link';
import { useParams, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import type { RunFilter, RunOrder, RunsQuery } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';
import { count, fmt } from '@/lib/format';
import { Status } from '@/lib/Status';
import { headlineOrder } from '@/lib/splits';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { SpacerRow, useVirtualRows } from '@/lib/VirtualRows';
import { FilterBuilder } from './FilterBuilder';
import { Groups } from './Groups';

const Runs = graphql(`
  query Runs($project: String!, $filter: RunFilter, $orderBy: [RunOrder!], $first: Int, $after: String) {
    runs(project: $project, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
          tags
          createdAt
          finishedAt
          startedAt
          summary
          config
        }
      }
    }
  }
`);

const PAGE = 500;

const DeleteRuns = graphql(`
  mutation DeleteRuns($ids: [ID!]!) {
    deleteRuns(runIds: $ids)
  }
`);
type RunNode = RunsQuery['runs']['edges'][number]['node'];

const Keys = graphql(`
  query ProjectKeys($project: String!) {
    project(ref: $project) {
      configKeys {
        key
      }
    }
  }
`);

/** A dotted path into a JSON object (`optim.lr`), or undefined. */
const at = (o: unknown, path: string) =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

const BASE_COLUMNS = [
  { field: 'name', label: 'Name' },
  { field: 'status', label: 'Status' },
  { field: 'tags', label: 'Tags' },
  { field: 'createdAt', label: 'Created' },
  { field: 'duration', label: 'Duration' },
] as const;

/** Attributes the filter and group-by take besides config.* and summary.* paths. */
const ATTRIBUTES = [
  'name',
  'status',
  'tags',
  'group',
  'host',
  'notes',
  'createdAt',
  'startedAt',
  'finishedAt',
  'duration',
];

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

function parseFilter(text: string): { filter?: RunFilter; error?: string } {
  if (!text.trim()) return {};
  try {
    return { filter: JSON.parse(text) as RunFilter };
  } catch (e) {
    return { error: `filter: not JSON (${(e as Error).message})` };
  }
}

export default function RunsPage() {
  const { project } = useParams<{ project: string }>();
  const search = useSearchParams();
  const router = useRouter();
  const sort = search.get('sort') ?? 'createdAt';
  const dir = search.get('dir') === 'ASC' ? 'ASC' : 'DESC';
  const [filterText, setFilterText] = useState(search.get('filter') ?? '');
  const { filter, error: filterError } = parseFilter(search.get('filter') ?? '');
  const orderBy: RunOrder[] = [{ field: sort, direction: dir }];
  const [{ data, fetching, error }, refetch] = useQuery({
    query: Runs,
    variables: { project: decodeURIComponent(project), filter, orderBy, first: PAGE },
    pause: !!filterError,
  });
  // Live: the API streams every change to the project's runs (SSE through /graphql). A loaded run's row is
  // patched from the event itself (status, times, summary); a run not in the table (new, or now matching the
  // filter) makes one refetch of the first page, a burst of them too.
  const name = decodeURIComponent(project);
  const [live, setLive] = useState<Record<string, Partial<RunNode>>>({});
  const loadedIds = useRef(new Set<string>());
  const refetchFirst = useThrottle(() => refetch({ requestPolicy: 'network-only' }), 250);
  useEvents<{ runUpdated: Partial<RunNode> & { id: string } }>(
    `subscription { runUpdated(project: ${JSON.stringify(name)}) { id status startedAt finishedAt summary } }`,
    ({ runUpdated: run }) => {
      if (loadedIds.current.has(run.id)) setLive((prev) => ({ ...prev, [run.id]: run }));
      else refetchFirst();
    },
  );
  // Later pages load as the table scrolls near its end (10,000+ runs stay smooth: only visible rows render).
  const client = useClient();
  const [more, setMore] = useState<{ key: string; runs: RunNode[]; cursor: string | null; done: boolean }>({
    key: '',
    runs: [],
    cursor: null,
    done: false,
  });
  const key = JSON.stringify({ name, filter, orderBy });
  const first = data?.runs;
  const extra =
    more.key === key
      ? more
      : { key, runs: [], cursor: first?.pageInfo.endCursor ?? null, done: !first?.pageInfo.hasNextPage };
  const runs: RunNode[] = [...(first?.edges.map((e) => e.node) ?? []), ...extra.runs].map((r) =>
    live[r.id] ? { ...r, ...live[r.id] } : r,
  );
  loadedIds.current = new Set(runs.map((r) => r.id));
  const loading = useRef(false);
  const loadMore = async () => {
    if (loading.current || extra.done || !extra.cursor) return;
    loading.current = true;
    const r = await client
      .query(
        Runs,
        { project: name, filter, orderBy, first: PAGE, after: extra.cursor },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    loading.current = false;
    const page = r.data?.runs;
    if (!page) return;
    setMore({
      key,
      runs: [...extra.runs, ...page.edges.map((e) => e.node)],
      cursor: page.pageInfo.endCursor ?? null,
      done: !page.pageInfo.hasNextPage,
    });
  };
  // Summary columns: the keys of numbers the listed runs report (not a confusion matrix), headline metrics first
  // (F1, accuracy, ROC-AUC, perplexity, loss; validation, then test, then training).
  const summaryKeys = useMemo(() => {
    const keys = new Set<string>();
    for (const r of runs)
      for (const [k, v] of Object.entries((r.summary as Record<string, unknown>) ?? {}))
        if (typeof v === 'number') keys.add(k);
    return headlineOrder([...keys]).slice(0, 6);
  }, [runs]);
  const setParams = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(changes)) v === null ? p.delete(k) : p.set(k, v);
    router.replace(`?${p.toString()}`);
  };
  const selected = (search.get('sel') ?? '').split(',').filter(Boolean);
  const [deleting, deleteRuns] = useMutation(DeleteRuns);
  const toggle = (id: string) =>
    setParams({
      sel: (selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]).join(',') || null,
    });
  const sortBy = (field: string) =>
    setParams({ sort: field, dir: sort === field && dir === 'DESC' ? 'ASC' : 'DESC' });
  // Extra columns: the `cols` URL parameter (config.* and summary.* paths), else the last choice made for this
  // project in this browser (kept in localStorage, so it outlives the URL), else the headline summary keys.
  const [{ data: keyData }] = useQuery({ query: Keys, variables: { project: name } });
  const configKeys = keyData?.project.configKeys.map((k) => `config.${k.key}`) ?? [];
  const colsKey = `anneal:cols:${name}`;
  const [storedCols, setStoredCols] = useState<string | null>(null);
  useEffect(() => setStoredCols(localStorage.getItem(colsKey)), [colsKey]);
  const chosen =
    (search.get('cols') ?? storedCols)?.split(',').filter(Boolean) ?? summaryKeys.map((k) => `summary.${k}`);
  const setCols = (value: string | null) => {
    if (value === null) localStorage.removeItem(colsKey);
    else localStorage.setItem(colsKey, value);
    setStoredCols(value);
    setParams({ cols: value });
  };
  const toggleCol = (field: string) =>
    setCols((chosen.includes(field) ? chosen.filter((c) => c !== field) : [...chosen, field]).join(','));
  const groupBy = search.get('group');
  const filterFields = [...ATTRIBUTES, ...configKeys, ...summaryKeys.map((k) => `summary.${k}`)];
  const cols = [
    ...BASE_COLUMNS.map((c) => ({ ...c })),
    ...chosen.map((f) => ({ field: f, label: f.replace(/^(config|summary)\./, '') })),
  ];

  const { scroller, items, above, below } = useVirtualRows(runs.length);
  const lastVisible = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastVisible > runs.length - 100) void loadMore();
  });

  return (
    <>
      <h1>{decodeURIComponent(project)}</h1>
      <FilterBuilder
        key={search.get('filter') ?? ''}
        filter={filter}
        fields={filterFields}
        onApply={(f) => {
          const text = f ? JSON.stringify(f) : '';
          setFilterText(text);
          setParams({ filter: text || null });
        }}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ filter: filterText.trim() || null });
        }}
      >
        <label>
          Filter{' '}
          <input
            name="filter"
            size={80}
            placeholder='{"field": "summary.val/f1", "op": "GT", "value": 0.9}'
            value={filterText}
            onChange={(e) => setFilterText(e.target.value)}
          />
        </label>{' '}
        <button className="primary" type="submit">
          Apply
        </button>
      </form>
      {filterError && <p className="error">{filterError}</p>}
      <ErrorLine error={error} />
      <p>
        <Link href={`/p/${project}/launch`}>Launch a run</Link> ·{' '}
        <Link href={`/p/${project}/sweeps/new`}>New sweep</Link> ·{' '}
        <Link href={`/p/${project}/members`}>Members</Link>
        {selected.length >= 2 && (
          <>
            {' · '}
            <Link href={`/compare?runs=${selected.join(',')}`}>Compare {selected.length} selected</Link>
          </>
        )}
        {selected.length >= 1 && (
          <>
            {' · '}
            <button
              type="button"
              className="danger"
              disabled={deleting.fetching}
              onClick={async () => {
                if (
                  !confirm(
                    `Delete ${count(selected.length, 'run')} with their metrics, consoles and artifact records?`,
                  )
                )
                  return;
                const r = await deleteRuns({ ids: selected });
                if (r.error) return;
                setParams({ sel: null });
                setMore({ key: '', runs: [], cursor: null, done: false });
                refetch({ requestPolicy: 'network-only' });
              }}
            >
              Delete {selected.length} selected
            </button>
          </>
        )}
      </p>
      <ErrorLine error={deleting.error} testId="delete-error" />
      <details>
        <summary>Columns</summary>
        <fieldset className="picker">
          {[...new Set([...configKeys, ...summaryKeys.map((k) => `summary.${k}`), ...chosen])]
            .sort()
            .map((f) => (
              <label key={f}>
                <input type="checkbox" checked={chosen.includes(f)} onChange={() => toggleCol(f)} /> {f}
              </label>
            ))}
          <button type="button" onClick={() => setCols(null)}>
            Reset to default
          </button>
        </fieldset>
      </details>
      <label>
        Group by{' '}
        <select
          name="group"
          value={groupBy ?? ''}
          onChange={(e) => setParams({ group: e.target.value || null })}
        >
          <option value="">(none)</option>
          {['status', 'group', 'host', ...configKeys].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" data-testid="count">
        {fetching && !data ? 'Loading…' : count(data?.runs.totalCount ?? 0, 'run')}
      </p>
      {runs.length < (data?.runs.totalCount ?? 0) && (
        <p className="muted" data-testid="loaded">
          {runs.length} loaded; scroll for more
        </p>
      )}
      {groupBy && (
        <Groups
          project={name}
          by={groupBy}
          filter={filter}
          metrics={chosen.filter((c) => c.startsWith('summary.')).map((c) => c.slice(8))}
        />
      )}
      <div className="scroller" ref={scroller} hidden={!!groupBy}>
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
                  <button type="button" onClick={() => sortBy(c.field)}>
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
                      onChange={() => toggle(r.id)}
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
    </>
  );
}
