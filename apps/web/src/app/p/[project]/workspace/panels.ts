// The workspace's panels as data: their spec (the same shape the API validates for saved views), the default
// panels of a project (one per metric key family), values of a run at a path, the visible runs into groups, a
// group's curves as mean with a min–max band, and each panel's data as CSV.
import type { PlotSeries } from '@/lib/Chart';

export type XChoice = 'step' | 'wallTime' | 'relativeTime' | `metric:${string}`;

interface Base {
  id: string;
  title?: string;
}
export type PanelSpec =
  | (Base & {
      kind: 'line';
      metrics: string[];
      x: XChoice;
      smoothing?: number;
      logX?: boolean;
      logY?: boolean;
      yMin?: number | null;
      yMax?: number | null;
    })
  | (Base & { kind: 'scatter'; x: string; y: string; logX?: boolean; logY?: boolean })
  | (Base & { kind: 'parcoords'; keys: string[] })
  | (Base & { kind: 'bar'; key: string; logY?: boolean })
  | (Base & { kind: 'histogram'; key: string; bins?: number });

export type PanelKind = PanelSpec['kind'];

export interface TableState {
  filter: string;
  group: string | null;
  cols: string[] | null;
  sort: string;
  dir: 'ASC' | 'DESC';
}
export interface ViewSpec {
  panels: PanelSpec[];
  table: TableState;
}

/** A run as the panels read it: id, name, config and summary (from the runs table's query). */
export interface PanelRun {
  id: string;
  name: string;
  status?: string;
  config: unknown;
  summary: unknown;
  group?: string | null;
  host?: string | null;
}

export const MAX_DEFAULT_PANELS = 8;

export const newId = () => Math.random().toString(36).slice(2, 10);

/**
 * Default panels: one line panel per metric key family (the part before the first '/': train/loss and
 * train/lr are train/*), a family of one key titled by that key; at most MAX_DEFAULT_PANELS, validation and
 * evaluation families first.
 */
export function defaultPanels(keys: string[]): PanelSpec[] {
  const families = new Map<string, string[]>();
  for (const k of [...keys].sort()) {
    const f = k.includes('/') ? k.slice(0, k.indexOf('/')) : k;
    families.set(f, [...(families.get(f) ?? []), k]);
  }
  const rank = (f: string) =>
    /^(val|valid|validation|eval)/i.test(f) ? 0 : /^test/i.test(f) ? 1 : /^train/i.test(f) ? 2 : 3;
  return [...families.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, MAX_DEFAULT_PANELS)
    .map(([f, ks]) => ({
      id: `m-${f.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 36)}`,
      kind: 'line' as const,
      title: ks.length === 1 ? ks[0] : `${f}/*`,
      metrics: ks.slice(0, 12),
      x: 'step' as const,
      smoothing: 0,
    }));
}

