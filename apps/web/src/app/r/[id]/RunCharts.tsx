'use client';
// A run's metrics: a chart per metric in a section per split (server-downsampled to 1,000 buckets; smoothing,
// log scale, x axis and zoom in the URL), following the run live: new points arrive as events and the charts are
// refetched at most once a second (a zoomed view stays as it is; a zoomed range is refetched, so it comes back
// at full resolution).
import { useCallback } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { Chart } from '@/lib/Chart';
import { count } from '@/lib/format';
import { SplitSections } from '@/lib/SplitSections';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { useSearchState } from '@/lib/useSearchState';
import { ChartControls } from './ChartControls';

export const RunChartsFields = graphql(`
  fragment RunChartsFields on Run {
    id
    metricKeys
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

const MetricsAppended = graphql(`
  subscription RunMetricsAppended($runId: ID!) {
    metricsAppended(runId: $runId) {
      keys
    }
  }
`);

const num = (v: number | string) => Number(v);

export function RunCharts(props: {
  run: FragmentType<typeof RunChartsFields>;
  /** Points were appended (the run's key list, summary and console may have grown too). */
  onAppended: () => void;
}) {
  const run = useFragment(RunChartsFields, props.run);
  const [search, set] = useSearchState();
  const keys = run.metricKeys;
  const smoothing = Number(search.get('smooth') ?? 0.6);
  const log = search.get('log') === '1';
  // x: step, wallTime, relativeTime, or metric:<key> (another metric as the x-axis, e.g. epoch).
  const x = search.get('x') ?? 'step';
  const xKey = x.startsWith('metric:') ? x.slice('metric:'.length) : null;
  const xAxis = (xKey ? 'step' : x) as 'step' | 'wallTime' | 'relativeTime';
  const from = search.get('from') === null ? null : Number(search.get('from'));
  const to = search.get('to') === null ? null : Number(search.get('to'));
  const [{ data: metrics }, refetchMetrics] = useQuery({
    query: Metrics,
    variables: { id: run.id, xAxis, xKey, from, to },
    pause: !keys.length,
  });
  const refreshMetrics = useThrottle(() => {
    if (from === null) refetchMetrics({ requestPolicy: 'network-only' });
  }, 1000);
  useEvents(MetricsAppended, { runId: run.id }, () => {
    refreshMetrics();
    props.onAppended();
  });
  // uPlot's time axis counts seconds; the API's wall time is epoch milliseconds.
  const unit = xAxis === 'wallTime' ? 1000 : 1;
  const zoom = useCallback(
    (a: number, b: number) => set({ from: String(a * unit), to: String(b * unit) }),
    [set, unit],
  );
  return (
    <>
      <h2>Metrics</h2>
      <ChartControls view={{ smoothing, log, x, from, to }} keys={keys} set={set} />
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
    </>
  );
}
