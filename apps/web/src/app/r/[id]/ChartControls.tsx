// The run page's chart controls, all kept in the URL: smoothing, log scale, the x axis (step, wall time,
// relative time or another metric) and a zoom range typed in (a drag across a chart sets it too).
import type { SearchChanges } from '@/lib/useSearchState';

export type ChartView = {
  smoothing: number;
  log: boolean;
  /** step, wallTime, relativeTime, or metric:<key>. */
  x: string;
  from: number | null;
  to: number | null;
};

export function ChartControls({
  view: { smoothing, log, x, from, to },
  keys,
  set,
}: {
  view: ChartView;
  /** The run's metric keys, offered as x axes. */
  keys: string[];
  set: (changes: SearchChanges) => void;
}) {
  return (
    <>
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
    </>
  );
}
