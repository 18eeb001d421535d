'use client';
// The runs table's search and filter: a search box (name, tags, notes, id: the API's `search`, in the URL as
// `q`), a builder with typed operators (FilterBuilder) and the same filter as JSON text, all applied through the
// URL (`filter`), so a filtered view can be shared by link. A filter is checked here before it is sent — an
// unknown operator or key is an error naming its place in the filter, never GraphQL's own wording.
import { forwardRef, useCallback, useEffect, useRef, useState } from 'react';
import type { RunFilter } from '@/gql/graphql';
import { FilterBuilder } from './FilterBuilder';
import type { FieldKind } from './filterRows';

export { parseFilter, readableError } from './filterText';

import styles from './runs.module.css';

/** The search box: words that must each occur in a run's name, notes, a tag or its id; `/` focuses it. */
export const SearchBox = forwardRef<
  HTMLInputElement,
  { value: string; onChange: (q: string | null) => void }
>(function SearchBox({ value, onChange }, ref) {
  const [text, setText] = useState(value);
  // The URL's value replaces the text only when it changed elsewhere (back, a link), not when it is what this
  // box sent — the user may have typed on since.
  const sent = useRef(value);
  useEffect(() => {
    if (value === sent.current) return;
    sent.current = value;
    setText(value);
  }, [value]);
  const send = useCallback(
    (t: string) => {
      const q = t.trim() ? t : null;
      sent.current = q ?? '';
      onChange(q);
    },
    [onChange],
  );
  // Applied as the user pauses typing (and at once on Enter).
  useEffect(() => {
    if (text === sent.current) return;
    const t = setTimeout(() => send(text), 300);
    return () => clearTimeout(t);
  }, [text, send]);
  return (
    <form
      className={styles.search}
      onSubmit={(e) => {
        e.preventDefault();
        send(text);
      }}
    >
      <input
        ref={ref}
        type="search"
        name="q"
        aria-label="Search runs by name, tags, notes or id (press / to focus)"
        placeholder="Search runs: name, tags, notes, id  ( / )"
        maxLength={200}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
        }}
        style={{ width: '100%', boxSizing: 'border-box' }}
      />
    </form>
  );
});

export function RunFilters({
  param,
  filter,
  error,
  fields,
  kinds,
  onApply,
}: {
  /** The `filter` URL parameter as it stands. */
  param: string;
  filter?: RunFilter;
  error?: string;
  /** The fields the builder offers. */
  fields: string[];
  kinds: Record<string, FieldKind>;
  /** The filter's JSON text, or null for none. */
  onApply: (text: string | null) => void;
}) {
  const [filterText, setFilterText] = useState(param);
  useEffect(() => setFilterText(param), [param]);
  return (
    <>
      <FilterBuilder
        key={param}
        filter={filter}
        fields={fields}
        kinds={kinds}
        onApply={(f) => {
          const text = f ? JSON.stringify(f) : '';
          setFilterText(text);
          onApply(text || null);
        }}
      />
      <form
        className={styles.filterForm}
        onSubmit={(e) => {
          e.preventDefault();
          onApply(filterText.trim() || null);
        }}
      >
        <label style={{ flex: '1 1 16rem', minWidth: 0 }}>
          Filter as JSON (OR, NOT, nesting){' '}
          <input
            name="filter"
            className={styles.filterText}
            placeholder='{"field": "summary.val/f1", "op": "GT", "value": 0.9}'
            value={filterText}
            onChange={(e) => setFilterText(e.target.value)}
          />
        </label>
        <button className="primary" type="submit">
          Apply
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="filter-error">
          {error}
        </p>
      )}
    </>
  );
}
