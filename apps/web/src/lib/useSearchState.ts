'use client';
// The page's URL state (sort, filter, selection, smoothing, zoom, …) so a view can be shared by link: the
// current search params and one setter that changes some keys (null deletes one) and replaces the history
// entry, leaving the other keys as they are.
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

export type SearchChanges = Record<string, string | null>;

export function useSearchState() {
  const search = useSearchParams();
  const router = useRouter();
  const set = useCallback(
    (changes: SearchChanges) => {
      const p = new URLSearchParams(search.toString());
      for (const [k, v] of Object.entries(changes)) v === null ? p.delete(k) : p.set(k, v);
      router.replace(`?${p.toString()}`);
    },
    [search, router],
  );
  return [search, set] as const;
}
