// The config keys whose values differ between the compared runs: a row per key (dotted path), a column per run
// in its colour.
import Link from 'next/link';
import { COLOURS } from './Overlay';

export type Diff = { key: string; values: unknown[] }[];

/** Dotted paths of every leaf in a JSON object. */
function leaves(o: unknown, prefix = ''): Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { [prefix]: o };
  return Object.assign({}, ...Object.entries(o).map(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)));
}

/**
 * Every config leaf with a value per config (in order), each marked whether it differs: two runs that hold it
 * hold different values. A key only some runs have, the same wherever it is set, does not differ (launched and
 * logged runs carry different sets of defaults).
 */
export function configLeaves(configs: unknown[]): (Diff[number] & { differs: boolean })[] {
  const flat = configs.map((c) => leaves(c));
  const all = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter(Boolean).sort();
  return all.map((k) => {
    const values = flat.map((f) => f[k]);
    const set = new Set(values.filter((v) => v !== undefined).map((v) => JSON.stringify(v)));
    return { key: k, values, differs: set.size > 1 };
  });
}

/** The leaves whose values differ between the configs, each with a value per config (in order). */
export function configDiff(configs: unknown[]): Diff {
  return configLeaves(configs)
    .filter((d) => d.differs)
    .map(({ key, values }) => ({ key, values }));
}

export function ConfigDiff({
  runs,
  rows,
  all,
  hidden,
  onToggleAll,
}: {
  runs: { id: string; name: string }[];
  /** The keys to show, each with a value per run. */
  rows: Diff;
  /** Whether every key is shown, or only those that differ. */
  all: boolean;
  /** How many keys are hidden because every run holds the same value. */
  hidden: number;
  onToggleAll: () => void;
}) {
  return (
    <>
      <h2>{all ? 'Config' : 'Config differences'}</h2>
      <label>
        <input type="checkbox" checked={all} onChange={onToggleAll} data-testid="all-keys" /> show all config
        keys{!all && hidden ? ` (${hidden} the same in every run hidden)` : ''}
      </label>
      {rows.length === 0 ? (
        <p className="muted">The configs are identical.</p>
      ) : (
        <section
          className="compare-scroll"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
          tabIndex={0}
          aria-label="Config keys by run"
          style={{ overflowX: 'auto', maxWidth: '100%' }}
        >
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
              {rows.map((d) => (
                <tr key={d.key} data-testid="config-row">
                  <td>{d.key}</td>
                  {runs.map((r, i) => (
                    <td key={r.id}>{d.values[i] === undefined ? '—' : JSON.stringify(d.values[i])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
