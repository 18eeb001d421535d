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

// ---- Workspace panels: several series on one chart ------------------------------------------------------------

/** One line (a run's or a group's metric): x and y, an optional min–max band; NaN/±Inf y values are markers. */
export interface PlotSeries {
  label: string;
  colour: string;
  xs: number[];
  ys: number[];
  lo?: number[];
  hi?: number[];
}

export interface PlotOptions {
  mode?: 'line' | 'points' | 'bars';
  xLabel?: string;
  /** x is epoch milliseconds. */
  xTime?: boolean;
  smoothing?: number;
  logX?: boolean;
  logY?: boolean;
  yMin?: number | null;
  yMax?: number | null;
  /** x tick labels for a categorical x (bars): the label of each integer x. */
  xNames?: string[];
  height?: number;
  /** uPlot's legend with the values under the cursor (fullscreen; a grid of small panels shares one legend). */
  legend?: boolean;
}

/** A non-finite value kept as a marker: at the top edge (NaN, +Inf) or the bottom edge (-Inf). */
export interface NonFinite {
  x: number;
  kind: 'NaN' | '+Inf' | '-Inf';
  colour: string;
  label: string;
}

const kindOf = (y: number): NonFinite['kind'] => (Number.isNaN(y) ? 'NaN' : y > 0 ? '+Inf' : '-Inf');
const finiteOrNull = (y: number | undefined) => (y !== undefined && Number.isFinite(y) ? y : null);

/**
 * uPlot's aligned data for the series: one x (their x values joined; gaps where a series has none), per series
 * the band (lo, hi) when it has one, the raw line when smoothed, and the (smoothed) line; and the non-finite
 * points, which uPlot would otherwise drop.
 */
export function alignSeries(series: PlotSeries[], o: PlotOptions) {
  const same =
    series.length > 0 &&
    series.every((s) => s.xs.length === series[0].xs.length && s.xs.every((x, i) => x === series[0].xs[i]));
  const xs = same ? series[0].xs : [...new Set(series.flatMap((s) => s.xs))].sort((a, b) => a - b);
  const at = (s: PlotSeries, vs: number[] | undefined): (number | null)[] => {
    if (!vs) return xs.map(() => null);
    if (same) return vs.map(finiteOrNull);
    const m = new Map<number, number>();
    for (let i = 0; i < s.xs.length; i++) m.set(s.xs[i], vs[i]);
    return xs.map((x) => finiteOrNull(m.get(x)));
  };
  const nonFinite: NonFinite[] = [];
  const cols: (number | null)[][] = [];
  const specs: uPlot.Series[] = [];
  const bands: uPlot.Band[] = [];
  const smoothing = o.smoothing ?? 0;
  for (const s of series) {
    s.ys.forEach((y, i) => {
      if (!Number.isFinite(y))
        nonFinite.push({ x: s.xs[i], kind: kindOf(y), colour: s.colour, label: s.label });
    });
    if (s.lo && s.hi) {
      cols.push(at(s, s.hi), at(s, s.lo));
      specs.push(
        { label: `${s.label} max`, stroke: 'transparent', points: { show: false }, spanGaps: true },
        { label: `${s.label} min`, stroke: 'transparent', points: { show: false }, spanGaps: true },
      );
      bands.push({ series: [cols.length, cols.length + 1] as [number, number], fill: `${s.colour}22` });
    }
    const line = at(s, s.ys);
    if (smoothing > 0 && o.mode !== 'points' && o.mode !== 'bars') {
      cols.push(line);
      specs.push({
        label: `${s.label} raw`,
        stroke: `${s.colour}44`,
        width: 1,
        spanGaps: true,
        points: { show: false },
      });
      const sm = ema(
        line.map((v) => (v === null ? Number.NaN : v)),
        smoothing,
      );
      cols.push(sm.map(finiteOrNull));
    } else cols.push(line);
    specs.push(
      o.mode === 'points'
        ? {
            label: s.label,
            stroke: s.colour,
            fill: s.colour,
            paths: () => null,
            points: { show: true, size: 7, fill: s.colour },
          }
        : o.mode === 'bars'
          ? {
              label: s.label,
              stroke: s.colour,
              fill: `${s.colour}bb`,
              paths: uPlot.paths.bars?.({ size: [0.7, 60] }),
              points: { show: false },
            }
          : { label: s.label, stroke: s.colour, width: 1.5, spanGaps: true, points: { show: false } },
    );
  }
  return { data: [xs, ...cols] as uPlot.AlignedData, specs, bands, nonFinite };
}

