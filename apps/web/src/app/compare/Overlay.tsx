'use client';
// One metric's curves of several runs on one uPlot chart (one colour per run, one legend); the x values of the
// runs joined, with gaps where a run has none.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tickLabels } from '@/lib/format';
import { themedAxis, useResolvedTheme } from '@/lib/theme';

/** A run's colour on the compare page: its curves, its config-diff column. */
export const COLOURS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
];

export function Overlay({
  title,
  series,
}: {
  title: string;
  series: { name: string; xs: number[]; ys: number[] }[];
}) {
  const el = useRef<HTMLDivElement>(null);
  const theme = useResolvedTheme(); // redrawn in the other palette when it changes
  useEffect(() => {
    if (!el.current) return;
    // uPlot wants one shared x: join the runs' x values, gaps where a run has none.
    const xs = [...new Set(series.flatMap((s) => s.xs))].sort((a, b) => a - b);
    const ys = series.map((s) => {
      const m = new Map(s.xs.map((x, i) => [x, s.ys[i]]));
      return xs.map((x) => m.get(x) ?? null);
    });
    const t0 = performance.now();
    const plot = new uPlot(
      {
        title,
        width: el.current.clientWidth || 600,
        height: 260,
        scales: { x: { time: false } },
        axes: [themedAxis(), { ...themedAxis(), values: tickLabels }],
        series: [
          { label: 'step' },
          ...series.map((s, i) => ({ label: s.name, stroke: COLOURS[i % COLOURS.length], spanGaps: true })),
        ],
      },
      [xs, ...ys] as uPlot.AlignedData,
      el.current,
    );
    // How long building and drawing the chart took (the bench reads it).
    el.current.dataset.renderMs = String(performance.now() - t0);
    return () => plot.destroy();
  }, [title, series, theme]);
  return <div ref={el} data-testid="overlay" />;
}
