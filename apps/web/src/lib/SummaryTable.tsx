// A run's summary as people read one: a metric per row and a split per column (train / val / test, then any
// other prefix), so val/f1 and test/f1 sit side by side. Keys without a prefix and values that are not numbers
// follow as a tree.
import { fmt } from './format';
import { JsonTree } from './JsonTree';
import { byName, groupBySplit, NO_SPLIT, splitKey } from './splits';

export function SummaryTable({ summary }: { summary: unknown }) {
  const entries = summary && typeof summary === 'object' ? Object.entries(summary) : [];
  if (!entries.length) return <p className="muted">Empty.</p>;
  const groups = groupBySplit(entries.filter(([, v]) => typeof v === 'number'));
  const splits = groups.filter((g) => g.split !== NO_SPLIT);
  const names = [...new Set(splits.flatMap((g) => g.items.map((i) => i.name)))].sort(byName);
  const rest = Object.fromEntries(
    entries.filter(([k, v]) => typeof v !== 'number' || splitKey(k).split === NO_SPLIT),
  );
  return (
    <div data-testid="summary">
      {splits.length > 0 && (
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
      )}
      {Object.keys(rest).length > 0 && <JsonTree value={rest} />}
    </div>
  );
}