/** A chart of several series: line, points or bars; smoothing with the raw line faint beneath; log axes; y range. */
export function PlotChart({
  title,
  series,
  options,
  width,
  onPlot,
}: {
  title: string;
  series: PlotSeries[];
  options: PlotOptions;
  /** CSS pixels; the container's width when omitted. */
  width?: number;
  /** The uPlot instance (for export), or null when destroyed. */
  onPlot?: (u: uPlot | null) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = el.current;
    if (!box) return;
    const t0 = performance.now();
    const { data, specs, bands, nonFinite } = alignSeries(series, options);
    const { yMin, yMax, logY, logX } = options;
    const dpr = window.devicePixelRatio || 1;
    const plot = new uPlot(
      {
        width: width ?? (box.clientWidth || 420),
        height: options.height ?? 220,
        legend: { show: !!options.legend },
        scales: {
          x: { time: !!options.xTime, distr: logX ? 3 : 1 },
          y: {
            distr: logY ? 3 : 1,
            range: (_u, lo, hi) => {
              const a = yMin ?? lo;
              const b = yMax ?? hi;
              if (a === b) return [a - (Math.abs(a) || 1) * 0.1, b + (Math.abs(b) || 1) * 0.1];
              return [a, b];
            },
          },
        },
        series: [{ label: options.xLabel ?? 'x' }, ...specs],
        bands,
        axes: [
          options.xNames
            ? {
                values: (_u, ticks) =>
                  ticks.map((v) => (Number.isInteger(v) ? (options.xNames?.[v] ?? '') : '')),
              }
            : options.xTime
              ? {}
              : { values: tickLabels },
          { values: tickLabels },
        ],
        hooks: {
          draw: [
            (u) => {
              // NaN and ±Inf: a triangle at the top (NaN: hollow) or bottom edge, in the series' colour.
              const c = u.ctx;
              let drawn = 0;
              for (const p of nonFinite) {
                const cx = u.valToPos(p.x, 'x', true);
                if (!Number.isFinite(cx)) continue;
                const top = p.kind !== '-Inf';
                const cy = top ? u.bbox.top + 6 * dpr : u.bbox.top + u.bbox.height - 6 * dpr;
                const s = 5 * dpr;
                c.beginPath();
                c.moveTo(cx - s, top ? cy - s : cy + s);
                c.lineTo(cx + s, top ? cy - s : cy + s);
                c.lineTo(cx, top ? cy + s : cy - s);
                c.closePath();
                c.strokeStyle = p.colour;
                c.fillStyle = p.colour;
                c.lineWidth = dpr;
                if (p.kind === 'NaN') c.stroke();
                else c.fill();
                drawn++;
              }
              box.dataset.markersDrawn = String(drawn);
            },
          ],
        },
      },
      data,
      box,
    );
    box.dataset.renderMs = String(performance.now() - t0);
    box.dataset.drawn = 'true';
    onPlot?.(plot);
    // Without a fixed width the chart follows its box: the window resized, a grid's columns changing.
    const resize =
      width === undefined
        ? new ResizeObserver(() => {
            const w = box.clientWidth;
            if (w > 0 && w !== plot.width) plot.setSize({ width: w, height: plot.height });
          })
        : null;
    resize?.observe(box);
    return () => {
      resize?.disconnect();
      onPlot?.(null);
      plot.destroy();
    };
  }, [series, options, width, onPlot]);
  const nonFinite = series.reduce((n, s) => n + s.ys.filter((y) => !Number.isFinite(y)).length, 0);
  return (
    <div>
      <div ref={el} data-testid="plot" aria-label={title} role="img" />
      {nonFinite > 0 && (
        <p
          className="muted"
          data-testid="nonfinite"
          data-count={nonFinite}
          style={{ fontSize: 12, margin: 0 }}
        >
          △ NaN, ▲ ±Infinity: {nonFinite} point{nonFinite === 1 ? '' : 's'} drawn as markers at the chart's
          edge
        </p>
      )}
    </div>
  );
}

