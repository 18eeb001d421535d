'use client';
// One workspace panel: its chart (line over step / time / another metric with several metrics, scatter,
// parallel coordinates, bar, histogram) over the visible runs or groups, and its toolbar: edit, remove,
// fullscreen, export as PNG / SVG and its data as CSV.
import { useCallback, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import {
  download,
  exportPng,
  exportSvg,
  PlotChart,
  type PlotOptions,
  type PlotSeries,
  toCsv,
} from '@/lib/Chart';
import { ParallelCoordinates, type PcRun } from '@/lib/ParallelCoordinates';
import {
  type ApiSeries,
  histogram,
  lineSeries,
  numberOf,
  type PanelSpec,
  type RunGroup,
  valueAt,
  type XChoice,
} from './panels';
import styles from './workspace.module.css';

const X_LABEL: Record<string, string> = {
  step: 'step',
  wallTime: 'wall time',
  relativeTime: 'seconds since start',
};

export function panelTitle(p: PanelSpec): string {
  if (p.title) return p.title;
  switch (p.kind) {
    case 'line':
      return p.metrics.join(', ');
    case 'scatter':
      return `${p.y} against ${p.x}`;
    case 'parcoords':
      return `parallel coordinates: ${p.keys.join(', ')}`;
    case 'bar':
      return p.key;
    case 'histogram':
      return `histogram of ${p.key}`;
  }
}

const fileName = (p: PanelSpec, ext: string) =>
  `${panelTitle(p)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 60)}.${ext}`;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * What a panel draws and exports: chart series and options, or parallel-coordinate runs; and its CSV (built
 * when asked for: 100 runs' buckets are tens of thousands of rows, not worth building for every draw).
 */
function panelData(
  p: PanelSpec,
  groups: RunGroup[],
  seriesOf: (runId: string, x: XChoice, key: string) => ApiSeries | undefined,
): { series?: PlotSeries[]; options?: PlotOptions; pc?: PcRun[]; csv: () => string; empty: string | null } {
  switch (p.kind) {
    case 'line': {
      const series = lineSeries(groups, p.metrics, (run, key) => seriesOf(run, p.x, key));
      const x = p.x.startsWith('metric:') ? p.x.slice(7) : X_LABEL[p.x];
      return {
        series,
        options: {
          xLabel: x,
          xTime: p.x === 'wallTime',
          smoothing: p.smoothing ?? 0,
          logX: p.logX,
          logY: p.logY,
          yMin: p.yMin ?? null,
          yMax: p.yMax ?? null,
        },
        csv: () => {
          const grouped = groups.some((g) => g.runs.length > 1);
          const rows: unknown[][] = [];
          for (const g of groups)
            for (const m of p.metrics) {
              if (grouped) {
                const s = series.find(
                  (s) => s.label === (p.metrics.length > 1 ? `${g.name} · ${m}` : g.name),
                );
                for (const [i, x] of (s?.xs ?? []).entries())
                  rows.push([g.name, m, x, s?.ys[i], s?.lo?.[i] ?? s?.ys[i], s?.hi?.[i] ?? s?.ys[i]]);
              } else
                for (const r of g.runs) {
                  const api = seriesOf(r.id, p.x, m);
                  for (const b of api?.buckets ?? [])
                    rows.push([r.name, m, Number(b.x), Number(b.mean), Number(b.min), Number(b.max)]);
                }
            }
          return toCsv([grouped ? 'group' : 'run', 'metric', x, 'value', 'min', 'max'], rows);
        },
        empty: series.length ? null : `no ${p.metrics.join(', ')} in the visible runs`,
      };
    }
    case 'scatter': {
      const points = groups.flatMap((g) =>
        g.runs.map((r) => ({ g, r, x: valueAt(r, p.x), y: numberOf(valueAt(r, p.y)) })),
      );
      const usable = points.filter((q) => q.y !== undefined && q.x !== undefined && q.x !== null);
      const categorical = usable.some((q) => typeof q.x === 'string' && numberOf(q.x) === undefined);
      const names = categorical ? [...new Set(usable.map((q) => String(q.x)))].sort() : undefined;
      const xOf = (v: unknown) => (names ? names.indexOf(String(v)) : (numberOf(v) ?? Number.NaN));
      const series: PlotSeries[] = groups
        .map((g) => {
          const pts = usable
            .filter((q) => q.g === g)
            .map((q) => [xOf(q.x), q.y as number] as const)
            .filter(([x]) => Number.isFinite(x))
            .sort((a, b) => a[0] - b[0]);
          return { label: g.name, colour: g.colour, xs: pts.map((q) => q[0]), ys: pts.map((q) => q[1]) };
        })
        .filter((s) => s.xs.length);
      return {
        series,
        options: { mode: 'points', xLabel: p.x, logX: p.logX && !names, logY: p.logY, xNames: names },
        csv: () =>
          toCsv(
            ['run', 'group', p.x, p.y],
            points.map((q) => [q.r.name, q.g.name, q.x, q.y]),
          ),
        empty: series.length ? null : `no runs with both ${p.x} and ${p.y}`,
      };
    }
    case 'bar': {
      const vals = groups.map((g) => {
        const vs = g.runs.map((r) => numberOf(valueAt(r, p.key))).filter((v): v is number => v !== undefined);
        return vs.length ? mean(vs) : undefined;
      });
      const kept = groups.map((g, i) => [g, vals[i]] as const).filter(([, v]) => v !== undefined);
      return {
        series: kept.length
          ? [
              {
                label: p.key,
                colour: '#2563eb',
                xs: kept.map((_, i) => i),
                ys: kept.map(([, v]) => v as number),
              },
            ]
          : [],
        options: { mode: 'bars', xLabel: 'run', logY: p.logY, xNames: kept.map(([g]) => g.name) },
        csv: () =>
          toCsv(
            [groups.some((g) => g.runs.length > 1) ? 'group' : 'run', p.key],
            kept.map(([g, v]) => [g.name, v]),
          ),
        empty: kept.length ? null : `no runs report ${p.key}`,
      };
    }
    case 'histogram': {
      const vs = groups
        .flatMap((g) => g.runs.map((r) => numberOf(valueAt(r, p.key))))
        .filter((v): v is number => v !== undefined);
      const h = histogram(vs, p.bins ?? 20);
      const centres = h.counts.map((_, i) => (h.edges[i] + h.edges[i + 1]) / 2);
      return {
        series: h.counts.length ? [{ label: 'runs', colour: '#2563eb', xs: centres, ys: h.counts }] : [],
        options: { mode: 'bars', xLabel: p.key },
        csv: () =>
          toCsv(
            ['bin_start', 'bin_end', 'runs'],
            [
              ...h.counts.map((c, i) => [h.edges[i], h.edges[i + 1], c]),
              ...(h.nonFinite ? [['non-finite', '', h.nonFinite]] : []),
            ],
          ),
        empty: h.counts.length ? null : `no runs report ${p.key}`,
      };
    }
    case 'parcoords': {
      const pc: PcRun[] = groups.flatMap((g) =>
        g.runs.map((r) => ({
          id: r.id,
          name: r.name,
          values: Object.fromEntries(
            p.keys.map((k) => {
              const v = valueAt(r, k);
              return [k, typeof v === 'number' || typeof v === 'string' ? v : undefined];
            }),
          ),
        })),
      );
      return {
        pc,
        csv: () =>
          toCsv(
            ['run', ...p.keys],
            pc.map((r) => [r.name, ...p.keys.map((k) => r.values[k])]),
          ),
        empty: pc.length ? null : 'no visible runs',
      };
    }
  }
}

export function Panel({
  spec,
  groups,
  seriesOf,
  fetching,
  onEdit,
  onRemove,
  onMove,
}: {
  spec: PanelSpec;
  groups: RunGroup[];
  seriesOf: (runId: string, x: XChoice, key: string) => ApiSeries | undefined;
  fetching: boolean;
  onEdit: () => void;
  onRemove: () => void;
  /** Moves the panel one place earlier (-1) or later (+1) in the grid; absent at that end. */
  onMove?: { earlier?: () => void; later?: () => void };
}) {
  const [full, setFull] = useState(false);
  const plot = useRef<uPlot | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const onPlot = useCallback((u: uPlot | null) => {
    plot.current = u;
  }, []);
  const d = useMemo(() => panelData(spec, groups, seriesOf), [spec, groups, seriesOf]);
  const title = panelTitle(spec);
  const svgOf = () => box.current?.querySelector('svg[data-testid=parcoords]') as SVGSVGElement | null;
  const png = () => {
    if (plot.current) return exportPng(plot.current, title, fileName(spec, 'png'));
    const svg = svgOf();
    if (!svg) return;
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      if (!g) return;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0);
      c.toBlob((b) => b && download(fileName(spec, 'png'), b), 'image/png');
    };
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
  };
  const svg = () => {
    if (plot.current) return exportSvg(plot.current, title, fileName(spec, 'svg'));
    const s = svgOf();
    if (s)
      download(
        fileName(spec, 'svg'),
        new Blob([new XMLSerializer().serializeToString(s)], { type: 'image/svg+xml' }),
      );
  };
  const body = d.empty ? (
    <p className="muted">{fetching && spec.kind === 'line' ? 'Loading…' : d.empty}</p>
  ) : d.pc ? (
    // A scrolling region must take the keyboard's focus (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: so that it scrolls from the keyboard
    <section className={styles.scrollX} aria-label={title} tabIndex={0}>
      <ParallelCoordinates
        runs={d.pc}
        axes={spec.kind === 'parcoords' ? spec.keys.slice(0, -1) : []}
        metric={spec.kind === 'parcoords' ? spec.keys[spec.keys.length - 1] : ''}
        goal="minimize"
      />
    </section>
  ) : (
    <PlotChart
      key={full ? 'full' : 'grid'}
      title={title}
      series={d.series ?? []}
      options={
        full
          ? { ...d.options, height: Math.max(300, window.innerHeight - 200), legend: true }
          : (d.options ?? {})
      }
      onPlot={onPlot}
    />
  );
  return (
    <section
      ref={box}
      className={full ? styles.fullscreen : styles.panel}
      data-testid="panel"
      data-kind={spec.kind}
      data-series={d.series?.length ?? d.pc?.length ?? 0}
      aria-label={title}
      onKeyDown={(e) => e.key === 'Escape' && setFull(false)}
    >
      <header className={styles.panelHead}>
        <h3 className={styles.panelTitle} title={title}>
          {title}
        </h3>
        <div className={styles.tools}>
          {onMove?.earlier && (
            <button type="button" onClick={onMove.earlier} aria-label={`Move ${title} earlier`}>
              ←
            </button>
          )}
          {onMove?.later && (
            <button type="button" onClick={onMove.later} aria-label={`Move ${title} later`}>
              →
            </button>
          )}
          <button type="button" onClick={onEdit} aria-label={`Edit ${title}`}>
            Edit
          </button>
          <button
            type="button"
            onClick={() => setFull(!full)}
            aria-label={full ? 'Exit fullscreen' : `Fullscreen ${title}`}
          >
            {full ? 'Close' : '⤢'}
          </button>
          <details className={styles.menu}>
            <summary aria-label={`Export ${title}`}>Export</summary>
            <div className={styles.menuItems}>
              <button type="button" onClick={png}>
                PNG
              </button>
              <button type="button" onClick={svg}>
                SVG
              </button>
              <button
                type="button"
                onClick={() => download(fileName(spec, 'csv'), new Blob([d.csv()], { type: 'text/csv' }))}
              >
                CSV
              </button>
            </div>
          </details>
          <button type="button" onClick={onRemove} aria-label={`Remove ${title}`}>
            ✕
          </button>
        </div>
      </header>
      {body}
    </section>
  );
}
