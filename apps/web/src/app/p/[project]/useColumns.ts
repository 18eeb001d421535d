'use client';
// The runs table's extra columns (config.* and summary.* paths): the `cols` URL parameter, else the last choice
// made for this project in this browser (kept in localStorage, so it outlives the URL), else the headline
// summary keys of the listed runs.
import { useEffect, useState } from 'react';
import type { SearchChanges } from '@/lib/useSearchState';

export function useColumns({
  project,
  param,
  summaryKeys,
  set,
}: {
  project: string;
  /** The `cols` URL parameter. */
  param: string | null;
  summaryKeys: string[];
  set: (changes: SearchChanges) => void;
}) {
  const colsKey = `anneal:cols:${project}`;
  const [storedCols, setStoredCols] = useState<string | null>(null);
  useEffect(() => setStoredCols(localStorage.getItem(colsKey)), [colsKey]);
  const chosen = (param ?? storedCols)?.split(',').filter(Boolean) ?? summaryKeys.map((k) => `summary.${k}`);
  /** A comma-separated list of paths, or null: back to the default. */
  const setCols = (value: string | null) => {
    if (value === null) localStorage.removeItem(colsKey);
    else localStorage.setItem(colsKey, value);
    setStoredCols(value);
    set({ cols: value });
  };
  const toggleCol = (field: string) =>
    setCols((chosen.includes(field) ? chosen.filter((c) => c !== field) : [...chosen, field]).join(','));
  return { chosen, setCols, toggleCol };
}
