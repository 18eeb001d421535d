// Where a run came from and what came of it: the run (and step) it was forked from, and its forks with a link
// comparing them all.
import Link from 'next/link';
import { type FragmentType, graphql, useFragment } from '@/gql';

export const RunLineageFields = graphql(`
  fragment RunLineageFields on Run {
    id
    forkStep
    forkedFrom {
      id
      name
    }
    forks {
      id
      name
      forkStep
    }
  }
`);

export function RunLineage(props: { run: FragmentType<typeof RunLineageFields> }) {
  const run = useFragment(RunLineageFields, props.run);
  if (run.forkStep === null && run.forks.length === 0) return null;
  return (
    <p data-testid="lineage">
      {run.forkStep !== null && (
        <>
          Forked from{' '}
          {run.forkedFrom ? (
            <Link href={`/r/${run.forkedFrom.id}`}>{run.forkedFrom.name}</Link>
          ) : (
            'a deleted run'
          )}{' '}
          at step {run.forkStep} (its history before that step is the source's).{' '}
        </>
      )}
      {run.forks.length > 0 && (
        <>
          Forks:{' '}
          {run.forks.map((f, i) => (
            <span key={f.id}>
              {i > 0 && ', '}
              <Link href={`/r/${f.id}`}>{f.name}</Link> (step {f.forkStep})
            </span>
          ))}{' '}
          · <Link href={`/compare?runs=${[run.id, ...run.forks.map((f) => f.id)].join(',')}`}>compare</Link>
        </>
      )}
    </p>
  );
}
