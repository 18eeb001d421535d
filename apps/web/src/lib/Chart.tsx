'use client';
// One metric's chart (uPlot): the server's downsampled buckets, the min–max band kept (spikes survive), the
// mean line faint beneath its EMA-smoothed version, linear or log y.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tickLabels } from './format';
import { themedAxis, useResolvedTheme } from './theme';

export interface Bucket {
  x: number;
  min: number;
  max: number;
  mean: number;
}

/** Exponential moving average, debiased like TensorBoard's smoothing (weight in [0, 1)). */
export function ema(ys: number[], weight: number): number[] {
  let last = 0;
  let debias = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    debias = debias * weight + (1 - weight);
    return last / debias;
  });
}

export function Chart({
  title,
  buckets,
  smoothing,
  log,
  xLabel = 'step',
  onZoom,
}: {
  title: string;
  buckets: Bucket[];
  smoothing: number;
  log: boolean;
  xLabel?: string;
  /** Called with the x range the user selected by dragging (the page refetches it at full resolution). */
  onZoom?: (from: number, to: number) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const theme = useResolvedTheme(); // redrawn in the other palette when it changes
  useEffect(() => {
    if (!el.current) return;
    const xs = buckets.map((b) => b.x);
    const mean = buckets.map((b) => b.mean);
    const data: uPlot.AlignedData = [
      xs,
      buckets.map((b) => b.min),
      buckets.map((b) => b.max),
      mean,
      ema(mean, smoothing),
    ];
    const plot = new uPlot(
      {
        title,
        width: el.current.clientWidth || 520,
        height: 240,
        scales: { x: { time: xLabel === 'wall time' }, y: { distr: log ? 3 : 1 } },
        // Dragging selects an x range: hand it to the page instead of zooming the loaded buckets.
        cursor: { drag: { x: true, y: false, setScale: !onZoom } },
        hooks: {
          setSelect: [
            (u) => {
              if (!onZoom || u.select.width < 2) return;
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              onZoom(from, to);
            },
          ],
        },
        series: [
          { label: xLabel },
          { label: 'min', stroke: 'rgba(37,99,235,0.25)' },
          { label: 'max', stroke: 'rgba(37,99,235,0.25)' },
          { label: 'raw', stroke: 'rgba(37,99,235,0.35)' },
          { label: smoothing ? `EMA ${smoothing}` : 'value', stroke: '#2563eb', width: 2 },
        ],
        bands: [{ series: [2, 1], fill: 'rgba(37,99,235,0.08)' }],
        axes: [themedAxis(), { ...themedAxis(), values: tickLabels }],
      },
      data,
      el.current,
    );
    return () => plot.destroy();
  }, [title, buckets, smoothing, log, xLabel, onZoom, theme]);
  return <div ref={el} data-testid="chart" />;
}