/** Saves a blob under `name` (the browser's download). */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One CSV field: quoted when it holds a comma, quote or newline; numbers as JavaScript writes them (NaN kept). */
export const csvField = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const toCsv = (header: string[], rows: unknown[][]) =>
  [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';

/** The chart as a PNG: its title above uPlot's canvas, on white. */
export function exportPng(u: uPlot, title: string, name: string): void {
  const src = u.ctx.canvas;
  const dpr = window.devicePixelRatio || 1;
  const head = Math.round(24 * dpr);
  const c = document.createElement('canvas');
  c.width = src.width;
  c.height = src.height + head;
  const g = c.getContext('2d');
  if (!g) return;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#111';
  g.font = `${Math.round(14 * dpr)}px sans-serif`;
  g.fillText(title, 8 * dpr, 17 * dpr);
  g.drawImage(src, 0, head);
  c.toBlob((b) => b && download(name, b), 'image/png');
}

/** The chart as SVG: each drawn series a polyline at uPlot's scales, the axes' ranges written at their ends. */
export function exportSvg(u: uPlot, title: string, name: string): void {
  const { left, top, width, height } = u.bbox;
  const dpr = window.devicePixelRatio || 1;
  const [L, T, W, H] = [left / dpr, top / dpr, width / dpr, height / dpr];
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const parts: string[] = [];
  const xs = u.data[0];
  for (let i = 1; i < u.series.length; i++) {
    const s = u.series[i];
    const stroke = typeof s.stroke === 'function' ? '#2563eb' : String(s.stroke ?? '#2563eb');
    if (stroke === 'transparent') continue;
    const ys = u.data[i];
    const pts: string[] = [];
    for (let j = 0; j < xs.length; j++) {
      const y = ys[j];
      if (y === null || y === undefined) continue;
      pts.push(`${(L + u.valToPos(xs[j], 'x')).toFixed(1)},${(T + u.valToPos(y, 'y')).toFixed(1)}`);
    }
    if (pts.length)
      parts.push(
        `<polyline fill="none" stroke="${esc(stroke)}" stroke-width="1.5" points="${pts.join(' ')}"><title>${esc(String(s.label ?? ''))}</title></polyline>`,
      );
  }
  const fmtV = (v: number | null | undefined) =>
    v === null || v === undefined ? '' : String(Number(v.toPrecision(4)));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${L + W + 16}" height="${T + H + 40}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${L}" y="14" font-size="14">${esc(title)}</text>
<rect x="${L}" y="${T}" width="${W}" height="${H}" fill="none" stroke="#999"/>
<text x="${L}" y="${T + H + 14}">${fmtV(u.scales.x.min)}</text>
<text x="${L + W}" y="${T + H + 14}" text-anchor="end">${fmtV(u.scales.x.max)}</text>
<text x="${L - 4}" y="${T + H}" text-anchor="end">${fmtV(u.scales.y.min)}</text>
<text x="${L - 4}" y="${T + 10}" text-anchor="end">${fmtV(u.scales.y.max)}</text>
${parts.join('\n')}
</svg>
`;
  download(name, new Blob([svg], { type: 'image/svg+xml' }));
}
