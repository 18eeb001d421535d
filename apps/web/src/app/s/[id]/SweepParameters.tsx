// A sweep's parameters against its metric: a parallel-coordinates plot of the finished trials, and each
// parameter's importance as the API measures it (Spearman's ρ for numbers, the correlation ratio η for
// categories), every parameter listed, with what the number means.
import { type FragmentType, graphql, useFragment } from '@/gql';
import type { ImportanceMeasure } from '@/gql/graphql';
import { ParallelCoordinates, type PcValue } from '@/lib/ParallelCoordinates';
import { ScrollRegion } from '@/lib/ScrollRegion';
import type { SweepConfig } from './sweepConfig';

export const SweepParametersFields = graphql(`
  fragment SweepParametersFields on Sweep {
    importance {
      parameter
      measure
      value
      runs
    }
    trials {
      id
      name
      params
      value
    }
  }
`);

const MEASURE: Record<ImportanceMeasure, string> = {
  SPEARMAN: 'Spearman ρ',
  CORRELATION_RATIO: 'correlation ratio η',
  CONSTANT: 'constant',
};

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
      <p className="muted" data-testid="importance-help">
        How strongly each parameter goes with {metric.name} over the finished runs. For a number, Spearman's
        rank correlation ρ from −1 to 1: above 0, larger values go with a larger {metric.name} (
        {metric.goal === 'maximize' ? 'better' : 'worse'}, as this sweep {metric.goal}s it); below 0, with a
        smaller one. For a choice among values, the correlation ratio η from 0 to 1: how much of the spread of{' '}
        {metric.name} the choice explains (no direction). Near 0: no visible effect. Correlation, not cause.
      </p>
      <ScrollRegion label="Parameter importance">
        <table className="importance" data-testid="importance">
          <thead>
            <tr>
              <th scope="col">parameter</th>
              <th scope="col">measure</th>
              <th scope="col">value</th>
              <th scope="col">runs</th>
            </tr>
          </thead>
          <tbody>
            {s.importance.map((p) => (
              <tr key={p.parameter}>
                <th scope="row">{p.parameter}</th>
                <td>{MEASURE[p.measure]}</td>
                <td>
                  {p.value == null ? (
                    <span className="muted">
                      {p.measure === 'CONSTANT' ? 'not searched' : 'needs 3 finished runs'}
                    </span>
                  ) : (
                    <>
                      <meter
                        min={0}
                        max={1}
                        value={Math.abs(Number(p.value))}
                        aria-label={`${p.parameter} strength`}
                      />{' '}
                      {Number(p.value).toFixed(2)}
                    </>
                  )}
                </td>
                <td>{p.measure === 'CONSTANT' ? '' : p.runs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
