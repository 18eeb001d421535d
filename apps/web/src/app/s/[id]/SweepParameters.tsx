// A sweep's parameters against its metric: a parallel-coordinates plot of the finished trials, and each
// numeric parameter's importance (Spearman rank correlation with the metric, computed by the API).
import { type FragmentType, graphql, useFragment } from '@/gql';
import { ParallelCoordinates, type PcValue } from '@/lib/ParallelCoordinates';
import type { SweepConfig } from './sweepConfig';

export const SweepParametersFields = graphql(`
  fragment SweepParametersFields on Sweep {
    importance {
      parameter
      spearman
    }
    trials {
      id
      name
      params
      value
    }
  }
`);

export function SweepParameters(props: {
  sweep: FragmentType<typeof SweepParametersFields>;
  config: SweepConfig;
}) {
  const s = useFragment(SweepParametersFields, props.sweep);
  const { metric } = props.config;
  const scored = s.trials
    .filter((r) => r.value !== null && Number.isFinite(Number(r.value)))
    .map((r) => ({
      id: r.id,
      name: r.name,
      values: { ...((r.params ?? {}) as Record<string, PcValue>), [metric.name]: Number(r.value) },
    }));
  const axes = [...new Set(s.trials.flatMap((r) => Object.keys(r.params ?? {})))].sort();
  return (
    <>
      <h2>Parameters against {metric.name}</h2>
      {scored.length && axes.length ? (
        <ParallelCoordinates runs={scored} axes={axes} metric={metric.name} goal={metric.goal} />
      ) : (
        <p className="muted">Parallel coordinates appear once runs have finished.</p>
      )}
      <h2>Parameter importance</h2>
      {s.importance.length === 0 && (
        <p className="muted">
          Rank correlation with {metric.name}, for parameters drawn from a numeric range (this sweep has
          none).
        </p>
      )}
      <ul>
        {s.importance.map((p) => (
          <li key={p.parameter}>
            {p.parameter}:{' '}
            {Number.isFinite(Number(p.spearman)) ? Number(p.spearman).toFixed(2) : 'not enough runs'}
          </li>
        ))}
      </ul>
    </>
  );
}
