'use client';
// Compare runs (?runs=run_a,run_b,…): their curves overlaid per metric (one colour per run, one legend), and
// the config keys whose values differ, a parallel-coordinates plot of those keys against a chosen summary
// metric and a scatter of one of them against it (?metric=…&goal=…&x=… keep the choices in the link).
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { fmt, tickLabels } from '@/lib/format';
import { ParallelCoordinates, type PcValue, Scatter } from '@/lib/ParallelCoordinates';
import { SplitSections } from '@/lib/SplitSections';
import { headlineOrder, lowerIsBetter } from '@/lib/splits';

// One request: the runs, their configs and every metric they logged, downsampled to 150 buckets a curve.
const Compare = graphql(`
  query Compare($ids: [ID!]!) {
    compare(runIds: $ids) {
      id
      name
      config
      summary
      metrics(samples: 150) {
        key
        count
        buckets {
          x
          mean
        }
      }
    }
  }
`);

export const COLOURS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
];

/** Dotted paths of every leaf in a JSON object. */
function leaves(o: unknown, prefix = ''): Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { [prefix]: o };
  return Object.assign({}, ...Object.entries(o).map(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)));
}

function Overlay({
  title,
  series,
}: {
  title: string;
  series: { name: string; xs: number[]; ys: number[] }[];
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    // uPlot wants one shared x: join the runs' x values, gaps where a run has none.
    const xs = [...new Set(series.flatMap((s) => s.xs))].sort((a, b) => a - b);
    const ys = series.map((s) => {
      const m = new Map(s.xs.map((x, i) => [x, s.ys[i]]));
      return xs.map((x) => m.get(x) ?? null);
    });
    const t0 = performance.now();
    const plot = new uPlot(
      {
        title,
        width: el.current.clientWidth || 600,
        height: 260,
        scales: { x: { time: false } },
        axes: [{}, { values: tickLabels }],
        series: [
          { label: 'step' },
          ...series.map((s, i) => ({ label: s.name, stroke: COLOURS[i % COLOURS.length], spanGaps: true })),
        ],
      },
      [xs, ...ys] as uPlot.AlignedData,
      el.current,
    );
    // How long building and drawing the chart took (the bench reads it).
    el.current.dataset.renderMs = String(performance.now() - t0);
    return () => plot.destroy();
  }, [title, series]);
  return <div ref={el} data-testid="overlay" />;
}

