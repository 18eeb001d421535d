'use client';
// How the runs table is laid out: which extra columns it shows (config.* and summary.* paths) and the key it
// groups by (a row per value with aggregates, Groups.tsx).
export function ColumnPicker({
  fields,
  chosen,
  onToggle,
  onReset,
}: {
  fields: string[];
  chosen: string[];
  onToggle: (field: string) => void;
  onReset: () => void;
}) {
  return (
    <details>
      <summary>Columns</summary>
      <fieldset className="picker">
        {[...new Set([...fields, ...chosen])].sort().map((f) => (
          <label key={f}>
            <input type="checkbox" checked={chosen.includes(f)} onChange={() => onToggle(f)} /> {f}
          </label>
        ))}
        <button type="button" onClick={onReset}>
          Reset to default
        </button>
      </fieldset>
    </details>
  );
}

export function GroupBy({
  value,
  keys,
  onChange,
}: {
  value: string | null;
  keys: string[];
  onChange: (key: string | null) => void;
}) {
  return (
    <label>
      Group by{' '}
      <select name="group" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">(none)</option>
        {keys.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </label>
  );
}
