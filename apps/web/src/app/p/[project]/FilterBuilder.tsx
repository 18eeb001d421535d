'use client';
// A filter builder over the API's filter language: rows of field / operator / value, combined with AND. It
// writes the same JSON the text box takes (which stays, for OR / NOT and nesting); a filter the builder cannot
// show as rows is left to the text box.
import { useState } from 'react';
import type { FilterOp, RunFilter } from '@/gql/graphql';

const OPS: { op: FilterOp; label: string }[] = [
  { op: 'EQ', label: '=' },
  { op: 'NE', label: '≠' },
  { op: 'LT', label: '<' },
  { op: 'LTE', label: '≤' },
  { op: 'GT', label: '>' },
  { op: 'GTE', label: '≥' },
  { op: 'IN', label: 'in (a, b, …)' },
  { op: 'NOT_IN', label: 'not in' },
  { op: 'LIKE', label: 'like (% _)' },
  { op: 'ILIKE', label: 'ilike' },
  { op: 'CONTAINS', label: 'contains' },
  { op: 'EXISTS', label: 'exists' },
];

interface Row {
  field: string;
  op: FilterOp;
  value: string;
}

/** A typed value: numbers, booleans and null as JSON; anything else as the string typed. */
function typed(s: string): unknown {
  const t = s.trim();
  if (t === '') return '';
  try {
    const v = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? t : v;
  } catch {
    return t;
  }
}

function toFilter(rows: Row[]): RunFilter | null {
  const preds = rows
    .filter((r) => r.field.trim())
    .map((r): RunFilter => {
      const base = { field: r.field.trim(), op: r.op };
      if (r.op === 'EXISTS') return { ...base, value: r.value.trim() !== 'false' };
      if (r.op === 'IN' || r.op === 'NOT_IN') return { ...base, value: r.value.split(',').map(typed) };
      return { ...base, value: typed(r.value) };
    });
  return preds.length === 0 ? null : preds.length === 1 ? preds[0] : { and: preds };
}

/** Rows for a filter that is one predicate or an AND of predicates; null for anything else. */
function toRows(f: RunFilter | undefined): Row[] | null {
  if (!f) return [];
  const preds = f.and ?? [f];
  if (preds.some((p) => !p.field || !p.op || p.and || p.or || p.not)) return null;
  return preds.map((p) => ({
    field: p.field!,
    op: p.op!,
    value: Array.isArray(p.value)
      ? p.value.map((x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')
      : typeof p.value === 'string'
        ? p.value
        : p.value === undefined
          ? ''
          : JSON.stringify(p.value),
  }));
}

export function FilterBuilder({
  filter,
  fields,
  onApply,
}: {
  filter?: RunFilter;
  fields: string[];
  onApply: (f: RunFilter | null) => void;
}) {
  const initial = toRows(filter);
  const [rows, setRows] = useState<Row[]>(initial?.length ? initial : []);
  if (initial === null)
    return <p className="muted">This filter uses OR / NOT or nesting: edit it in the text box.</p>;
  const update = (i: number, change: Partial<Row>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <fieldset className="builder" data-testid="filter-builder">
      <legend>Filter builder (all rows must hold)</legend>
      <datalist id="filter-fields">
        {fields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {rows.map((r, i) => (
        <div className="builder-row" key={i}>
          <input
            aria-label={`field ${i + 1}`}
            list="filter-fields"
            placeholder="config.optim.lr"
            value={r.field}
            onChange={(e) => update(i, { field: e.target.value })}
          />
          <select
            aria-label={`operator ${i + 1}`}
            value={r.op}
            onChange={(e) => update(i, { op: e.target.value as FilterOp })}
          >
            {OPS.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
          <input
            aria-label={`value ${i + 1}`}
            placeholder={r.op === 'EXISTS' ? 'true / false' : 'value'}
            value={r.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <button
            type="button"
            aria-label={`remove row ${i + 1}`}
            onClick={() => setRows(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <div className="builder-row">
        <button type="button" onClick={() => setRows([...rows, { field: '', op: 'EQ', value: '' }])}>
          + condition
        </button>
        <button type="button" className="primary" onClick={() => onApply(toFilter(rows))}>
          Apply conditions
        </button>
      </div>
    </fieldset>
  );
}
