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
import { fmt } from '@/lib/format';
import { ParallelCoordinates, type PcValue } from '@/lib/ParallelCoordinates';
import { Status } from '@/lib/Status';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { SpacerRow, useVirtualRows } from '@/lib/VirtualRows';

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
        status
        params
        value
        stopDetail
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

export default function SweepPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }, refetch] = useQuery({ query: SweepQuery, variables: { id } });
  const [, steer] = useMutation(Steer);
  // Live: any change to the project's runs may be this sweep's; the page refetches at most once a second.
  const refresh = useThrottle(() => refetch({ requestPolicy: 'network-only' }), 1000);
  const projectName = data?.sweep.project.name;
  useEvents(
    projectName ? `subscription { runUpdated(project: ${JSON.stringify(projectName)}) { id } }` : null,
    refresh,
  );
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

type Trial = {
  id: string;
  name: string;
  status: string;
  params?: unknown;
  value?: unknown;
  stopDetail?: string | null;
};

/** The sweep's runs, best first by the metric (runs without it after, newest first), virtualised. */
function SweepRuns({ trials, metric, goal }: { trials: Trial[]; metric: string; goal: string }) {
  const sign = goal === 'maximize' ? -1 : 1;
  const sorted = trials
    .map((r, i) => ({ r, i, v: r.value == null ? Number.NaN : Number(r.value) }))
    .sort((a, b) => {
      const [fa, fb] = [Number.isFinite(a.v), Number.isFinite(b.v)];
      if (fa !== fb) return fa ? -1 : 1;
      return fa ? sign * (a.v - b.v) : b.i - a.i;
    })
    .map((x) => x.r);
  const { scroller, items, above, below } = useVirtualRows(sorted.length);
  return (
    <div className="scroller" ref={scroller} style={{ height: 'auto', maxHeight: '28rem' }}>
      <table className="runs">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">status</th>
            <th scope="col">parameters</th>
            <th scope="col">{metric}</th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={above} colSpan={4} />
          {items.map((v) => {
            const r = sorted[v.index];
            return (
              <tr key={r.id} data-testid="sweep-run" style={{ height: v.size }}>
                <td>
                  <Link href={`/r/${r.id}`}>{r.name}</Link>
                </td>
                <td title={r.stopDetail ?? undefined}>
                  <Status of={r.status} />
                </td>
                <td>
                  <code>{JSON.stringify(r.params)}</code>
                </td>
                <td title={r.value == null ? undefined : String(r.value)}>
                  {r.value == null ? '' : fmt(Number(r.value))}
                </td>
              </tr>
            );
          })}
          <SpacerRow height={below} colSpan={4} />
        </tbody>
      </table>
    </div>
  );
}
