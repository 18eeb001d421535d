'use client';
// A run: status, summary (a metric per row, a split per column), config, artifacts, console (per attempt),
// and a chart per metric in a section per split (server-downsampled; smoothing, log scale, x axis and zoom in the URL), all
// following the run live while it trains.
import Link from 'next/link';
import { useParams, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import { Chart } from '@/lib/Chart';
import { ErrorLine } from '@/lib/ErrorLine';
import { count } from '@/lib/format';
import { JsonTree } from '@/lib/JsonTree';
import { SplitSections } from '@/lib/SplitSections';
import { Status } from '@/lib/Status';
import { SummaryTable } from '@/lib/SummaryTable';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { Artifacts } from './Artifacts';
import { Console } from './Console';
import { Details } from './Details';

const RunQuery = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      id
      name
      status
      tags
      notes
      config
      summary
      createdAt
      host
      gpu
      metricKeys
      stopRequested
      stopDetail
      sweep {
        id
        name
      }
      project {
        name
      }
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
      ...ConsoleFields
      ...RunArtifacts
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
  query RunMetrics($id: ID!, $xAxis: XAxis, $xKey: String, $from: Float, $to: Float) {
    run(id: $id) {
      id
      metrics(xAxis: $xAxis, xKey: $xKey, from: $from, to: $to, samples: 1000) {
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
  const [{ data, error }, refetchRun] = useQuery({ query: RunQuery, variables: { id } });
  const [stopping, stop] = useMutation(Stop);
  const keys = data?.run.metricKeys ?? [];
  // x axis and zoom live in the URL; a zoomed range is refetched, so it comes back at full resolution.
  // x: step, wallTime, relativeTime, or metric:<key> (another metric as the x-axis, e.g. epoch).
  const x = search.get('x') ?? 'step';
  const xKey = x.startsWith('metric:') ? x.slice('metric:'.length) : null;
  const xAxis = (xKey ? 'step' : x) as 'step' | 'wallTime' | 'relativeTime';
  const from = search.get('from') === null ? null : Number(search.get('from'));
  const to = search.get('to') === null ? null : Number(search.get('to'));
  const [{ data: metrics }, refetchMetrics] = useQuery({
    query: Metrics,
    variables: { id, xAxis, xKey, from, to },
    pause: !keys.length,
  });
  // Live: status changes and new points arrive as events; the run (status, summary, console) and its charts are
  // refetched at most once a second while they come. A zoomed view stays as it is.
  const run0 = data?.run;
  const refreshRun = useThrottle(() => refetchRun({ requestPolicy: 'network-only' }), 1000);
  const refreshMetrics = useThrottle(() => {
    if (from === null) refetchMetrics({ requestPolicy: 'network-only' });
  }, 1000);
  useEvents<{ runUpdated: { id: string } }>(
    run0 ? `subscription { runUpdated(project: ${JSON.stringify(run0.project.name)}) { id } }` : null,
    (d) => d.runUpdated.id === id && refreshRun(),
  );
  useEvents<{ metricsAppended: { keys: string[] } }>(
    run0 ? `subscription { metricsAppended(runId: ${JSON.stringify(id)}) { keys } }` : null,
    (d) => {
      // A key not charted yet needs the run's key list first.
      if (d.metricsAppended.keys.some((k) => !keys.includes(k))) refreshRun();
      refreshMetrics();
      refreshRun(); // the console grows too
    },
  );
  const set = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(changes)) v === null ? p.delete(k) : p.set(k, v);
    router.replace(`?${p.toString()}`);
  };
  // uPlot's time axis counts seconds; the API's wall time is epoch milliseconds.
  const unit = xAxis === 'wallTime' ? 1000 : 1;
  const zoom = useCallback(
    (a: number, b: number) => set({ from: String(a * unit), to: String(b * unit) }),
    [search, unit],
  );
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const run = data.run;
  // The WebGPU adapter the run trained on, as the trainer reported it.
  const gpu = run.gpu as {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    software?: boolean;
  } | null;
  return (
    <>
      <p>
        <Link href={`/p/${encodeURIComponent(run.project.name)}`}>{run.project.name}</Link>
      </p>
      <h1>
        {run.name} <Status of={run.status} />
      </h1>
      <p className="muted">
        {run.id} · {new Date(run.createdAt).toLocaleString()} {run.host ? `· ${run.host}` : ''}{' '}
        {gpu && (
          <span
            data-testid="gpu"
            title={[gpu.vendor, gpu.architecture, gpu.device].filter(Boolean).join(' ')}
          >
            · {gpu.description || gpu.device}
            {gpu.software ? ' (software)' : ''}{' '}
          </span>
        )}
        {run.tags.join(', ')}
      </p>
      {run.notes && (
        <p className="notes" data-testid="notes">
          {run.notes}
        </p>
      )}
      <Details key={run.id} run={run} />
      {run.stopDetail && (
        <p data-testid="stop-detail">
          {run.sweep ? (
            <>
              Sweep <Link href={`/s/${run.sweep.id}`}>{run.sweep.name}</Link>:{' '}
            </>
          ) : null}
          {run.stopDetail}
        </p>
      )}
      {(run.forkStep !== null || run.forks.length > 0) && (
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
              ·{' '}
              <Link href={`/compare?runs=${[run.id, ...run.forks.map((f) => f.id)].join(',')}`}>compare</Link>
            </>
          )}
        </p>
      )}
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
      <h2>Summary</h2>
      <SummaryTable summary={run.summary} />
      <h2>Metrics</h2>
      <label>
        Smoothing{' '}
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(e) => set({ smooth: e.target.value })}
        />{' '}
        {smoothing.toFixed(2)}
      </label>{' '}
      <label>
        <input type="checkbox" checked={log} onChange={(e) => set({ log: e.target.checked ? '1' : '0' })} />{' '}
        log scale
      </label>{' '}
      <label>
        x axis{' '}
        <select name="x" value={x} onChange={(e) => set({ x: e.target.value, from: null, to: null })}>
          <option value="step">step</option>
          <option value="wallTime">wall time</option>
          <option value="relativeTime">relative time (s)</option>
          <optgroup label="a metric">
            {keys.map((k) => (
              <option key={k} value={`metric:${k}`}>
                {k}
              </option>
            ))}
          </optgroup>
        </select>
      </label>{' '}
      <form
        className="zoom"
        aria-label="zoom to a range"
        key={`${from}-${to}`}
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const [a, b] = [Number(f.get('from')), Number(f.get('to'))];
          if (f.get('from') !== '' && f.get('to') !== '' && a < b) set({ from: String(a), to: String(b) });
        }}
      >
        <label>
          from <input name="from" size={8} inputMode="decimal" defaultValue={from ?? ''} />
        </label>{' '}
        <label>
          to <input name="to" size={8} inputMode="decimal" defaultValue={to ?? ''} />
        </label>{' '}
        <button type="submit">Zoom</button>{' '}
        {from !== null && (
          <button type="button" onClick={() => set({ from: null, to: null })}>
            Reset zoom ({from.toFixed(0)}–{to?.toFixed(0)})
          </button>
        )}
        <span className="muted"> (or drag across a chart)</span>
      </form>
      {!keys.length ? (
        <p className="muted">No metrics logged yet.</p>
      ) : (
        <p>
          <a href={`/r/${run.id}/history.csv`} download data-testid="history-csv">
            Download the history (CSV)
          </a>{' '}
          <span className="muted">— every point, a row per step, a column per metric</span>
        </p>
      )}
      <SplitSections
        entries={(metrics?.run.metrics ?? []).filter((s) => s.key !== xKey).map((s) => [s.key, s])}
        points={(s) => s.count}
        render={(s) => (
          <Chart
            key={s.key}
            title={`${s.key} (${count(s.count, 'point')})`}
            smoothing={smoothing}
            log={log}
            xLabel={xKey ?? (xAxis === 'step' ? 'step' : xAxis === 'wallTime' ? 'wall time' : 'seconds')}
            onZoom={zoom}
            buckets={s.buckets.map((b) => ({
              x: num(b.x) / unit,
              min: num(b.min),
              max: num(b.max),
              mean: num(b.mean),
            }))}
          />
        )}
      />
      <h2>Config</h2>
      <JsonTree value={run.config} testId="config" depth={1} />
      <Artifacts run={run} />
      <Console runId={id} run={run} />
    </>
  );
}
