// The compared runs' summary metrics side by side, a metric per row; the best value of each row marked.
import Link from 'next/link';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { fmt } from '@/lib/format';
import { lowerIsBetter } from '@/lib/splits';

export const CompareSummaryFields = graphql(`
  fragment CompareSummaryFields on Run {
    id
    name
    summary
  }
`);

/** The runs' summary metrics side by side, a metric per row; the best value of each row marked. */
export function SummaryDiff(props: {
  runs: readonly FragmentType<typeof CompareSummaryFields>[];
  keys: string[];
}) {
  const { keys } = props;
  const runs = useFragment(CompareSummaryFields, props.runs);
  if (!keys.length) return <p className="muted">No summary metrics.</p>;
  return (
    <table className="runs summary" data-testid="summary-diff">
      <thead>
        <tr>
          <th scope="col">metric</th>
          {runs.map((r) => (
            <th scope="col" key={r.id}>
              <Link href={`/r/${r.id}`}>{r.name}</Link>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const values = runs.map((r) => (r.summary as Record<string, unknown>)[k]);
          const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
          // Marked only where the runs differ.
          const best =
            new Set(numbers).size > 1 ? (lowerIsBetter(k) ? Math.min : Math.max)(...numbers) : null;
          return (
            <tr key={k}>
              <th scope="row">{k}</th>
              {values.map((v, i) => (
                <td key={runs[i].id} className={v === best ? 'best' : undefined}>
                  {fmt(v)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
