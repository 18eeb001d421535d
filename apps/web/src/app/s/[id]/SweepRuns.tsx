// A sweep's runs with the parameters each was given, best first by the sweep's metric (runs without it after,
// newest first): a virtualised table, so a 10,000-trial sweep keeps a few dozen rows in the DOM.
import Link from 'next/link';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { fmt } from '@/lib/format';
import { ScrollRegion } from '@/lib/ScrollRegion';
import { Status } from '@/lib/Status';
import { SpacerRow, useVirtualRows } from '@/lib/VirtualRows';
import { Params } from './Params';

export const SweepTrialFields = graphql(`
  fragment SweepTrialFields on SweepTrial {
    id
    name
    status
    params
    value
    stopDetail
  }
`);

/** The sweep's runs, best first by the metric (runs without it after, newest first), virtualised. */
export function SweepRuns(props: {
  trials: readonly FragmentType<typeof SweepTrialFields>[];
  metric: string;
  goal: string;
}) {
  const { metric, goal } = props;
  const trials = useFragment(SweepTrialFields, props.trials);
  const sign = goal === 'maximize' ? -1 : 1;
  const sorted = trials
    .map((r, i) => ({ r, i, v: r.value == null ? Number.NaN : Number(r.value) }))
    .sort((a, b) => {
      const [fa, fb] = [Number.isFinite(a.v), Number.isFinite(b.v)];
      if (fa !== fb) return fa ? -1 : 1;
      return fa ? sign * (a.v - b.v) : b.i - a.i;
    })
    .map((x) => x.r);
  const { scroller, items, above, below } = useVirtualRows(sorted.length);
  return (
    <ScrollRegion
      label="Sweep runs"
      className="scroller"
      ref={scroller}
      style={{ height: 'auto', maxHeight: '28rem' }}
    >
      <table className="runs">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">status</th>
            <th scope="col">parameters</th>
            <th scope="col">{metric}</th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={above} colSpan={4} />
          {items.map((v) => {
            const r = sorted[v.index];
            return (
              <tr key={r.id} data-testid="sweep-run" style={{ height: v.size }}>
                <td>
                  <Link href={`/r/${r.id}`}>{r.name}</Link>
                </td>
                <td title={r.stopDetail ?? undefined}>
                  <Status of={r.status} />
                </td>
                <td>
                  <Params params={r.params} />
                </td>
                <td title={r.value == null ? undefined : String(r.value)}>
                  {r.value == null ? '' : fmt(Number(r.value))}
                </td>
              </tr>
            );
          })}
          <SpacerRow height={below} colSpan={4} />
        </tbody>
      </table>
    </ScrollRegion>
  );
}