function ComparePage() {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const ids = (params.get('runs') ?? '').split(',').filter(Boolean);
  const [{ data, error }] = useQuery({ query: Compare, variables: { ids }, pause: !ids.length });
  const runs = data?.compare ?? [];
  const keys = useMemo(() => [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort(), [runs]);
  const diff = useMemo(() => {
    const flat = runs.map((r) => leaves(r.config));
    const all = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
    return all
      .filter((k) => new Set(flat.map((f) => JSON.stringify(f[k]))).size > 1)
      .map((k) => ({ key: k, values: flat.map((f) => f[k]) }));
  }, [runs]);
  const summaryKeys = useMemo<string[]>(
    () =>
      [
        ...new Set(
          runs.flatMap((r): string[] =>
            Object.entries(r.summary as Record<string, unknown>)
              .filter(([, v]) => typeof v === 'number')
              .map(([k]) => k),
          ),
        ),
      ].sort(),
    [runs],
  );
  // Config keys that differ and hold scalars can be axes.
  const axes = diff
    .filter((d) => d.values.every((v) => v === undefined || typeof v === 'number' || typeof v === 'string'))
    .map((d) => d.key);
  const metric = params.get('metric') ?? summaryKeys.find((k) => /loss/.test(k)) ?? summaryKeys[0];
  const goal = (params.get('goal') ?? (lowerIsBetter(metric ?? '') ? 'minimize' : 'maximize')) as
    | 'minimize'
    | 'maximize';
  const xKey = params.get('x') ?? axes[0];
  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    router.replace(`${path}?${next}`);
  };
  const pcRuns = runs.map((r, i) => {
    const values: Record<string, PcValue | undefined> = {};
    for (const d of diff) values[d.key] = d.values[i] as PcValue | undefined;
    const m = (r.summary as Record<string, unknown>)[metric ?? ''];
    if (metric && typeof m === 'number') values[metric] = m;
    return { id: r.id, name: r.name, values };
  });
  if (!ids.length) return <p className="muted">Select runs in a project's table to compare them.</p>;
  if (error) return <ErrorLine error={error} />;
  return (
    <>
      <h1>Compare {runs.length} runs</h1>
      <h2>Summary</h2>
      <SummaryDiff runs={runs} keys={headlineOrder(summaryKeys)} />
      <h2>Metrics</h2>
      <SplitSections
        entries={keys.map((k) => [
          k,
          runs.map((r) => ({ name: r.name, s: r.metrics.find((m) => m.key === k) })),
        ])}
        points={(series) => Math.max(0, ...series.map((x) => x.s?.count ?? 0))}
        render={(series, k) => (
          <Overlay
            key={k}
            title={k}
            series={series.map(({ name, s }) => ({
              name,
              xs: s?.buckets.map((b) => Number(b.x)) ?? [],
              ys: s?.buckets.map((b) => Number(b.mean)) ?? [],
            }))}
          />
        )}
      />
      <h2>Config differences</h2>
      {diff.length === 0 ? (
        <p className="muted">The configs are identical.</p>
      ) : (
        <table className="runs" data-testid="config-diff">
          <thead>
            <tr>
              <th scope="col">key</th>
              {runs.map((r, i) => (
                <th scope="col" key={r.id} style={{ color: COLOURS[i % COLOURS.length] }}>
                  <Link href={`/r/${r.id}`}>{r.name}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {diff.map((d) => (
              <tr key={d.key}>
                <td>{d.key}</td>
                {runs.map((r, i) => (
                  <td key={r.id}>{JSON.stringify(d.values[i])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Config against a metric</h2>
      {!metric || !axes.length ? (
        <p className="muted">Needs a numeric summary metric and config keys that differ.</p>
      ) : (
        <>
          <div className="toolbar">
            <label>
              metric{' '}
              <select
                value={metric}
                onChange={(e) => setParam('metric', e.target.value)}
                data-testid="pc-metric"
              >
                {summaryKeys.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
            <label>
              goal{' '}
              <select value={goal} onChange={(e) => setParam('goal', e.target.value)}>
                <option>minimize</option>
                <option>maximize</option>
              </select>
            </label>
            <label>
              scatter x{' '}
              <select value={xKey} onChange={(e) => setParam('x', e.target.value)} data-testid="scatter-x">
                {axes.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
          </div>
          <ParallelCoordinates runs={pcRuns} axes={axes} metric={metric} goal={goal} />
          {xKey && <Scatter runs={pcRuns} xKey={xKey} metric={metric} goal={goal} />}
        </>
      )}
    </>
  );
}

// The run ids come from the URL, known only in the browser.
export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ComparePage />
    </Suspense>
  );
}

/** The runs' summary metrics side by side, a metric per row; the best value of each row marked. */
function SummaryDiff({
  runs,
  keys,
}: {
  runs: { id: string; name: string; summary: unknown }[];
  keys: string[];
}) {
  if (!keys.length) return <p className="muted">No summary metrics.</p>;
  return (
    <table className="runs summary" data-testid="summary-diff">
      <thead>
        <tr>
          <th scope="col">metric</th>
          {runs.map((r) => (
            <th scope="col" key={r.id}>
              <Link href={`/r/${r.id}`}>{r.name}</Link>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const values = runs.map((r) => (r.summary as Record<string, unknown>)[k]);
          const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
          // Marked only where the runs differ.
          const best =
            new Set(numbers).size > 1 ? (lowerIsBetter(k) ? Math.min : Math.max)(...numbers) : null;
          return (
            <tr key={k}>
              <th scope="row">{k}</th>
              {values.map((v, i) => (
                <td key={runs[i].id} className={v === best ? 'best' : undefined}>
                  {fmt(v)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
