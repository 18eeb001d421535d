'use client';
// A run: status, config, summary, and a chart per metric (server-downsampled; smoothing and log scale in the URL).
import Link from 'next/link';
import { useParams, useRouter, useSearchParams } from 'next/navigation';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import { Chart } from '@/lib/Chart';

const RunQuery = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      id
      name
      status
      tags
      config
      summary
      createdAt
      host
      metricKeys
      stopRequested
      project {
        name
      }
      logs(first: 200) {
        seq
        stream
        line
      }
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

const Metrics = graphql(`
  query RunMetrics($id: ID!, $keys: [String!]!) {
    run(id: $id) {
      id
      metrics(keys: $keys, samples: 1000) {
        key
        count
        buckets {
          x
          min
          max
          mean
        }
      }
    }
  }
`);

const num = (v: number | string) => Number(v);

export default function RunPage() {
  const { id } = useParams<{ id: string }>();
  const search = useSearchParams();
  const router = useRouter();
  const smoothing = Number(search.get('smooth') ?? 0.6);
  const log = search.get('log') === '1';
  const [{ data, error }] = useQuery({ query: RunQuery, variables: { id } });
  const [stopping, stop] = useMutation(Stop);
  const keys = data?.run.metricKeys ?? [];
  const [{ data: metrics }] = useQuery({ query: Metrics, variables: { id, keys }, pause: !keys.length });
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(search.toString());
    p.set(k, v);
    router.replace(`?${p.toString()}`);
  };
  if (error) return <p className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const run = data.run;
  return (
    <>
      <p>
        <Link href={`/p/${encodeURIComponent(run.project.name)}`}>{run.project.name}</Link>
      </p>
      <h1>
        {run.name} <span className={`status status-${run.status}`}>{run.status}</span>
      </h1>
      <p className="muted">
        {run.id} · {new Date(run.createdAt).toLocaleString()} {run.host ? `· ${run.host}` : ''}{' '}
        {run.tags.join(', ')}
      </p>
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
      <h2>Metrics</h2>
      <label>
        Smoothing{' '}
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(e) => set('smooth', e.target.value)}
        />{' '}
        {smoothing.toFixed(2)}
      </label>{' '}
      <label>
        <input type="checkbox" checked={log} onChange={(e) => set('log', e.target.checked ? '1' : '0')} /> log
        scale
      </label>
      {!keys.length && <p className="muted">No metrics logged yet.</p>}
      <div className="charts">
        {metrics?.run.metrics.map((s) => (
          <Chart
            key={s.key}
            title={`${s.key} (${s.count} points)`}
            smoothing={smoothing}
            log={log}
            buckets={s.buckets.map((b) => ({
              x: num(b.x),
              min: num(b.min),
              max: num(b.max),
              mean: num(b.mean),
            }))}
          />
        ))}
      </div>
      <h2>Summary</h2>
      <pre data-testid="summary">{JSON.stringify(run.summary, null, 2)}</pre>
      <h2>Config</h2>
      <pre>{JSON.stringify(run.config, null, 2)}</pre>
      <h2>Console</h2>
      {run.logs.length === 0 ? (
        <p className="muted">No console output.</p>
      ) : (
        <pre data-testid="logs">{run.logs.map((l) => l.line).join('\n')}</pre>
      )}
    </>
  );
}
