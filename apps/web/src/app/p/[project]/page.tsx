'use client';
// The runs table of a project: virtualised (thousands of rows stay smooth), searched (name, tags, notes, id),
// sorted by any column (NaN last either way), filtered with the API's filter language (a typed builder and a
// JSON text box), grouped by a key with aggregate rows (numeric keys in ranges), status badges live from the
// API's run events, and driven from the keyboard (/ search, j / k move, enter opens, x selects). The table's
// state — q, filter, sort, dir, cols, pin, group, bins, sel — lives in the URL, so a view can be shared by link
// and the project's other panels read the same runs. The rows and their live patches: useRunPages; the
// columns: useColumns; the table: RunsTable.
import { useParams, useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { graphql, useFragment } from '@/gql';
import { count } from '@/lib/format';
import { headlineOrder } from '@/lib/splits';
import { useSearchState } from '@/lib/useSearchState';
import { ATTRIBUTE_KINDS, type FieldKind } from './FilterBuilder';
import { Groups } from './Groups';
import { RunActions } from './RunActions';
import { RunFilters, readableError, SearchBox } from './RunFilters';
import { RunRowFields, RunsTable } from './RunsTable';
import styles from './runs.module.css';
import { ColumnPicker, GroupBy } from './TableOptions';
import { readTableState } from './tableState';
import { useColumns, varyingConfigKeys } from './useColumns';
import { useRunPages } from './useRunPages';
import { Workspace } from './workspace/Workspace';
import ws from './workspace/workspace.module.css';

const Keys = graphql(`
  query ProjectKeys($project: String!) {
    project(ref: $project) {
      configKeys {
        key
        type
      }
    }
  }
`);

/** A key-press typed into a text field (not a shortcut). */
function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.closest('textarea, select, [contenteditable="true"]')) return true;
  return t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(t.type);
}

