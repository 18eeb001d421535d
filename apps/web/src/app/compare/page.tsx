'use client';
// Compare runs (?runs=run_a,run_b,…): the runs as chips to remove, with a search to add more in place
// (RunPicker); their summaries side by side (SummaryDiff), their curves overlaid per metric (Overlay: one
// colour per run, one legend), the config keys whose values differ — or all of them (?all=1) — (ConfigDiff),
// and those keys against a chosen summary metric (ConfigAgainstMetric).
import { Suspense, useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { SplitSections } from '@/lib/SplitSections';
import { headlineOrder } from '@/lib/splits';
import { useSearchState } from '@/lib/useSearchState';
import { ConfigAgainstMetric } from './ConfigAgainstMetric';
import { ConfigDiff, configLeaves } from './ConfigDiff';
import { Overlay } from './Overlay';
import { RunPicker } from './RunPicker';
import { SummaryDiff } from './SummaryDiff';

// One request: the runs, their configs and every metric they logged, downsampled to 150 buckets a curve.
const Compare = graphql(`
  query Compare($ids: [ID!]!) {
    compare(runIds: $ids) {
      id
      name
      project {
        name
      }
      config
      summary
      ...CompareSummaryFields
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

function ComparePage() {
  const [search, set] = useSearchState();
  const ids = (search.get('runs') ?? '').split(',').filter(Boolean);
  const [{ data, error }] = useQuery({ query: Compare, variables: { ids }, pause: !ids.length });
  const runs = data?.compare ?? [];
  const keys = useMemo(() => [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort(), [runs]);
  const all = search.get('all') === '1';
  const leaves = useMemo(() => configLeaves(runs.map((r) => r.config)), [runs]);
  const diff = useMemo(
    () => leaves.filter((d) => all || d.differs).map(({ key, values }) => ({ key, values })),
    [leaves, all],
  );
  const setIds = (next: string[]) => set({ runs: next.length ? next.join(',') : null });
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
  if (!ids.length) return <p className="muted">Select runs in a project's table to compare them.</p>;
  if (error) return <ErrorLine error={error} />;
  return (
    <>
      <h1>Compare {runs.length} runs</h1>
      <RunPicker
        runs={runs.map((r, i) => ({ id: r.id, name: r.name, colour: i }))}
        project={runs[0]?.project.name ?? null}
        onRemove={(id) => setIds(ids.filter((x) => x !== id))}
        onAdd={(id) => setIds([...ids.filter((x) => x !== id), id])}
      />
      <h2>Summary</h2>
      <section
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
        tabIndex={0}
        aria-label="Summary metrics by run"
        style={{ overflowX: 'auto', maxWidth: '100%' }}
      >
        <SummaryDiff runs={runs} keys={headlineOrder(summaryKeys)} />
      </section>
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
      <ConfigDiff
        runs={runs}
        rows={diff}
        all={all}
        hidden={leaves.filter((d) => !d.differs).length}
        onToggleAll={() => set({ all: all ? null : '1' })}
      />
      <ConfigAgainstMetric runs={runs} diff={diff} summaryKeys={summaryKeys} search={search} set={set} />
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
