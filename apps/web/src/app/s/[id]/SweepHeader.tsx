'use client';
// A sweep's heading: its name and state, progress (runs proposed of its cap), its metric, its runs counted by
// status; pause, resume and cancel.
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { Status } from '@/lib/Status';
import type { SweepConfig } from './sweepConfig';

export const SweepHeaderFields = graphql(`
  fragment SweepHeaderFields on Sweep {
    id
    name
    state
    proposals
    counts {
      status
      count
    }
  }
`);

const Steer = graphql(`
  mutation SteerSweep($id: ID!, $pause: Boolean!, $resume: Boolean!, $cancel: Boolean!) {
    pauseSweep(id: $id) @include(if: $pause) {
      id
      state
    }
    resumeSweep(id: $id) @include(if: $resume) {
      id
      state
    }
    cancelSweep(id: $id) @include(if: $cancel) {
      id
      state
    }
  }
`);

export function SweepHeader(props: {
  sweep: FragmentType<typeof SweepHeaderFields>;
  config: SweepConfig;
  /** After a steer: the page's query again. */
  onSteered: () => void;
}) {
  const s = useFragment(SweepHeaderFields, props.sweep);
  const cfg = props.config;
  const [, steer] = useMutation(Steer);
  const act = async (what: 'pause' | 'resume' | 'cancel') => {
    await steer({ id: s.id, pause: what === 'pause', resume: what === 'resume', cancel: what === 'cancel' });
    props.onSteered();
  };
  return (
    <>
      <h1>
        {s.name} <Status of={s.state} />
      </h1>
      <p className="muted" data-testid="progress">
        {s.proposals} of {cfg.run_cap ?? '∞'} runs proposed · {cfg.metric.goal} {cfg.metric.name} ·{' '}
        {s.counts.map((c) => `${c.count} ${c.status}`).join(', ') || 'no runs yet'}
      </p>
      <p>
        {s.state === 'running' && (
          <button type="button" className="primary" onClick={() => act('pause')}>
            Pause
          </button>
        )}
        {s.state === 'paused' && (
          <button type="button" className="primary" onClick={() => act('resume')}>
            Resume
          </button>
        )}{' '}
        {(s.state === 'running' || s.state === 'paused') && (
          <button type="button" onClick={() => act('cancel')}>
            Cancel
          </button>
        )}
      </p>
    </>
  );
}
