'use client';
// The series of every visible run for every line panel in ONE GraphQL request: the runs (compare(runIds)) with
// one aliased metrics(...) field per distinct x-axis the panels use, each over the union of those panels'
// metric keys. The server downsamples each series into min/max/mean buckets (spikes survive) and batches the
// runs of each field into a few statements (its series loader).
// Without a selection the request names the table's query (filter, search, order, the first MAX_VISIBLE) rather
// than run ids, so the server resolves which runs and the series load beside the table's runs, not after them.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import type { RunFilter, RunOrder } from '@/gql/graphql';
import type { ApiSeries, PanelSpec, XChoice } from './panels';

/** Buckets per series: about one per 2–3 pixels of a grid panel (fullscreen asks for more). */
export const GRID_SAMPLES = 150;

export interface SeriesRequest {
  x: XChoice;
  /** null: every key the runs logged. */
  keys: string[] | null;
}

/** Every key the runs logged, on the step axis: what the default panels draw (when all the keys fit in them). */
const EVERY_KEY: SeriesRequest[] = [{ x: 'step', keys: null }];

/** The distinct x-axes of the line panels, each with the union of their metrics. */
export function seriesRequests(panels: PanelSpec[]): SeriesRequest[] {
  const by = new Map<XChoice, Set<string>>();
  for (const p of panels) {
    if (p.kind !== 'line') continue;
    const s = by.get(p.x) ?? new Set<string>();
    for (const m of p.metrics) s.add(m);
    by.set(p.x, s);
  }
  return [...by.entries()].map(([x, keys]) => ({ x, keys: [...keys].sort() }));
}

// The buckets as columns: a list per field (far less to resolve and send for 600 series than 90,000 objects),
// values to 7 significant digits (float32's precision, finer than a panel's pixels): 5.6 MB of JSON for 100
// runs × 6 panels becomes 3.1 MB, less for the proxy to gzip and the browser to parse.
const FIELDS = 'key count columns(digits: 7) { x min max mean }';

type Columns = { x: unknown[]; min: unknown[]; max: unknown[]; mean: unknown[] };
type ApiColumns = { key: string; count: number; columns: Columns };

/** A series of columns as the panels read it (a bucket per index). */
export function fromColumns(s: ApiColumns): ApiSeries {
  const { x, min, max, mean } = s.columns;
  return {
    key: s.key,
    count: s.count,
    buckets: x.map((xi, j) => ({ x: xi, min: min[j], max: max[j], mean: mean[j] })),
  };
}

/** The runs of a series request: these ids, or the first `first` runs of the table's query. */
export type SeriesRuns =
  | { ids: string[] }
  | {
      project: string;
      filter?: RunFilter | null;
      search?: string | null;
      orderBy?: RunOrder[] | null;
      first: number;
    };

export function seriesQuery(reqs: SeriesRequest[], samples: number, byTable = false) {
  const vars = reqs.flatMap((r, i) => [
    ...(r.keys ? [`$k${i}: [String!]!`] : []),
    ...(r.x.startsWith('metric:') ? [`$x${i}: String!`] : []),
  ]);
  const fields = reqs.map((r, i) => {
    const keys = r.keys ? `keys: $k${i}, ` : '';
    return r.x.startsWith('metric:')
      ? `s${i}: metrics(${keys}xKey: $x${i}, samples: ${samples}) { ${FIELDS} }`
      : `s${i}: metrics(${keys}xAxis: ${r.x}, samples: ${samples}) { ${FIELDS} }`;
  });
  const more = vars.length ? `, ${vars.join(', ')}` : '';
  const query = byTable
    ? `query WorkspaceTableSeries($project: String!, $filter: RunFilter, $search: String, $orderBy: [RunOrder!], $first: Int${more}) {
  runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first) { edges { node { id ${fields.join(' ')} } } }
}`
    : `query WorkspaceSeries($ids: [ID!]!${more}) {
  compare(runIds: $ids) { id ${fields.join(' ')} }
}`;
  const variables: Record<string, unknown> = {};
  reqs.forEach((r, i) => {
    if (r.keys) variables[`k${i}`] = r.keys;
    if (r.x.startsWith('metric:')) variables[`x${i}`] = r.x.slice(7);
  });
  return { query, variables };
}

type Row = { id: string } & Record<string, ApiColumns[] | string>;

type Data = { compare?: Row[]; runs?: { edges: { node: Row }[] } };

/**
 * (run id, x choice, key) → series, from one request for all the runs and panels; with `everyKey`, every key
 * the runs logged on the step axis whatever the panels (none yet, or the default ones).
 */
export function useSeries(runs: SeriesRuns, panels: PanelSpec[], samples = GRID_SAMPLES, everyKey = false) {
  const reqs = useMemo(() => (everyKey ? EVERY_KEY : seriesRequests(panels)), [panels, everyKey]);
  const byTable = !('ids' in runs);
  const { query, variables } = useMemo(() => seriesQuery(reqs, samples, byTable), [reqs, samples, byTable]);
  const [{ data, fetching, error }] = useQuery<Data>({
    query,
    variables: { ...('ids' in runs ? { ids: runs.ids } : runs), ...variables },
    pause: ('ids' in runs && !runs.ids.length) || !reqs.length,
  });
  const index = useMemo(() => {
    const m = new Map<string, ApiSeries>();
    for (const r of data?.compare ?? data?.runs?.edges.map((e) => e.node) ?? [])
      reqs.forEach((q, i) => {
        for (const s of (r[`s${i}`] as ApiColumns[] | undefined) ?? [])
          m.set(`${r.id}|${q.x}|${s.key}`, fromColumns(s));
      });
    return m;
  }, [data, reqs]);
  const seriesOf = useMemo(
    () => (runId: string, x: XChoice, key: string) => index.get(`${runId}|${x}|${key}`),
    [index],
  );
  return { seriesOf, fetching, error, loaded: !!data };
}
