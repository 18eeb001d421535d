// A classifier's confusion matrix as the summary carries it (`<split>/confusion`: counts by true class, rows,
// and predicted class, columns); each cell shaded by its share of its row (the CSS reads --share).
import type { CSSProperties } from 'react';
import { ScrollRegion } from './ScrollRegion';
import { splitKey } from './splits';

/** Counts by true class (rows) and predicted class (columns); each cell shaded by its share of its row. */
export function ConfusionMatrix({ name, m }: { name: string; m: number[][] }) {
  return (
    <ScrollRegion label="Confusion matrix">
      <table className="confusion" data-testid={`confusion-${splitKey(name).split}`}>
        <caption>
          {name} <span className="muted">(rows: true class, columns: predicted)</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">true \ predicted</span>
            </th>
            {m.map((_, j) => (
              <th scope="col" key={j}>
                {j}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th scope="row">{i}</th>
                {row.map((n, j) => (
                  <td
                    key={j}
                    className={i === j ? 'hit' : undefined}
                    style={{ '--share': n / total } as CSSProperties}
                    title={`true ${i}, predicted ${j}: ${n} (${((100 * n) / total).toFixed(1)}% of class ${i})`}
                  >
                    {n}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
