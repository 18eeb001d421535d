// The runs table's state as the URL holds it, read in one place so whatever else shows a project's runs (the
// workspace's chart panels) shows the same ones: `q` (search: name, tags, notes, id), `filter` (the API's
// filter language as JSON), `sort` / `dir`, `group` (a key) / `bins` (ranges of a numeric key: a count, or
// 'off'), `sel` (selected run ids), `cols` / `pin` (columns). Pass `search` and `filter` to the API's
// `runs(project, search, filter, orderBy)` and `runGroups(…, search, filter, bins)` as they are.
import type { RunFilter, RunOrder } from '../../../gql/graphql';
import { parseFilter } from './filterText';

/** Bins of a numeric group-by key: the `bins` URL parameter ('off', or a count); 10 by default. */
export const binsOf = (param: string | null): number | null =>
  param === 'off' ? null : Number.isInteger(Number(param)) && Number(param) >= 2 ? Number(param) : 10;

export interface TableState {
  /** The search words, or undefined. */
  search?: string;
  filter?: RunFilter;
  /** Why the `filter` parameter is not a filter (the runs are not fetched then). */
  filterError?: string;
  sort: string;
  dir: 'ASC' | 'DESC';
  orderBy: RunOrder[];
  groupBy: string | null;
  /** The `bins` parameter: about this many ranges for a numeric group key, null for a group per value. */
  bins: number | null;
  selected: string[];
}

export function readTableState(params: URLSearchParams): TableState {
  const sort = params.get('sort') ?? 'createdAt';
  const dir = params.get('dir') === 'ASC' ? 'ASC' : 'DESC';
  const { filter, error } = parseFilter(params.get('filter') ?? '');
  return {
    search: params.get('q') || undefined,
    filter,
    filterError: error,
    sort,
    dir,
    orderBy: [{ field: sort, direction: dir }],
    groupBy: params.get('group'),
    bins: binsOf(params.get('bins')),
    selected: (params.get('sel') ?? '').split(',').filter(Boolean),
  };
}
