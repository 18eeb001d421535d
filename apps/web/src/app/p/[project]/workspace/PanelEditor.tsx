'use client';
// Adding or editing a panel: its kind, then what it draws — a line panel's metrics (several), x-axis,
// smoothing, log axes and y range; a scatter's two keys; parallel coordinates' keys; a bar's or a histogram's
// summary value.
import { useId, useState } from 'react';
import { newId, type PanelKind, type PanelSpec, type XChoice } from './panels';
import styles from './workspace.module.css';

const KINDS: [PanelKind, string][] = [
  ['line', 'Line'],
  ['scatter', 'Scatter'],
  ['parcoords', 'Parallel coordinates'],
  ['bar', 'Bar'],
  ['histogram', 'Histogram'],
];

function Checks({
  label,
  options,
  chosen,
  onChange,
}: {
  label: string;
  options: string[];
  chosen: string[];
  onChange: (v: string[]) => void;
}) {
  const [q, setQ] = useState('');
  const shown = options.filter((o) => o.toLowerCase().includes(q.toLowerCase())).slice(0, 200);
  return (
    <fieldset>
      <legend>{label}</legend>
      <input
        type="search"
        placeholder="search keys"
        aria-label={`search ${label}`}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <div className={styles.checks}>
        {shown.map((o) => (
          <label key={o}>
            <input
              type="checkbox"
              checked={chosen.includes(o)}
              onChange={() => onChange(chosen.includes(o) ? chosen.filter((c) => c !== o) : [...chosen, o])}
            />
            {o}
          </label>
        ))}
        {!shown.length && <span className="muted">no keys</span>}
      </div>
    </fieldset>
  );
}

function Pick({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

const num = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));

export function PanelEditor({
  initial,
  metricKeys,
  fields,
  summaryKeys,
  onSave,
  onCancel,
}: {
  initial: PanelSpec | null;
  metricKeys: string[];
  /** config.* and summary.* paths (scatter, parallel coordinates). */
  fields: string[];
  summaryKeys: string[];
  onSave: (p: PanelSpec) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [kind, setKind] = useState<PanelKind>(initial?.kind ?? 'line');
  const [title, setTitle] = useState(initial?.title ?? '');
  const [metrics, setMetrics] = useState<string[]>(initial?.kind === 'line' ? initial.metrics : []);
  const [x, setX] = useState<string>(
    initial?.kind === 'line' || initial?.kind === 'scatter' ? initial.x : 'step',
  );
  const [y, setY] = useState(initial?.kind === 'scatter' ? initial.y : '');
  const [keys, setKeys] = useState<string[]>(initial?.kind === 'parcoords' ? initial.keys : []);
  const [key, setKey] = useState(initial?.kind === 'bar' || initial?.kind === 'histogram' ? initial.key : '');
  const [smoothing, setSmoothing] = useState(initial?.kind === 'line' ? (initial.smoothing ?? 0) : 0);
  const [logX, setLogX] = useState(
    initial?.kind === 'line' || initial?.kind === 'scatter' ? !!initial.logX : false,
  );
  const [logY, setLogY] = useState(initial && 'logY' in initial ? !!initial.logY : false);
  const [yMin, setYMin] = useState(
    initial?.kind === 'line' && initial.yMin != null ? String(initial.yMin) : '',
  );
  const [yMax, setYMax] = useState(
    initial?.kind === 'line' && initial.yMax != null ? String(initial.yMax) : '',
  );
  const [bins, setBins] = useState(initial?.kind === 'histogram' ? (initial.bins ?? 20) : 20);

  const lineX = ['step', 'wallTime', 'relativeTime', ...metricKeys.map((k) => `metric:${k}`)];
  const spec = (): PanelSpec | string => {
    const base = { id: initial?.id ?? newId(), ...(title.trim() ? { title: title.trim() } : {}) };
    switch (kind) {
      case 'line':
        if (!metrics.length) return 'choose at least one metric';
        if (!lineX.includes(x)) return 'choose the x-axis';
        return {
          ...base,
          kind,
          metrics,
          x: x as XChoice,
          smoothing,
          logX,
          logY,
          yMin: num(yMin),
          yMax: num(yMax),
        };
      case 'scatter':
        if (!x || !y || !fields.includes(x)) return 'choose both keys';
        return { ...base, kind, x, y, logX, logY };
      case 'parcoords':
        if (keys.length < 2) return 'choose at least two keys (the last colours the lines)';
        return { ...base, kind, keys };
      case 'bar':
        return key ? { ...base, kind, key, logY } : 'choose a summary value';
      case 'histogram':
        return key ? { ...base, kind, key, bins } : 'choose a summary value';
    }
  };
  const result = spec();
  return (
    <form
      className={styles.editor}
      aria-label={initial ? 'Edit panel' : 'Add panel'}
      data-testid="panel-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (typeof result !== 'string') onSave(result);
      }}
    >
      <label>
        Kind
        <select
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as PanelKind);
            setX(e.target.value === 'line' ? 'step' : '');
          }}
        >
          {KINDS.map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-title`}>
        Title
        <input
          id={`${id}-title`}
          value={title}
          placeholder="(from its keys)"
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      {kind === 'line' && (
        <>
          <Checks label="Metrics" options={metricKeys} chosen={metrics} onChange={setMetrics} />
          <Pick label="x-axis" value={x} options={lineX} onChange={setX} />
          <label>
            Smoothing {smoothing.toFixed(2)}
            <input
              type="range"
              min={0}
              max={0.99}
              step={0.01}
              value={smoothing}
              onChange={(e) => setSmoothing(Number(e.target.value))}
            />
          </label>
          <label>
            y from
            <input
              inputMode="decimal"
              size={8}
              value={yMin}
              onChange={(e) => setYMin(e.target.value)}
              aria-label="y minimum"
            />
            to
            <input
              inputMode="decimal"
              size={8}
              value={yMax}
              onChange={(e) => setYMax(e.target.value)}
              aria-label="y maximum"
            />
          </label>
        </>
      )}
      {kind === 'scatter' && (
        <>
          <Pick label="x" value={x} options={fields} onChange={setX} />
          <Pick label="y" value={y} options={fields} onChange={setY} />
        </>
      )}
      {kind === 'parcoords' && (
        <Checks label="Axes (the last colours the lines)" options={fields} chosen={keys} onChange={setKeys} />
      )}
      {(kind === 'bar' || kind === 'histogram') && (
        <Pick label="Summary value" value={key} options={summaryKeys} onChange={setKey} />
      )}
      {kind === 'histogram' && (
        <label>
          Bins
          <input
            type="number"
            min={1}
            max={200}
            value={bins}
            onChange={(e) => setBins(Math.max(1, Math.min(200, Math.round(Number(e.target.value) || 1))))}
          />
        </label>
      )}
      {(kind === 'line' || kind === 'scatter') && (
        <label>
          <input type="checkbox" checked={logX} onChange={(e) => setLogX(e.target.checked)} /> log x
        </label>
      )}
      {kind !== 'parcoords' && kind !== 'histogram' && (
        <label>
          <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> log y
        </label>
      )}
      {typeof result === 'string' && (
        <p className="muted" role="status">
          {result}
        </p>
      )}
      <div>
        <button type="submit" disabled={typeof result === 'string'}>
          {initial ? 'Apply' : 'Add panel'}
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
