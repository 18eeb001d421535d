// Charts in a foldable section per split (train, val, test, …; lib/splits.ts), as the run and compare pages show
// them. A section whose every metric has a single point (a test evaluation at the end) starts folded: its
// numbers are in the summary table.
import type { ReactNode } from 'react';
import { count } from './format';
import { groupBySplit } from './splits';

export function SplitSections<T>({
  entries,
  points,
  render,
}: {
  /** [metric key, what to draw] pairs. */
  entries: [string, T][];
  /** How many points a metric holds (its most, across runs). */
  points: (item: T) => number;
  render: (item: T, key: string) => ReactNode;
}) {
  return groupBySplit(entries).map((g) => {
    const single = g.items.every((i) => points(i.item) <= 1);
    return (
      <details open={!single} key={g.split} className="section" data-testid={`section-${g.split || 'other'}`}>
        <summary>
          {g.split || 'other'}{' '}
          <span className="muted">
            ({count(g.items.length, 'metric')}
            {single && ', one point each'})
          </span>
        </summary>
        <div className="charts">{g.items.map((i) => render(i.item, i.key))}</div>
      </details>
    );
  });
}
