// A run's summary as people read one: a metric per row and a split per column (train / val / test, then any
// other prefix), so val/f1 and test/f1 sit side by side; a classifier's confusion matrices (`<split>/confusion`,
// rows: true class) as matrices. Keys without a prefix and other values follow as a tree.
import { ConfusionMatrix } from './ConfusionMatrix';
import { fmt } from './format';
import { JsonTree } from './JsonTree';
import { ScrollRegion } from './ScrollRegion';
import { byName, groupBySplit, NO_SPLIT, splitKey } from './splits';

export function SummaryTable({ summary }: { summary: unknown }) {
  const entries = summary && typeof summary === 'object' ? Object.entries(summary) : [];
  if (!entries.length) return <p className="muted">Empty.</p>;
  const groups = groupBySplit(entries.filter(([, v]) => typeof v === 'number'));
  const splits = groups.filter((g) => g.split !== NO_SPLIT);
  const names = [...new Set(splits.flatMap((g) => g.items.map((i) => i.name)))].sort(byName);
  const matrices = entries.filter((e): e is [string, number[][]] => isMatrix(e[1]));
  const rest = Object.fromEntries(
    entries.filter(([k, v]) => (typeof v !== 'number' || splitKey(k).split === NO_SPLIT) && !isMatrix(v)),
  );
  return (
    <div data-testid="summary">
      {splits.length > 0 && (
        <ScrollRegion label="Summary">
          <table className="runs summary">
            <thead>
              <tr>
                <th scope="col">metric</th>
                {splits.map((g) => (
                  <th scope="col" key={g.split}>
                    {g.split}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((name) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  {splits.map((g) => {
                    const hit = g.items.find((i) => i.name === name);
                    return (
                      <td key={g.split} title={hit?.key}>
                        {hit ? fmt(hit.item) : ''}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {matrices.map(([key, m]) => (
        <ConfusionMatrix key={key} name={key} m={m} />
      ))}
      {Object.keys(rest).length > 0 && <JsonTree value={rest} />}
    </div>
  );
}

const isMatrix = (v: unknown): v is number[][] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((row) => Array.isArray(row) && row.length === v.length && row.every((x) => typeof x === 'number'));
