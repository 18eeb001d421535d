'use client';
// Generated samples by step: a slider over the steps a run logged its `samples` table at (one per evaluation),
// the latest first shown; each prompt with its completion. The slider follows new steps while it sits on the
// latest, and stays where it was put otherwise.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';

const SamplesQuery = graphql(`
  query RunSamples($id: ID!, $key: String!, $step: Float!) {
    run(id: $id) {
      id
      table(key: $key, step: $step, first: 100) {
        step
        columns
        edges {
          node {
            index
            cells
          }
        }
      }
    }
  }
`);

export function Samples({ runId, tableKey, steps }: { runId: string; tableKey: string; steps: number[] }) {
  const [picked, setPicked] = useState<number | null>(null);
  const i = picked === null ? steps.length - 1 : Math.min(picked, steps.length - 1);
  const step = steps[i];
  const [{ data, error }] = useQuery({
    query: SamplesQuery,
    variables: { id: runId, key: tableKey, step },
  });
  const table = data?.run.table;
  // (prompt, text) as the trainer logs them; a logText table has only `text`.
  const promptAt = table?.columns.indexOf('prompt') ?? -1;
  const textAt = table
    ? Math.max(
        table.columns.indexOf('text'),
        table.columns.length - 1 - (promptAt === table.columns.length - 1 ? 1 : 0),
      )
    : 0;
  return (
    <>
      <h2>Samples</h2>
      <div className="toolbar">
        <label htmlFor="samples-step">Step</label>
        <input
          id="samples-step"
          type="range"
          min={0}
          max={steps.length - 1}
          value={i}
          disabled={steps.length < 2}
          data-testid="samples-slider"
          aria-valuetext={`step ${step}`}
          onChange={(e) => {
            const v = Number(e.target.value);
            setPicked(v === steps.length - 1 ? null : v);
          }}
        />
        <output data-testid="samples-step">
          step {step}{' '}
          <span className="muted">
            ({i + 1} of {steps.length})
          </span>
        </output>
      </div>
      <ErrorLine error={error} />
      {table && table.step === step && (
        <ol className="samples" data-testid="samples">
          {table.edges.map(({ node }) => (
            <li key={node.index}>
              <pre style={{ whiteSpace: 'pre-wrap' }}>
                {promptAt >= 0 && <strong>{String(node.cells[promptAt] ?? '')}</strong>}
                {String(node.cells[textAt] ?? '')}
              </pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
