// Parallel coordinates and a scatter plot (SVG) for "parameters against a metric" views (sweep page, compare).
// Past SVG_LINES runs (a large sweep: 10,000 trials) the lines go onto a canvas under the SVG axes, so the page
// stays fast; each line is an SVG element with its run's values as a tooltip below that.
// Numeric axes are linear, or logarithmic where every value is > 0 and they span more than two decades;
// string (categorical) axes place their distinct values evenly. Lines and points are coloured by the metric
// (blue = the good end of the goal).
import { useEffect, useRef } from 'react';
import { ScrollRegion } from './ScrollRegion';

export type PcValue = number | string;

/** Up to this many runs, each line is an SVG polyline (with a tooltip); beyond, the lines are drawn on a canvas. */
const SVG_LINES = 500;

export interface PcRun {
  id: string;
  name: string;
  values: Record<string, PcValue | undefined>;
}

type Goal = 'minimize' | 'maximize';

interface Axis {
  label: (v: PcValue) => string;
  /** Position in [0, 1] (0 = bottom / left), or null where the value does not fit this axis. */
  at: (v: PcValue | undefined) => number | null;
  ticks: string[];
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(3));

function axisOf(runs: PcRun[], key: string): Axis {
  const vs = runs.map((r) => r.values[key]).filter((v) => v !== undefined);
  const nums = vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (nums.length && nums.length === vs.length) {
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    const log = lo > 0 && hi / lo > 100;
    const t = (v: number) => (log ? Math.log(v) : v);
    return {
      label: (v) => fmt(Number(v)),
      at: (v) =>
        typeof v !== 'number' || !Number.isFinite(v)
          ? null
          : hi === lo
            ? 0.5
            : (t(v) - t(lo)) / (t(hi) - t(lo)),
      ticks: lo === hi ? [fmt(lo)] : [fmt(lo), `${fmt(hi)}${log ? ' (log)' : ''}`],
    };
  }
  const cats = [...new Set(vs.map(String))].sort();
  return {
    label: String,
    at: (v) => (v === undefined ? null : cats.length < 2 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1)),
    ticks: cats,
  };
}

function colourer(runs: PcRun[], metric: string, goal: Goal) {
  const ms = runs.map((r) => r.values[metric]).filter((v): v is number => typeof v === 'number');
  const [lo, hi] = [Math.min(...ms), Math.max(...ms)];
  return (v: PcValue | undefined) => {
    const f = typeof v !== 'number' || hi === lo ? 0.5 : (v - lo) / (hi - lo);
    return `hsl(${Math.round(20 + 200 * (goal === 'minimize' ? 1 - f : f))}, 75%, 45%)`;
  };
}

