'use client';
// The compared runs' config keys (those that differ, or all of them) against a chosen summary metric: a
// parallel-coordinates plot of them all and a scatter of one (?metric=…&goal=…&x=… keep the choices in the
// link). The metric defaults to a headline metric every run reports; the scatter's x to a numeric key whose
// values differ.
import { ParallelCoordinates, type PcValue, Scatter } from '@/lib/ParallelCoordinates';
import { headlineOrder, lowerIsBetter } from '@/lib/splits';
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
  // A metric every run reports as a number, headline metrics first; else the one most runs report.
  const reported = (k: string) =>
    runs.filter((r) => typeof (r.summary as Record<string, unknown>)?.[k] === 'number').length;
  const common = headlineOrder(summaryKeys.filter((k) => reported(k) === runs.length));
  const metric =
    search.get('metric') ??
    common[0] ??
    [...summaryKeys].sort((a, b) => reported(b) - reported(a) || a.localeCompare(b))[0];
  const goal = (search.get('goal') ?? (lowerIsBetter(metric ?? '') ? 'minimize' : 'maximize')) as
    | 'minimize'
    | 'maximize';
  // A numeric key whose values differ makes a scatter; a constant or a string one does not.
  const numericVarying = diff.filter((d) => {
    const nums = d.values.filter((v): v is number => typeof v === 'number');
    return (
      nums.length >= 2 &&
      nums.length === d.values.filter((v) => v !== undefined).length &&
      new Set(nums).size > 1
    );
  });
  const xKey = search.get('x') ?? numericVarying[0]?.key ?? axes[0];
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
                  <option key={k} value={k}>
                    {k}
                    {reported(k) < runs.length ? ` (${reported(k)} of ${runs.length} runs)` : ''}
                  </option>
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
          <section
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
            tabIndex={0}
            aria-label="Parallel coordinates (scrolls sideways)"
            data-testid="pc-region"
            style={{ overflowX: 'auto', maxWidth: '100%' }}
          >
            <ParallelCoordinates runs={pcRuns} axes={axes} metric={metric} goal={goal} />
          </section>
          {xKey && (
            <section
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
              tabIndex={0}
              aria-label={`${metric} against ${xKey} (scrolls sideways)`}
              style={{ overflowX: 'auto', maxWidth: '100%' }}
            >
              <Scatter runs={pcRuns} xKey={xKey} metric={metric} goal={goal} />
            </section>
          )}
        </>
      )}
    </>
  );
}
