'use client';
// The project workspace: a grid of chart panels over the runs the table shows (its filter; its selection when
// runs are ticked; its grouping, drawn as each group's mean with a min–max band), panels added, edited and
// removed here, and saved views (named panels + table state, opened by ?view=<id>, a default per user). Until
// a view is saved, the panels are kept in this browser per project; a new project starts with one panel per
// metric key family.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import type { RunFilter, RunOrder } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';
import type { SearchChanges } from '@/lib/useSearchState';
import { Panel } from './Panel';
import { PanelEditor } from './PanelEditor';
import {
  defaultPanels,
  groupRuns,
  type PanelRun,
  type PanelSpec,
  type TableState,
  type XChoice,
} from './panels';
import { type SeriesRuns, useSeries } from './useSeries';
import styles from './workspace.module.css';

/** Runs drawn at most (the first of the table's order, or the selected ones). */
export const MAX_VISIBLE = 100;

const Info = graphql(`
  query WorkspaceInfo($project: String!) {
    project(ref: $project) {
      id
      role
      workspaceMetricKeys
      views {
        id
        name
        canEdit
      }
      defaultView {
        id
      }
    }
  }
`);

const ViewQuery = graphql(`
  query WorkspaceView($id: ID!) {
    view(id: $id) {
      id
      name
      spec
      canEdit
      isDefault
    }
  }
`);

const CreateView = graphql(`
  mutation CreateView($project: String!, $name: String!, $spec: JSON!) {
    createView(project: $project, name: $name, spec: $spec) {
      id
      name
      spec
      canEdit
      isDefault
    }
  }
`);
const UpdateView = graphql(`
  mutation UpdateView($id: ID!, $spec: JSON) {
    updateView(id: $id, spec: $spec) {
      id
      name
      spec
      canEdit
      isDefault
    }
  }
`);
const DeleteView = graphql(`
  mutation DeleteView($id: ID!) {
    deleteView(id: $id)
  }
`);
const SetDefault = graphql(`
  mutation SetDefaultView($project: String!, $id: ID) {
    setDefaultView(project: $project, id: $id) {
      id
      isDefault
    }
  }
`);

/** The panels with the i-th and j-th swapped. */
const swap = <T,>(xs: T[], i: number, j: number) => {
  const out = [...xs];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
};

const draftKey = (project: string) => `anneal:workspace:${project}`;
/** Set while the project's default panels show every key it logged (and it has no default view). */
const everyKeyKey = (project: string) => `anneal:workspace-every-key:${project}`;