export function ParallelCoordinates({
  runs,
  axes,
  metric,
  goal,
}: {
  runs: PcRun[];
  axes: string[];
  metric: string;
  goal: Goal;
}) {
  const all = [...axes, metric];
  const [W, H, pad] = [Math.max(360, 160 * all.length), 280, 44];
  const scales = all.map((a) => axisOf(runs, a));
  const x = (i: number) => pad + (i * (W - 2 * pad)) / Math.max(1, all.length - 1);
  const y = (f: number) => H - pad - f * (H - 2 * pad);
  const colour = colourer(runs, metric, goal);
  /** A run's line as points, or null where a value does not fit its axis. */
  const line = (r: PcRun) => {
    const fs = all.map((a, i) => scales[i].at(r.values[a]));
    return fs.some((f) => f === null) ? null : fs.map((f, i) => [x(i), y(f as number)] as const);
  };
  const onCanvas = runs.length > SVG_LINES;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current?.getContext('2d');
    if (!onCanvas || !c) return;
    const dpr = window.devicePixelRatio || 1;
    c.canvas.width = W * dpr;
    c.canvas.height = H * dpr;
    c.scale(dpr, dpr);
    c.lineWidth = 1;
    c.globalAlpha = 0.35;
    for (const r of runs) {
      const pts = line(r);
      if (!pts) continue;
      c.strokeStyle = colour(r.values[metric]);
      c.beginPath();
      c.moveTo(pts[0][0], pts[0][1]);
      for (const [px, py] of pts.slice(1)) c.lineTo(px, py);
      c.stroke();
    }
    c.canvas.dataset.drawn = String(runs.length);
  });
  const svg = (
    <svg
      width={W}
      height={H}
      role="img"
      aria-label={`parallel coordinates of ${all.join(', ')}`}
      data-testid="parcoords"
      data-lines={runs.length}
      style={onCanvas ? { position: 'absolute', inset: 0 } : undefined}
    >
      {runs.map((r) => {
        if (onCanvas) return null;
        const pts = line(r);
        if (!pts) return null;
        return (
          <polyline
            key={r.id}
            points={pts.map(([px, py]) => `${px},${py}`).join(' ')}
            fill="none"
            stroke={colour(r.values[metric])}
            strokeWidth={1.5}
          >
            <title>
              {r.name}: {all.map((a) => `${a}=${r.values[a]}`).join(', ')}
            </title>
          </polyline>
        );
      })}
      {all.map((a, i) => (
        <g key={a}>
          <line x1={x(i)} x2={x(i)} y1={pad} y2={H - pad} stroke="currentColor" strokeOpacity={0.4} />
          <text x={x(i)} y={pad - 16} textAnchor="middle" fontSize={12} fill="currentColor">
            {a}
          </text>
          {scales[i].ticks.map((t, j, ts) => (
            <text
              key={t}
              x={x(i) + 4}
              y={y(ts.length < 2 ? 0.5 : j / (ts.length - 1)) + 4}
              fontSize={10}
              fill="currentColor"
              opacity={0.7}
            >
              {t}
            </text>
          ))}
        </g>
      ))}
    </svg>
  );
  // One axis needs ~160 px: wider than the screen, the plot scrolls in its own box (never the page).
  return (
    <ScrollRegion label="Parallel coordinates" className="plot-scroll">
      {onCanvas ? (
        <div style={{ position: 'relative', width: W, height: H }}>
          <canvas ref={canvas} style={{ width: W, height: H }} data-testid="parcoords-canvas" />
          {svg}
        </div>
      ) : (
        svg
      )}
    </ScrollRegion>
  );
}

export function Scatter({
  runs,
  xKey,
  metric,
  goal,
}: {
  runs: PcRun[];
  xKey: string;
  metric: string;
  goal: Goal;
}) {
  const [W, H, pad] = [480, 300, 48];
  const [ax, ay] = [axisOf(runs, xKey), axisOf(runs, metric)];
  const colour = colourer(runs, metric, goal);
  const px = (f: number) => pad + f * (W - 2 * pad);
  const py = (f: number) => H - pad - f * (H - 2 * pad);
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      className="fit"
      role="img"
      aria-label={`${metric} against ${xKey}`}
      data-testid="scatter"
    >
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} stroke="currentColor" strokeOpacity={0.4} />
      <line x1={pad} x2={pad} y1={pad} y2={H - pad} stroke="currentColor" strokeOpacity={0.4} />
      {runs.map((r) => {
        const [fx, fy] = [ax.at(r.values[xKey]), ay.at(r.values[metric])];
        if (fx === null || fy === null) return null;
        return (
          <circle key={r.id} cx={px(fx)} cy={py(fy)} r={5} fill={colour(r.values[metric])}>
            <title>
              {r.name}: {xKey}={r.values[xKey]}, {metric}={r.values[metric]}
            </title>
          </circle>
        );
      })}
      {ax.ticks.map((t, j, ts) => (
        <text
          key={t}
          x={px(ts.length < 2 ? 0.5 : j / (ts.length - 1))}
          y={H - pad + 16}
          textAnchor="middle"
          fontSize={10}
          fill="currentColor"
        >
          {t}
        </text>
      ))}
      {ay.ticks.map((t, j, ts) => (
        <text
          key={t}
          x={pad - 4}
          y={py(ts.length < 2 ? 0.5 : j / (ts.length - 1))}
          textAnchor="end"
          fontSize={10}
          fill="currentColor"
        >
          {t}
        </text>
      ))}
      <text x={W / 2} y={H - 8} textAnchor="middle" fontSize={12} fill="currentColor">
        {xKey}
      </text>
      <text x={12} y={pad - 16} fontSize={12} fill="currentColor">
        {metric}
      </text>
    </svg>
  );
}
