'use client';
// A sweep: state and progress, counts by status, the best run so far, the best-so-far curve, parameter
// importance (Spearman), and its runs with the parameters each was given, best first (a virtualised table: a
// 10,000-trial sweep keeps a few dozen rows in the DOM). Pause, resume and cancel.
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import { Chart } from '@/lib/Chart';
import { ErrorLine } from '@/lib/ErrorLine';
import { ParallelCoordinates, type PcValue } from '@/lib/ParallelCoordinates';
import { Status } from '@/lib/Status';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { SweepRuns } from './SweepRuns';

const SweepQuery = graphql(`
  query Sweep($id: ID!) {
    sweep(id: $id) {
      id
      name
      project {
        name
      }
      state
      proposals
      config
      counts {
        status
        count
      }
      best {
        value
        run {
          id
          name
          sweepParams
        }
      }
      bestSoFar
      importance {
        parameter
        spearman
      }
      trials {
        id
        name
        params
        value
        ...SweepTrialFields
      }
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

const SweepRunUpdated = graphql(`
  subscription SweepRunUpdated($project: String!) {
    runUpdated(project: $project) {
      id
    }
  }
`);

export default function SweepPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }, refetch] = useQuery({ query: SweepQuery, variables: { id } });
  const [, steer] = useMutation(Steer);
  // Live: any change to the project's runs may be this sweep's; the page refetches at most once a second.
  const refresh = useThrottle(() => refetch({ requestPolicy: 'network-only' }), 1000);
  const projectName = data?.sweep.project.name;
  useEvents(SweepRunUpdated, projectName === undefined ? null : { project: projectName }, refresh);
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const s = data.sweep;
  const cfg = s.config as { metric: { name: string; goal: string }; run_cap?: number };
  const act = async (what: 'pause' | 'resume' | 'cancel') => {
    await steer({ id, pause: what === 'pause', resume: what === 'resume', cancel: what === 'cancel' });
    refetch({ requestPolicy: 'network-only' });
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
      <h2>Best</h2>
      {s.best ? (
        <p data-testid="best">
          {cfg.metric.name} = {Number(s.best.value).toPrecision(4)} —{' '}
          <Link href={`/r/${s.best.run.id}`}>{s.best.run.name}</Link>{' '}
          <code>{JSON.stringify(s.best.run.sweepParams)}</code>
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
      <h2>Parameters against {cfg.metric.name}</h2>
      {(() => {
        const scored = s.trials
          .filter((r) => r.value !== null && Number.isFinite(Number(r.value)))
          .map((r) => ({
            id: r.id,
            name: r.name,
            values: { ...((r.params ?? {}) as Record<string, PcValue>), [cfg.metric.name]: Number(r.value) },
          }));
        const axes = [...new Set(s.trials.flatMap((r) => Object.keys(r.params ?? {})))].sort();
        return scored.length && axes.length ? (
          <ParallelCoordinates
            runs={scored}
            axes={axes}
            metric={cfg.metric.name}
            goal={cfg.metric.goal as 'minimize' | 'maximize'}
          />
        ) : (
          <p className="muted">Parallel coordinates appear once runs have finished.</p>
        );
      })()}
      <h2>Parameter importance</h2>
      {s.importance.length === 0 && (
        <p className="muted">
          Rank correlation with {cfg.metric.name}, for parameters drawn from a numeric range (this sweep has
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
      <h2>Runs</h2>
      <SweepRuns trials={s.trials} metric={cfg.metric.name} goal={cfg.metric.goal} />
    </>
  );
}
