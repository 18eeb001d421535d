// A sweep's best run so far (its metric value, its parameters) and the best-so-far curve over its trials.
import Link from 'next/link';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { Chart } from '@/lib/Chart';
import { readable } from '@/lib/format';
import { Params } from './Params';
import type { SweepConfig } from './sweepConfig';

export const SweepBestFields = graphql(`
  fragment SweepBestFields on Sweep {
    best {
      value
      run {
        id
        name
        sweepParams
      }
    }
    bestSoFar
  }
`);

export function SweepBest(props: { sweep: FragmentType<typeof SweepBestFields>; config: SweepConfig }) {
  const s = useFragment(SweepBestFields, props.sweep);
  const cfg = props.config;
  return (
    <>
      <h2>Best</h2>
      {s.best ? (
        <p data-testid="best">
          {cfg.metric.name} = {readable(Number(s.best.value))} —{' '}
          <Link href={`/r/${s.best.run.id}`}>{s.best.run.name}</Link>{' '}
          <Params params={s.best.run.sweepParams} />
        </p>
      ) : (
        <p className="muted">No finished run yet.</p>
      )}
      {s.bestSoFar.length > 1 && (
        <Chart
          title="best so far"
          smoothing={0}
          log={false}
          buckets={s.bestSoFar.map((v, i) => ({ x: i + 1, min: Number(v), max: Number(v), mean: Number(v) }))}
        />
      )}
    </>
  );
}
