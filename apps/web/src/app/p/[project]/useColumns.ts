'use client';
// The runs table's extra columns (config.* and summary.* paths, in their order) and the columns pinned to its
// left: the `cols` and `pin` URL parameters, else the last choice made for this project in this browser (kept
// in localStorage, so it outlives the URL), else the defaults — the config keys whose values differ across the
// listed runs, then their headline summary keys — with the name pinned.
import { useEffect, useState } from 'react';
import type { SearchChanges } from '@/lib/useSearchState';

/** Every leaf of a JSON object as [dotted path, its value as JSON text]. */
function leaves(o: unknown, prefix = ''): [string, string][] {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return [[prefix, JSON.stringify(o ?? null)]];
  return Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * The config keys (as `config.<path>`) whose values differ across the runs (the first 500 are read; a key some
 * runs lack differs too), those with the fewest distinct values first — the swept parameters before seeds and
 * output paths — at most `max`.
 */
export function varyingConfigKeys(configs: unknown[], max = 8): string[] {
  const values = new Map<string, Set<string>>();
  const runs = new Map<string, number>();
  const sample = configs.slice(0, 500);
  for (const c of sample)
    for (const [k, v] of leaves(c)) {
      values.set(k, (values.get(k) ?? new Set()).add(v));
      runs.set(k, (runs.get(k) ?? 0) + 1);
    }
  return [...values.entries()]
    .filter(([k, s]) => k && (s.size > 1 || (runs.get(k) ?? 0) < sample.length))
    .sort((a, b) => a[1].size - b[1].size || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([k]) => `config.${k}`);
}

function useStored(key: string) {
  const [stored, setStored] = useState<string | null>(null);
  useEffect(() => setStored(localStorage.getItem(key)), [key]);
  const save = (value: string | null) => {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    setStored(value);
  };
  return [stored, save] as const;
}

export function useColumns({
  project,
  param,
  pinParam,
  defaults,
  set,
}: {
  project: string;
  /** The `cols` URL parameter. */
  param: string | null;
  /** The `pin` URL parameter. */
  pinParam: string | null;
  /** The default columns, in order. */
  defaults: string[];
  set: (changes: SearchChanges) => void;
}) {
  const [storedCols, saveCols] = useStored(`anneal:cols:${project}`);
  const [storedPin, savePin] = useStored(`anneal:pin:${project}`);
  const list = (s: string | null | undefined) => s?.split(',').filter(Boolean);
  const chosen = list(param ?? storedCols) ?? defaults;
  const pinned = list(pinParam ?? storedPin) ?? ['name'];
  /** The columns in order, or null: back to the default (pins too). */
  const setCols = (value: string[] | null) => {
    const text = value === null ? null : value.join(',');
    saveCols(text);
    if (value === null) savePin(null);
    set(value === null ? { cols: null, pin: null } : { cols: text });
  };
  const togglePin = (field: string) => {
    const next = pinned.includes(field) ? pinned.filter((p) => p !== field) : [...pinned, field];
    const text = next.join(',');
    savePin(text);
    set({ pin: text });
  };
  return { chosen, pinned, setCols, togglePin };
}
