'use client';
// Compare runs (?runs=run_a,run_b,…): their curves overlaid per metric (one colour per run, one legend), and
// the config keys whose values differ.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useQuery } from 'urql';
import { graphql } from '@/gql';

// One request: the runs, their configs and every metric they logged, downsampled to 150 buckets a curve.
const Compare = graphql(`
  query Compare($ids: [ID!]!) {
    compare(runIds: $ids) {
      id
      name
      config
      metrics(samples: 150) {
        key
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
  const ids = (useSearchParams().get('runs') ?? '').split(',').filter(Boolean);
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
  if (!ids.length) return <p className="muted">Select runs in a project's table to compare them.</p>;
  if (error) return <p className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  return (
    <>
      <h1>Compare {runs.length} runs</h1>
      <div className="charts">
        {keys.map((k) => (
          <Overlay
            key={k}
            title={k}
            series={runs.map((r) => {
              const s = r.metrics.find((m) => m.key === k);
              return {
                name: r.name,
                xs: s?.buckets.map((b) => Number(b.x)) ?? [],
                ys: s?.buckets.map((b) => Number(b.mean)) ?? [],
              };
            })}
          />
        ))}
      </div>
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
