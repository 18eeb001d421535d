// The resolved config a run trained with, as a foldable tree (the first level open).
import { type FragmentType, graphql, useFragment } from '@/gql';
import { JsonTree } from '@/lib/JsonTree';

export const RunConfigFields = graphql(`
  fragment RunConfigFields on Run {
    config
  }
`);

export function RunConfig(props: { run: FragmentType<typeof RunConfigFields> }) {
  const run = useFragment(RunConfigFields, props.run);
  return (
    <>
      <h2>Config</h2>
      <JsonTree value={run.config} testId="config" depth={1} />
    </>
  );
}