export function Workspace({
  project,
  runs,
  selected,
  table,
  viewId: viewParam,
  set,
  fields,
  summaryKeys,
  query,
}: {
  project: string;
  /** The table's runs in its order (filtered). */
  runs: readonly PanelRun[];
  selected: string[];
  table: TableState;
  viewId: string | null;
  set: (changes: SearchChanges) => void;
  /** config.* and summary.* paths. */
  fields: string[];
  summaryKeys: string[];
  /** The table's query (null while it is invalid): without a selection the series follow it on the server. */
  query: { filter?: RunFilter | null; search?: string | null; orderBy?: RunOrder[] | null } | null;
}) {
  // ?view=none: this browser's workspace, chosen over the user's default view.
  const viewId = viewParam === 'none' ? null : viewParam;
  const [{ data: info }, refetchInfo] = useQuery({ query: Info, variables: { project } });
  const [{ data: viewData, error: viewError }] = useQuery({
    query: ViewQuery,
    variables: { id: viewId ?? '' },
    pause: !viewId,
  });
  const view = viewId && viewData?.view?.id === viewId ? viewData.view : null;
  const metricKeys = info?.project.workspaceMetricKeys ?? [];
  const [panels, setPanelsState] = useState<PanelSpec[] | null>(null);
  const [source, setSource] = useState<string>('');
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [naming, setNaming] = useState<string | null>(null);
  const [created, createView] = useMutation(CreateView);
  const [updated, updateView] = useMutation(UpdateView);
  const [deleted, deleteView] = useMutation(DeleteView);
  const [, setDefault] = useMutation(SetDefault);
  /**
   * Whether, when this browser last opened the project, it kept no draft of its panels and the project had no
   * default view and no more keys than the default panels show (read after mounting: no localStorage on the
   * server).
   */
  const [everyKeyBefore, setEveryKeyBefore] = useState(false);
  useEffect(
    () =>
      setEveryKeyBefore(
        !localStorage.getItem(draftKey(project)) && !!localStorage.getItem(everyKeyKey(project)),
      ),
    [project],
  );
  const applied = useRef<string | null>(null);
  /** Whether the page has gone to the user's default view once (or the user chose another): not again. */
  const defaulted = useRef(false);

  // Which panels: the view named in the URL (its table state applied once), else the user's default view,
  // else this browser's draft, else one panel per metric key family.
  useEffect(() => {
    if (viewId) {
      if (!view || source === `view:${view.id}`) return;
      const spec = view.spec as { panels: PanelSpec[]; table: TableState };
      setPanelsState(spec.panels);
      setSource(`view:${view.id}`);
      if (applied.current !== view.id) {
        applied.current = view.id;
        const t = spec.table;
        set({
          filter: t.filter || null,
          group: t.group,
          cols: t.cols ? t.cols.join(',') : null,
          sort: t.sort === 'createdAt' ? null : t.sort,
          dir: t.dir === 'DESC' ? null : t.dir,
        });
      }
      return;
    }
    if (!info) return;
    const dflt = info.project.defaultView?.id;
    if (dflt && !defaulted.current && viewParam === null) {
      defaulted.current = true;
      set({ view: dflt });
      return;
    }
    defaulted.current = true;
    if (source === 'draft' || source === 'default') return;
    const draft = localStorage.getItem(draftKey(project));
    if (draft) {
      try {
        setPanelsState(JSON.parse(draft) as PanelSpec[]);
        setSource('draft');
        return;
      } catch {
        localStorage.removeItem(draftKey(project));
      }
    }
    setPanelsState(defaultPanels(metricKeys));
    setSource('default');
  }, [viewId, view, info, source, project, metricKeys, set]);

  const setPanels = (next: PanelSpec[]) => {
    setPanelsState(next);
    if (!viewId) {
      localStorage.setItem(draftKey(project), JSON.stringify(next));
      setSource('draft');
    }
  };
  const dirty =
    !!view && JSON.stringify((view.spec as { panels: unknown }).panels) !== JSON.stringify(panels);

  const visible = useMemo(() => {
    const pick = selected.length ? runs.filter((r) => selected.includes(r.id)) : runs;
    return pick.slice(0, MAX_VISIBLE);
  }, [runs, selected]);
  const groups = useMemo(() => groupRuns(visible, table.group), [visible, table.group]);
  // The same runs keep the same query (a live patch of a row does not refetch the series).
  const idsKey = visible.map((r) => r.id).join(',');
  const ids = useMemo(() => idsKey.split(',').filter(Boolean), [idsKey]);
  const list = panels ?? [];
  // Without a selection, the series name the table's query (the server picks its first MAX_VISIBLE runs), so
  // they load beside the table's rows instead of after them; a selection names its runs.
  const seriesRuns = useMemo<SeriesRuns>(
    () =>
      selected.length || !query
        ? { ids }
        : { project, filter: query.filter, search: query.search, orderBy: query.orderBy, first: MAX_VISIBLE },
    [selected.length, query, ids, project],
  );
  // The default panels draw every key when all the project's keys fit in them, so their series are every key
  // on the step axis, and the same request serves them before and after they are made. When this browser
  // found it so last time, that request goes out as the page mounts, beside the project's info rather than
  // after it (the series are most of the page's wait); should the info say otherwise now (a default view,
  // more keys than the default panels show), the panels' own request replaces it. Not on a first visit: every
  // key of a project that logs hundreds would be a heavy request to throw away.
  const fits =
    !!info &&
    !info.project.defaultView &&
    metricKeys.length > 0 &&
    defaultPanels(metricKeys).reduce((n, p) => n + (p.kind === 'line' ? p.metrics.length : 0), 0) ===
      metricKeys.length;
  useEffect(() => {
    if (!info) return;
    if (fits) localStorage.setItem(everyKeyKey(project), '1');
    else localStorage.removeItem(everyKeyKey(project));
  }, [info, fits, project]);
  const everyKey =
    !viewId && (source === 'default' ? fits : source === '' && everyKeyBefore && (!info || fits));
  const { seriesOf, fetching, error } = useSeries(seriesRuns, list, undefined, everyKey);
  const seriesOfPanel = useCallback(
    (run: string, x: XChoice, key: string) => seriesOf(run, x, key),
    [seriesOf],
  );
  const spec = () => ({ panels: list, table });

  return (
    <section className={styles.workspace} aria-label="Workspace" data-testid="workspace">
      <div className={styles.bar}>
        <label>
          View{' '}
          <select
            aria-label="Saved view"
            data-testid="view-select"
            value={viewId ?? ''}
            onChange={(e) => {
              // Only the URL changes here: the effect above loads the chosen view (resetting state here
              // would re-apply the old view's table state over the change).
              defaulted.current = true;
              set({ view: e.target.value || (info?.project.defaultView ? 'none' : null) });
            }}
          >
            <option value="">(this browser's workspace)</option>
            {info?.project.views.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        {naming === null ? (
          <button type="button" onClick={() => setNaming('')}>
            Save view as…
          </button>
        ) : (
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              const r = await createView({ project, name: naming, spec: spec() });
              if (r.data) {
                setNaming(null);
                refetchInfo({ requestPolicy: 'network-only' });
                applied.current = r.data.createView.id;
                set({ view: r.data.createView.id });
              }
            }}
          >
            <input
              aria-label="View name"
              value={naming}
              onChange={(e) => setNaming(e.target.value)}
              placeholder="name"
            />
            <button type="submit" disabled={!naming.trim() || created.fetching}>
              Save
            </button>
            <button type="button" onClick={() => setNaming(null)}>
              Cancel
            </button>
          </form>
        )}
        {view?.canEdit && dirty && (
          <button
            type="button"
            onClick={() => updateView({ id: view.id, spec: spec() })}
            disabled={updated.fetching}
          >
            Save changes
          </button>
        )}
        {view && (
          <>
            <button
              type="button"
              aria-pressed={view.isDefault}
              onClick={async () => {
                await setDefault({ project, id: view.isDefault ? null : view.id });
                refetchInfo({ requestPolicy: 'network-only' });
              }}
            >
              {view.isDefault ? 'Default view ✓' : 'Make default'}
            </button>
            <a href={`/p/${encodeURIComponent(project)}?view=${view.id}`} data-testid="view-link">
              Link to this view
            </a>
          </>
        )}
        {view?.canEdit && (
          <button
            type="button"
            onClick={async () => {
              if (!window.confirm(`Delete the view ${view.name}?`)) return;
              const r = await deleteView({ id: view.id });
              if (!r.error) {
                refetchInfo({ requestPolicy: 'network-only' });
                set({ view: null });
              }
            }}
          >
            Delete view
          </button>
        )}
        <button type="button" onClick={() => setEditing('new')}>
          Add panel
        </button>
      </div>
      <ErrorLine
        error={created.error ?? updated.error ?? deleted.error ?? viewError ?? error}
        testId="workspace-error"
      />
      <p className="muted" data-testid="workspace-runs" data-runs={visible.length}>
        {selected.length ? `${visible.length} selected` : `${visible.length} of ${runs.length} visible`} run
        {visible.length === 1 ? '' : 's'}
        {table.group ? `, ${groups.length} groups by ${table.group} (mean, min–max band)` : ''}
        {!selected.length && runs.length > MAX_VISIBLE
          ? ` (the first ${MAX_VISIBLE}; tick runs to choose)`
          : ''}
      </p>
      <ul className={styles.legend} aria-label="Legend" data-testid="legend">
        {groups.map((g) => (
          <li key={g.name} style={{ listStyle: 'none' }}>
            <span className={styles.swatch} style={{ background: g.colour }} />
            {g.name}
            {g.runs.length > 1 ? ` (${g.runs.length})` : ''}
          </li>
        ))}
      </ul>
      {editing === 'new' && (
        <PanelEditor
          initial={null}
          metricKeys={metricKeys}
          fields={fields}
          summaryKeys={summaryKeys}
          onSave={(p) => {
            setPanels([...list, p]);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {!list.length && panels && <p className="muted">No panels: add one.</p>}
      <div className={styles.grid} data-testid="panel-grid">
        {list.map((p, i) =>
          editing === p.id ? (
            <PanelEditor
              key={p.id}
              initial={p}
              metricKeys={metricKeys}
              fields={fields}
              summaryKeys={summaryKeys}
              onSave={(q) => {
                setPanels(list.map((x) => (x.id === p.id ? q : x)));
                setEditing(null);
              }}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <Panel
              key={p.id}
              spec={p}
              groups={groups}
              seriesOf={seriesOfPanel}
              fetching={fetching}
              onEdit={() => setEditing(p.id)}
              onRemove={() => setPanels(list.filter((x) => x.id !== p.id))}
              onMove={{
                earlier: i > 0 ? () => setPanels(swap(list, i, i - 1)) : undefined,
                later: i < list.length - 1 ? () => setPanels(swap(list, i, i + 1)) : undefined,
              }}
            />
          ),
        )}
      </div>
    </section>
  );
}