/** A run's value at a path: name/status/group/host, config.<dotted path>, summary.<key> (keys may hold dots). */
export function valueAt(run: PanelRun, path: string): unknown {
  if (path === 'name' || path === 'status' || path === 'group' || path === 'host') return run[path];
  const [root, rest] = path.startsWith('config.')
    ? [run.config, path.slice(7)]
    : path.startsWith('summary.')
      ? [run.summary, path.slice(8)]
      : [run.summary, path];
  if (!root || typeof root !== 'object') return undefined;
  const o = root as Record<string, unknown>;
  if (rest in o) return o[rest];
  let v: unknown = o;
  for (const part of rest.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A summary/config value as a number: numbers as they are, "NaN"/"Infinity" strings as those values. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
/** The i-th colour: the compare page's eight, then hues spread by the golden angle. */
export const colourOf = (i: number) =>
  i < PALETTE.length ? PALETTE[i] : `hsl(${Math.round((i * 137.508) % 360)}, 65%, 45%)`;
/** An hsl() colour as #rrggbb (the chart appends alpha digits to it). */
export function hex(c: string): string {
  const m = /^hsl\((\d+), (\d+)%, (\d+)%\)$/.exec(c);
  if (!m) return c;
  const [h, s, l] = [Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100];
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

export interface RunGroup {
  name: string;
  colour: string;
  runs: PanelRun[];
}

/** The runs as the panels draw them: each its own line, or (grouped) one line per group value. */
export function groupRuns(runs: readonly PanelRun[], by: string | null): RunGroup[] {
  if (!by) return runs.map((r, i) => ({ name: r.name, colour: hex(colourOf(i)), runs: [r] }));
  const groups = new Map<string, PanelRun[]>();
  for (const r of runs) {
    const v = valueAt(r, by);
    const name = `${by}=${v === undefined || v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    groups.set(name, [...(groups.get(name) ?? []), r]);
  }
  return [...groups.entries()].map(([name, rs], i) => ({ name, colour: hex(colourOf(i)), runs: rs }));
}

export interface Curve {
  xs: number[];
  ys: number[];
  lo?: number[];
  hi?: number[];
}

/** Points on a grid for a group's curves: enough to follow the server's buckets. */
const GRID = 200;

/**
 * A group's curve of one metric: its runs' curves interpolated onto one x grid, the mean at each x of the runs
 * that reach it, with their min and max as the band. A run's non-finite value at an x makes the group's value
 * there that value (a marker), never a silent gap.
 */
export function groupCurve(curves: Curve[]): Curve {
  const live = curves.filter((c) => c.xs.length);
  if (live.length <= 1) return live[0] ?? { xs: [], ys: [] };
  const lo = Math.min(...live.map((c) => c.xs[0]));
  const hi = Math.max(...live.map((c) => c.xs[c.xs.length - 1]));
  const n = hi > lo ? GRID : 1;
  const xs = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, n - 1));
  const ys: number[] = [];
  const mins: number[] = [];
  const maxs: number[] = [];
  const cursors = live.map(() => 0);
  for (const x of xs) {
    let sum = 0;
    let k = 0;
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    let bad: number | null = null;
    live.forEach((c, ci) => {
      if (x < c.xs[0] || x > c.xs[c.xs.length - 1]) return;
      let j = cursors[ci];
      while (j < c.xs.length - 1 && c.xs[j + 1] <= x) j++;
      cursors[ci] = j;
      const [x0, y0] = [c.xs[j], c.ys[j]];
      const [x1, y1] = j + 1 < c.xs.length ? [c.xs[j + 1], c.ys[j + 1]] : [x0, y0];
      const y = x1 === x0 || !Number.isFinite(y1) ? y0 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
      if (!Number.isFinite(y)) {
        bad = y;
        return;
      }
      sum += y;
      k++;
      mn = Math.min(mn, y);
      mx = Math.max(mx, y);
    });
    if (bad !== null) {
      ys.push(bad);
      mins.push(Number.NaN);
      maxs.push(Number.NaN);
    } else if (k) {
      ys.push(sum / k);
      mins.push(mn);
      maxs.push(mx);
    } else {
      ys.push(Number.NaN);
      mins.push(Number.NaN);
      maxs.push(Number.NaN);
    }
  }
  return { xs, ys, lo: mins, hi: maxs };
}

/** A metric series of one run from the API: x and the bucket means (NaN/±Inf as the API's strings). */
export interface ApiSeries {
  key: string;
  count: number;
  buckets: { x: unknown; min: unknown; max: unknown; mean: unknown }[];
}

export const curveOf = (s: ApiSeries | undefined): Curve =>
  s
    ? { xs: s.buckets.map((b) => Number(b.x)), ys: s.buckets.map((b) => Number(b.mean)) }
    : { xs: [], ys: [] };

/** A line panel's series: per group and metric, a run's curve or the group's mean with its band. */
export function lineSeries(
  groups: RunGroup[],
  metrics: string[],
  seriesOf: (runId: string, key: string) => ApiSeries | undefined,
): PlotSeries[] {
  const out: PlotSeries[] = [];
  for (const g of groups)
    for (const [mi, m] of metrics.entries()) {
      const curves = g.runs.map((r) => curveOf(seriesOf(r.id, m)));
      const c = g.runs.length === 1 ? curves[0] : groupCurve(curves);
      if (!c.xs.length) continue;
      out.push({
        label: metrics.length > 1 ? `${g.name} · ${m}` : g.name,
        // Several metrics: each metric its own shade of the run's colour (dashes are not in uPlot's canvas cheaply).
        colour: mi === 0 ? g.colour : hex(colourOf((groups.indexOf(g) + mi * 3) % 60)),
        xs: c.xs,
        ys: c.ys,
        lo: c.lo,
        hi: c.hi,
      });
    }
  return out;
}

/** Histogram bins of finite values; non-finite values counted apart. */
export function histogram(values: number[], bins: number) {
  const fin = values.filter(Number.isFinite);
  const nonFinite = values.length - fin.length;
  if (!fin.length) return { edges: [] as number[], counts: [] as number[], nonFinite };
  const lo = Math.min(...fin);
  const hi = Math.max(...fin);
  const n = hi > lo ? bins : 1;
  const w = hi > lo ? (hi - lo) / n : 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of fin) counts[Math.min(n - 1, Math.floor((v - lo) / w))]++;
  const edges = Array.from({ length: n + 1 }, (_, i) => lo + i * w);
  return { edges, counts, nonFinite };
}
