'use client';
// The compared runs' differing config keys against a chosen summary metric: a parallel-coordinates plot of them
// all and a scatter of one (?metric=…&goal=…&x=… keep the choices in the link).
import { ParallelCoordinates, type PcValue, Scatter } from '@/lib/ParallelCoordinates';
import { lowerIsBetter } from '@/lib/splits';
import type { SearchChanges } from '@/lib/useSearchState';
import type { Diff } from './ConfigDiff';

export function ConfigAgainstMetric({
  runs,
  diff,
  summaryKeys,
  search,
  set,
}: {
  runs: { id: string; name: string; summary: unknown }[];
  diff: Diff;
  /** The numeric summary keys of the runs, sorted. */
  summaryKeys: string[];
  search: URLSearchParams;
  set: (changes: SearchChanges) => void;
}) {
  // Config keys that differ and hold scalars can be axes.
  const axes = diff
    .filter((d) => d.values.every((v) => v === undefined || typeof v === 'number' || typeof v === 'string'))
    .map((d) => d.key);
  const metric = search.get('metric') ?? summaryKeys.find((k) => /loss/.test(k)) ?? summaryKeys[0];
  const goal = (search.get('goal') ?? (lowerIsBetter(metric ?? '') ? 'minimize' : 'maximize')) as
    | 'minimize'
    | 'maximize';
  const xKey = search.get('x') ?? axes[0];
  const pcRuns = runs.map((r, i) => {
    const values: Record<string, PcValue | undefined> = {};
    for (const d of diff) values[d.key] = d.values[i] as PcValue | undefined;
    const m = (r.summary as Record<string, unknown>)[metric ?? ''];
    if (metric && typeof m === 'number') values[metric] = m;
    return { id: r.id, name: r.name, values };
  });
  return (
    <>
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
                onChange={(e) => set({ metric: e.target.value })}
                data-testid="pc-metric"
              >
                {summaryKeys.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
            <label>
              goal{' '}
              <select value={goal} onChange={(e) => set({ goal: e.target.value })}>
                <option>minimize</option>
                <option>maximize</option>
              </select>
            </label>
            <label>
              scatter x{' '}
              <select value={xKey} onChange={(e) => set({ x: e.target.value })} data-testid="scatter-x">
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
