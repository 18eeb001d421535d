'use client';
// Why a run stopped (a sweep's early stop names the sweep), and what can be done with it: stop it while it is
// queued or running, or re-run it with changes on the launch page.
import Link from 'next/link';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '@/gql';

export const RunStopDetailFields = graphql(`
  fragment RunStopDetailFields on Run {
    stopDetail
    sweep {
      id
      name
    }
  }
`);

export const RunControlsFields = graphql(`
  fragment RunControlsFields on Run {
    id
    status
    stopRequested
    project {
      name
    }
  }
`);

const Stop = graphql(`
  mutation StopRun($id: ID!) {
    stopRun(runId: $id) {
      id
      status
      stopRequested
    }
  }
`);

export function StopDetail(props: { run: FragmentType<typeof RunStopDetailFields> }) {
  const run = useFragment(RunStopDetailFields, props.run);
  if (!run.stopDetail) return null;
  return (
    <p data-testid="stop-detail">
      {run.sweep ? (
        <>
          Sweep <Link href={`/s/${run.sweep.id}`}>{run.sweep.name}</Link>:{' '}
        </>
      ) : null}
      {run.stopDetail}
    </p>
  );
}

export function RunControls(props: { run: FragmentType<typeof RunControlsFields> }) {
  const run = useFragment(RunControlsFields, props.run);
  const [stopping, stop] = useMutation(Stop);
  return (
    <p>
      {(run.status === 'running' || run.status === 'queued') && (
        <button
          type="button"
          className="primary"
          disabled={run.stopRequested || stopping.fetching}
          onClick={() => stop({ id: run.id })}
        >
          {run.stopRequested ? 'Stopping…' : 'Stop'}
        </button>
      )}{' '}
      <Link href={`/p/${encodeURIComponent(run.project.name)}/launch?from=${run.id}`}>
        Re-run with changes
      </Link>
    </p>
  );
}
