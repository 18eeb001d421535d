// One field of the launch form: a labelled select, number or text input bound to a path of the run config, with the
// validation issues at that path (or below it) beside it, linked for screen readers.
import type { ConfigIssue } from '@/lib/ConfigEditor';
import type { Field } from './fields';

export function ConfigField({
  field: f,
  value: v,
  issues: mine,
  disabled,
  onChange,
}: {
  field: Field;
  /** The value at the field's path in the document (undefined: absent). */
  value: unknown;
  issues: ConfigIssue[];
  disabled: boolean;
  onChange: (value: string | number) => void;
}) {
  const id = `f-${f.path}`;
  return (
    <div className="field">
      <label htmlFor={id}>{f.label}</label>
      {f.type === 'select' ? (
        <select
          id={id}
          name={f.path}
          value={v === undefined ? '' : String(v)}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={mine.some((i) => i.severity === 'error')}
          aria-describedby={mine.length ? `${id}-issues` : undefined}
        >
          <option value="">—</option>
          {f.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={f.path}
          type={f.type === 'number' ? 'number' : 'text'}
          // A number field takes numbers only (the browser refuses text); integers step by one.
          step={f.type === 'number' ? (f.integer ? 1 : 'any') : undefined}
          min={f.type === 'number' ? f.min : undefined}
          inputMode={f.type === 'number' ? (f.integer ? 'numeric' : 'decimal') : undefined}
          disabled={disabled}
          value={v === undefined || v === null ? '' : String(v)}
          onChange={(e) => {
            const s = e.target.value;
            // A half-typed number ("1e", "-") reads as empty with badInput set: keep the document as it is.
            if (f.type === 'number' && e.target.validity.badInput) return;
            onChange(f.type === 'number' && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
          }}
          aria-invalid={mine.some((i) => i.severity === 'error')}
          aria-describedby={mine.length ? `${id}-issues` : undefined}
        />
      )}
      {mine.length > 0 && (
        <span id={`${id}-issues`} className="field-issues" data-testid="field-issue">
          {mine.map((i) => (
            <span key={i.path + i.message} className={i.severity === 'error' ? 'error' : 'warning'}>
              {i.message}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