export default function RunsPage() {
  const { project } = useParams<{ project: string }>();
  const name = decodeURIComponent(project);
  const router = useRouter();
  const [search, set] = useSearchState();
  const { search: q, filter, filterError, sort, dir, orderBy, selected, ...table } = readTableState(search);
  const { runs, totalCount, fetching, error, loaded, loadMore, reload } = useRunPages({
    project: name,
    filter,
    search: q,
    orderBy,
    pause: !!filterError,
  });
  // Summary columns: the keys of numbers the listed runs report (not a confusion matrix), headline metrics first
  // (F1, accuracy, ROC-AUC, perplexity, loss; validation, then test, then training).
  const summaryKeys = useMemo(() => {
    const keys = new Set<string>();
    for (const r of runs.slice(0, 500))
      for (const [k, v] of Object.entries((r.summary as Record<string, unknown>) ?? {}))
        if (typeof v === 'number') keys.add(k);
    return headlineOrder([...keys]);
  }, [runs]);
  const configs = useMemo(() => runs.slice(0, 500).map((r) => (r as { config?: unknown }).config), [runs]);
  const varying = useMemo(() => varyingConfigKeys(configs), [configs]);
  const toggle = useCallback(
    (id: string) => {
      const sel = (search.get('sel') ?? '').split(',').filter(Boolean);
      set({ sel: (sel.includes(id) ? sel.filter((x) => x !== id) : [...sel, id]).join(',') || null });
    },
    [search, set],
  );
  const sortBy = (field: string) =>
    set({ sort: field, dir: sort === field && dir === 'DESC' ? 'ASC' : 'DESC' });
  const [{ data: keyData }] = useQuery({ query: Keys, variables: { project: name } });
  const configKeys = keyData?.project.configKeys.map((k) => `config.${k.key}`) ?? [];
  const summaryFields = summaryKeys.map((k) => `summary.${k}`);
  // The filter builder's operators follow each field's type.
  const kinds = useMemo(() => {
    const out: Record<string, FieldKind> = {};
    for (const k of keyData?.project.configKeys ?? [])
      out[`config.${k.key}`] = k.type === 'number' ? 'number' : k.type === 'boolean' ? 'boolean' : 'string';
    for (const k of summaryKeys) out[`summary.${k}`] = 'number';
    return out;
  }, [keyData, summaryKeys]);
  const { chosen, pinned, setCols, togglePin } = useColumns({
    project: name,
    param: search.get('cols'),
    pinParam: search.get('pin'),
    defaults: [...varying, ...summaryFields.slice(0, 6)],
    set,
  });
  const { groupBy } = table;
  // The panels read the rows the table reads (name, status, config, summary).
  const panelRuns = useFragment(RunRowFields, runs);
  const numericGroup = !!groupBy && (kinds[groupBy] === 'number' || ATTRIBUTE_KINDS[groupBy] === 'number');

  // Keyboard: / focuses the search; j / k move a cursor over the rows, enter opens its run, x selects it.
  const searchBox = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState(-1);
  const state = useRef({ runs, cursor, toggle, grouped: !!groupBy });
  state.current = { runs, cursor, toggle, grouped: !!groupBy };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || typing(e.target)) return;
      const { runs, cursor, toggle, grouped } = state.current;
      if (e.key === '/') {
        e.preventDefault();
        searchBox.current?.focus();
        return;
      }
      if (grouped || !runs.length) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        const next = Math.min(runs.length - 1, Math.max(0, cursor + (e.key === 'j' ? 1 : -1)));
        setCursor(cursor < 0 ? 0 : next);
      } else if (e.key === 'x' && cursor >= 0 && runs[cursor]) {
        e.preventDefault();
        toggle(runs[cursor].id);
      } else if (e.key === 'Enter' && cursor >= 0 && runs[cursor]) {
        // Enter on a link or button does its own thing.
        const t = e.target as HTMLElement | null;
        if (t?.closest('a, button, summary')) return;
        e.preventDefault();
        router.push(`/r/${runs[cursor].id}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router]);
  // A new list (search, filter, sort) starts the cursor over.
  const listKey = JSON.stringify([q, search.get('filter'), sort, dir]);
  useEffect(() => setCursor(-1), [listKey]);
  const onSearch = useCallback((text: string | null) => set({ q: text }), [set]);

  return (
    <>
      <h1>{name}</h1>
      <div className={ws.layout}>
        <section className={ws.runsPane} aria-label="Runs">
          <div className={styles.tools}>
            <SearchBox ref={searchBox} value={q ?? ''} onChange={onSearch} />
          </div>
          <RunFilters
            param={search.get('filter') ?? ''}
            filter={filter}
            error={filterError}
            fields={[...Object.keys(ATTRIBUTE_KINDS), ...configKeys, ...summaryFields]}
            kinds={kinds}
            onApply={(text) => set({ filter: text })}
          />
          {error && (
            <p className="error" role="alert" data-testid="runs-error">
              {readableError(error)}
            </p>
          )}
          <RunActions
            project={project}
            selected={selected}
            onDeleted={() => {
              set({ sel: null });
              reload();
            }}
          />
          <div className={styles.tools}>
            <ColumnPicker
              fields={[...configKeys, ...summaryFields]}
              chosen={chosen}
              pinned={pinned}
              onChange={setCols}
              onPin={togglePin}
              onReset={() => setCols(null)}
            />
            <GroupBy
              value={groupBy}
              keys={['status', 'group', 'host', 'duration', ...configKeys, ...summaryFields]}
              numeric={numericGroup}
              bins={search.get('bins')}
              onChange={(c) =>
                set(c.group !== undefined ? { group: c.group, bins: null } : { bins: c.bins ?? null })
              }
            />
          </div>
          <p className="muted" data-testid="count">
            {fetching && !loaded ? 'Loading…' : count(totalCount ?? 0, 'run')}
          </p>
          {runs.length < (totalCount ?? 0) && (
            <p className="muted" data-testid="loaded">
              {runs.length} loaded; scroll for more
            </p>
          )}
          {groupBy && (
            <Groups
              project={name}
              by={groupBy}
              filter={filter}
              search={q}
              metrics={chosen.filter((c) => c.startsWith('summary.')).map((c) => c.slice(8))}
              bins={numericGroup ? table.bins : null}
            />
          )}
          <RunsTable
            project={name}
            runs={runs}
            chosen={chosen}
            pinned={pinned}
            sort={sort}
            dir={dir}
            onSort={sortBy}
            selected={selected}
            onToggle={toggle}
            onNearEnd={() => void loadMore()}
            cursor={cursor}
            hidden={!!groupBy}
          />
        </section>
        <Workspace
          project={name}
          runs={panelRuns}
          selected={selected}
          table={{
            filter: search.get('filter') ?? '',
            group: groupBy,
            cols: search.get('cols')?.split(',').filter(Boolean) ?? null,
            sort,
            dir,
          }}
          viewId={search.get('view')}
          set={set}
          fields={[...configKeys, ...summaryFields]}
          summaryKeys={summaryKeys}
          query={filterError ? null : { filter, search: q, orderBy }}
        />
      </div>
    </>
  );
}
