'use client';
// The series of every visible run for every line panel in ONE GraphQL request: the runs (compare(runIds)) with
// one aliased metrics(...) field per distinct x-axis the panels use, each over the union of those panels'
// metric keys. The server downsamples each series into min/max/mean buckets (spikes survive) and batches the
// runs of each field into a few statements (its series loader).
import { useMemo } from 'react';
import { useQuery } from 'urql';
import type { ApiSeries, PanelSpec, XChoice } from './panels';

/** Buckets per series: about one per 2–3 pixels of a grid panel (fullscreen asks for more). */
export const GRID_SAMPLES = 150;

export interface SeriesRequest {
  x: XChoice;
  keys: string[];
}

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

const FIELDS = 'key count buckets { x min max mean }';

export function seriesQuery(reqs: SeriesRequest[], samples: number) {
  const vars = reqs.map((r, i) =>
    r.x.startsWith('metric:') ? `$k${i}: [String!]!, $x${i}: String!` : `$k${i}: [String!]!`,
  );
  const fields = reqs.map((r, i) =>
    r.x.startsWith('metric:')
      ? `s${i}: metrics(keys: $k${i}, xKey: $x${i}, samples: ${samples}) { ${FIELDS} }`
      : `s${i}: metrics(keys: $k${i}, xAxis: ${r.x}, samples: ${samples}) { ${FIELDS} }`,
  );
  const query = `query WorkspaceSeries($ids: [ID!]!${vars.length ? `, ${vars.join(', ')}` : ''}) {
  compare(runIds: $ids) { id ${fields.join(' ')} }
}`;
  const variables: Record<string, unknown> = {};
  reqs.forEach((r, i) => {
    variables[`k${i}`] = r.keys;
    if (r.x.startsWith('metric:')) variables[`x${i}`] = r.x.slice(7);
  });
  return { query, variables };
}

type Row = { id: string } & Record<string, ApiSeries[] | string>;

/** (run id, x choice, key) → series, from one request for all the runs and panels. */
export function useSeries(runIds: string[], panels: PanelSpec[], samples = GRID_SAMPLES) {
  const reqs = useMemo(() => seriesRequests(panels), [panels]);
  const { query, variables } = useMemo(() => seriesQuery(reqs, samples), [reqs, samples]);
  const [{ data, fetching, error }] = useQuery<{ compare: Row[] }>({
    query,
    variables: { ids: runIds, ...variables },
    pause: !runIds.length || !reqs.length,
  });
  const index = useMemo(() => {
    const m = new Map<string, ApiSeries>();
    for (const r of data?.compare ?? [])
      reqs.forEach((q, i) => {
        for (const s of (r[`s${i}`] as ApiSeries[] | undefined) ?? []) m.set(`${r.id}|${q.x}|${s.key}`, s);
      });
    return m;
  }, [data, reqs]);
  const seriesOf = useMemo(
    () => (runId: string, x: XChoice, key: string) => index.get(`${runId}|${x}|${key}`),
    [index],
  );
  return { seriesOf, fetching, error, loaded: !!data };
}
