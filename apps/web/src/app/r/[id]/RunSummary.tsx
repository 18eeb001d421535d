// A run's summary: a metric per row, a split per column, confusion matrices as matrices (lib/SummaryTable).
import { type FragmentType, graphql, useFragment } from '@/gql';
import { SummaryTable } from '@/lib/SummaryTable';

export const RunSummaryFields = graphql(`
  fragment RunSummaryFields on Run {
    summary
  }
`);

export function RunSummary(props: { run: FragmentType<typeof RunSummaryFields> }) {
  const run = useFragment(RunSummaryFields, props.run);
  return (
    <>
      <h2>Summary</h2>
      <SummaryTable summary={run.summary} />
    </>
  );
}
