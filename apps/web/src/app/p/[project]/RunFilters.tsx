'use client';
// The runs table's filter, in the API's filter language: a builder (FilterBuilder) and the same filter as JSON
// text, both applied through the URL (`filter`), so a filtered view can be shared by link.
import { useState } from 'react';
import type { RunFilter } from '@/gql/graphql';
import { FilterBuilder } from './FilterBuilder';

/** The `filter` URL parameter as the API's filter; text that is not JSON is an error naming the parameter. */
export function parseFilter(text: string): { filter?: RunFilter; error?: string } {
  if (!text.trim()) return {};
  try {
    return { filter: JSON.parse(text) as RunFilter };
  } catch (e) {
    return { error: `filter: not JSON (${(e as Error).message})` };
  }
}

export function RunFilters({
  param,
  filter,
  error,
  fields,
  onApply,
}: {
  /** The `filter` URL parameter as it stands. */
  param: string;
  filter?: RunFilter;
  error?: string;
  /** The fields the builder offers. */
  fields: string[];
  /** The filter's JSON text, or null for none. */
  onApply: (text: string | null) => void;
}) {
  const [filterText, setFilterText] = useState(param);
  return (
    <>
      <FilterBuilder
        key={param}
        filter={filter}
        fields={fields}
        onApply={(f) => {
          const text = f ? JSON.stringify(f) : '';
          setFilterText(text);
          onApply(text || null);
        }}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onApply(filterText.trim() || null);
        }}
      >
        <label>
          Filter{' '}
          <input
            name="filter"
            size={80}
            placeholder='{"field": "summary.val/f1", "op": "GT", "value": 0.9}'
            value={filterText}
            onChange={(e) => setFilterText(e.target.value)}
          />
        </label>{' '}
        <button className="primary" type="submit">
          Apply
        </button>
      </form>
      {error && <p className="error">{error}</p>}
    </>
  );
}
