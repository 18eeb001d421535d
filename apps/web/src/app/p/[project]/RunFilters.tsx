'use client';
// The runs table's search and filter: a search box (name, tags, notes, id: the API's `search`, in the URL as
// `q`), a builder with typed operators (FilterBuilder) and the same filter as JSON text, all applied through the
// URL (`filter`), so a filtered view can be shared by link. A filter is checked here before it is sent — an
// unknown operator or key is an error naming its place in the filter, never GraphQL's own wording.
import { forwardRef, useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from 'urql';
import type { RunFilter } from '@/gql/graphql';
import { type FieldKind, FilterBuilder } from './FilterBuilder';
import styles from './runs.module.css';

export const FILTER_OPS = [
  'EQ',
  'NE',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'IN',
  'NOT_IN',
  'LIKE',
  'ILIKE',
  'EXISTS',
  'CONTAINS',
];

/** The problem with a filter tree's shape (named by its path, e.g. `filter.and[1].op`), or null. */
function checkFilter(f: unknown, where: string): string | null {
  if (typeof f !== 'object' || f === null || Array.isArray(f))
    return `${where}: expected an object such as {"field": "summary.loss", "op": "LT", "value": 0.5}`;
  const o = f as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['and', 'or', 'not', 'field', 'op', 'value'].includes(k))
      return `${where}: unknown key '${k}' (use and, or, not, or field, op and value)`;
  for (const k of ['and', 'or'] as const)
    if (o[k] !== undefined) {
      if (!Array.isArray(o[k])) return `${where}.${k}: expected a list of filters`;
      for (const [i, x] of (o[k] as unknown[]).entries()) {
        const e = checkFilter(x, `${where}.${k}[${i}]`);
        if (e) return e;
      }
    }
  if (o.not !== undefined) return checkFilter(o.not, `${where}.not`);
  if (o.field !== undefined && typeof o.field !== 'string') return `${where}.field: expected a string`;
  if (o.op !== undefined && !FILTER_OPS.includes(String(o.op)))
    return `${where}.op: ${JSON.stringify(o.op)} is not an operator (use ${FILTER_OPS.join(', ')})`;
  return null;
}

/** The `filter` URL parameter as the API's filter; text that is not a filter is an error naming its place. */
export function parseFilter(text: string): { filter?: RunFilter; error?: string } {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `filter: not JSON (${(e as Error).message})` };
  }
  const error = checkFilter(parsed, 'filter');
  return error ? { error } : { filter: parsed as RunFilter };
}

/**
 * An API error about the runs query in words: the API's own BAD_INPUT messages name the argument already; a
 * GraphQL validation error (`Variable "$filter" got invalid value … at "filter.op"; …`) is rewritten to name the
 * place in the filter and what was wrong.
 */
export function readableError(e: CombinedError): string {
  const m = e.graphQLErrors[0]?.message ?? e.message;
  const v = /^Variable "\$(\w+)" got invalid value (.*?)(?: at "([^"]+)")?; (.*)$/s.exec(m);
  if (!v) return m;
  const [, , value, path, why] = v;
  const enumMiss = /Value "(.*)" does not exist in "(\w+)" enum/.exec(why);
  if (enumMiss) return `${path ?? v[1]}: ${value} is not one of the allowed values`;
  return `${path ?? v[1]}: ${why.replace(/\.$/, '')}`;
}

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
