'use client';
// The runs table of a project: virtualised (thousands of rows stay smooth), sorted by any column, filtered with
// the API's filter language (a builder and a JSON text box), grouped by a key with aggregate rows, status
// badges live from the API's run events; state in the URL so a view can be shared by link. The rows and their
// live patches: useRunPages; the extra columns: useColumns; the table: RunsTable.
import { useParams } from 'next/navigation';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql, useFragment } from '@/gql';
import type { RunOrder } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';
import { count } from '@/lib/format';
import { headlineOrder } from '@/lib/splits';
import { useSearchState } from '@/lib/useSearchState';
import { Groups } from './Groups';
import { RunActions } from './RunActions';
import { parseFilter, RunFilters } from './RunFilters';
import { RunRowFields, RunsTable } from './RunsTable';
import { ColumnPicker, GroupBy } from './TableOptions';
import { useColumns } from './useColumns';
import { useRunPages } from './useRunPages';
import { Workspace } from './workspace/Workspace';
import styles from './workspace/workspace.module.css';

const Keys = graphql(`
  query ProjectKeys($project: String!) {
    project(ref: $project) {
      configKeys {
        key
      }
    }
  }
`);

/** Attributes the filter and group-by take besides config.* and summary.* paths. */
const ATTRIBUTES = [
  'name',
  'status',
  'tags',
  'group',
  'host',
  'notes',
  'createdAt',
  'startedAt',
  'finishedAt',
  'duration',
];

export default function RunsPage() {
  const { project } = useParams<{ project: string }>();
  const name = decodeURIComponent(project);
  const [search, set] = useSearchState();
  const sort = search.get('sort') ?? 'createdAt';
  const dir = search.get('dir') === 'ASC' ? 'ASC' : 'DESC';
  const { filter, error: filterError } = parseFilter(search.get('filter') ?? '');
  const orderBy: RunOrder[] = [{ field: sort, direction: dir }];
  const { runs, totalCount, fetching, error, loaded, loadMore, reload } = useRunPages({
    project: name,
    filter,
    orderBy,
    pause: !!filterError,
  });
  // Summary columns: the keys of numbers the listed runs report (not a confusion matrix), headline metrics first
  // (F1, accuracy, ROC-AUC, perplexity, loss; validation, then test, then training).
  const summaryKeys = useMemo(() => {
    const keys = new Set<string>();
    for (const r of runs)
      for (const [k, v] of Object.entries((r.summary as Record<string, unknown>) ?? {}))
        if (typeof v === 'number') keys.add(k);
    return headlineOrder([...keys]).slice(0, 6);
  }, [runs]);
  const selected = (search.get('sel') ?? '').split(',').filter(Boolean);
  const toggle = (id: string) =>
    set({
      sel: (selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]).join(',') || null,
    });
  const sortBy = (field: string) =>
    set({ sort: field, dir: sort === field && dir === 'DESC' ? 'ASC' : 'DESC' });
  const [{ data: keyData }] = useQuery({ query: Keys, variables: { project: name } });
  const configKeys = keyData?.project.configKeys.map((k) => `config.${k.key}`) ?? [];
  const { chosen, setCols, toggleCol } = useColumns({
    project: name,
    param: search.get('cols'),
    summaryKeys,
    set,
  });
  const groupBy = search.get('group');
  // The panels read the rows the table reads (name, status, config, summary).
  const panelRuns = useFragment(RunRowFields, runs);
  const summaryFields = summaryKeys.map((k) => `summary.${k}`);
  return (
    <>
      <h1>{name}</h1>
      <div className={styles.layout}>
        <section className={styles.runsPane} aria-label="Runs">
          <RunFilters
            param={search.get('filter') ?? ''}
            filter={filter}
            error={filterError}
            fields={[...ATTRIBUTES, ...configKeys, ...summaryFields]}
            onApply={(text) => set({ filter: text })}
          />
          <ErrorLine error={error} />
          <RunActions
            project={project}
            selected={selected}
            onDeleted={() => {
              set({ sel: null });
              reload();
            }}
          />
          <ColumnPicker
            fields={[...configKeys, ...summaryFields]}
            chosen={chosen}
            onToggle={toggleCol}
            onReset={() => setCols(null)}
          />
          <GroupBy
            value={groupBy}
            keys={['status', 'group', 'host', ...configKeys]}
            onChange={(g) => set({ group: g })}
          />
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
              metrics={chosen.filter((c) => c.startsWith('summary.')).map((c) => c.slice(8))}
            />
          )}
          <RunsTable
            runs={runs}
            chosen={chosen}
            sort={sort}
            dir={dir}
            onSort={sortBy}
            selected={selected}
            onToggle={toggle}
            onNearEnd={() => void loadMore()}
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
        />
      </div>
    </>
  );
}
