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

/** The leaves whose values are not the same in every config, each with a value per config (in order). */
export function configDiff(configs: unknown[]): Diff {
  const flat = configs.map((c) => leaves(c));
  const all = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return all
    .filter((k) => new Set(flat.map((f) => JSON.stringify(f[k]))).size > 1)
    .map((k) => ({ key: k, values: flat.map((f) => f[k]) }));
}

export function ConfigDiff({ runs, diff }: { runs: { id: string; name: string }[]; diff: Diff }) {
  return (
    <>
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
