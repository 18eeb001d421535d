'use client';
// A filter builder over the API's filter language: rows of field / operator / value, combined with AND. The
// operators follow the field's type — numbers: = ≠ < ≤ > ≥; text: is / is not / contains; tags: has / lacks;
// state: is / is not (a list of states); times: before / after; any field: exists / missing — and each row is
// checked before it is applied, with an error beside it that names the row and says what is wrong. It writes
// the same JSON the text box takes (which stays, for OR / NOT and nesting); a filter the builder cannot show as
// rows is left to the text box.
import { useState } from 'react';
import type { RunFilter } from '@/gql/graphql';
import {
  type FieldKind,
  kindOf,
  OPS_BY_KIND,
  opLabel,
  type Row,
  STATES,
  toPredicate,
  toRows,
  type UiOp,
} from './filterRows';

export { ATTRIBUTE_KINDS, type FieldKind } from './filterRows';

import styles from './runs.module.css';

export function FilterBuilder({
  filter,
  fields,
  kinds,
  onApply,
}: {
  filter?: RunFilter;
  /** The fields offered (attributes, config.* and summary.* paths). */
  fields: string[];
  /** The known kinds of config.* and summary.* fields. */
  kinds: Record<string, FieldKind>;
  onApply: (f: RunFilter | null) => void;
}) {
  const initial = toRows(filter, kinds);
  const [rows, setRows] = useState<Row[]>(initial?.length ? initial : []);
  const [errors, setErrors] = useState<(string | null)[]>([]);
  if (initial === null)
    return <p className="muted">This filter uses OR / NOT or nesting: edit it in the text box.</p>;
  const update = (i: number, change: Partial<Row>) => {
    setRows(
      rows.map((r, j) => {
        if (j !== i) return r;
        const next = { ...r, ...change };
        // A new field keeps the operator only where it applies.
        const ops = OPS_BY_KIND[kindOf(next.field.trim(), kinds) ?? 'string'];
        return ops.includes(next.op) ? next : { ...next, op: ops[0] };
      }),
    );
    setErrors(errors.map((e, j) => (j === i ? null : e)));
  };
  const apply = () => {
    // An empty row is skipped; any other is a predicate or the reason it is not one.
    const results = rows.map((r, i) => (r.field.trim() || r.value.trim() ? toPredicate(r, i, kinds) : null));
    const problems = results.map((p) => (typeof p === 'string' ? p : null));
    setErrors(problems);
    if (problems.some(Boolean)) return;
    const ok = results.filter((p): p is RunFilter => p !== null && typeof p !== 'string');
    onApply(ok.length === 0 ? null : ok.length === 1 ? ok[0] : { and: ok });
  };
  return (
    <fieldset className="builder" data-testid="filter-builder">
      <legend>Filter (all rows must hold)</legend>
      <datalist id="filter-fields">
        {fields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {rows.map((r, i) => {
        const kind = kindOf(r.field.trim(), kinds) ?? 'string';
        const needsValue = r.op !== 'exists' && r.op !== 'missing';
        return (
          <div className={styles.builderRow} key={i} data-testid="filter-row">
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
              onChange={(e) => update(i, { op: e.target.value as UiOp })}
            >
              {OPS_BY_KIND[kind].map((op) => (
                <option key={op} value={op}>
                  {opLabel(kind, op)}
                </option>
              ))}
            </select>
            {needsValue &&
              (kind === 'state' || kind === 'boolean' ? (
                <select
                  aria-label={`value ${i + 1}`}
                  value={r.value}
                  onChange={(e) => update(i, { value: e.target.value })}
                >
                  <option value="">choose…</option>
                  {(kind === 'state' ? STATES : ['true', 'false']).map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              ) : (
                <input
                  aria-label={`value ${i + 1}`}
                  inputMode={kind === 'number' ? 'decimal' : undefined}
                  type={kind === 'time' ? 'datetime-local' : 'text'}
                  placeholder={kind === 'number' ? 'a number, e.g. 1e-4' : 'value'}
                  aria-invalid={errors[i] ? true : undefined}
                  value={r.value}
                  onChange={(e) => update(i, { value: e.target.value })}
                />
              ))}
            <button
              type="button"
              aria-label={`remove row ${i + 1}`}
              onClick={() => {
                setRows(rows.filter((_, j) => j !== i));
                setErrors(errors.filter((_, j) => j !== i));
              }}
            >
              ×
            </button>
            {errors[i] && (
              <p className={styles.rowError} role="alert" data-testid="filter-error">
                {errors[i]}
              </p>
            )}
          </div>
        );
      })}
      <div className={styles.builderRow}>
        <button type="button" onClick={() => setRows([...rows, { field: '', op: 'eq', value: '' }])}>
          + condition
        </button>
        <button type="button" className="primary" onClick={apply}>
          Apply conditions
        </button>
      </div>
    </fieldset>
  );
}
