'use client';
// The runs of a project as the table shows them: the first page from the Runs query, later pages loaded as the
// table scrolls near its end (10,000+ runs stay smooth), and rows patched live from the API's run events.
// A loaded run's row is patched from the event itself (status, times, summary); a run not in the table (new, or
// now matching the filter) makes one refetch of the first page, a burst of them too.
import { useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '@/gql';
import type { RunFilter, RunOrder, RunsQuery, RunsRunUpdatedSubscription } from '@/gql/graphql';
import { useEvents, useThrottle } from '@/lib/useEvents';

const Runs = graphql(`
  query Runs(
    $project: String!
    $filter: RunFilter
    $search: String
    $orderBy: [RunOrder!]
    $first: Int
    $after: String
  ) {
    runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          summary
          ...RunRowFields
        }
      }
    }
  }
`);

// Only fields of RunRowFields (RunsTable), so an event laid over a loaded row keeps it whole.
const RunUpdated = graphql(`
  subscription RunsRunUpdated($project: String!) {
    runUpdated(project: $project) {
      id
      status
      startedAt
      finishedAt
      summary
    }
  }
`);

const PAGE = 500;

export type RunNode = RunsQuery['runs']['edges'][number]['node'];
type Patch = RunsRunUpdatedSubscription['runUpdated'];
type More = { key: string; runs: RunNode[]; cursor: string | null; done: boolean };
const NONE: More = { key: '', runs: [], cursor: null, done: false };

export function useRunPages({
  project,
  filter,
  search,
  orderBy,
  pause,
}: {
  project: string;
  filter?: RunFilter;
  /** Words each run's name, notes, a tag or its id must hold (the API's search). */
  search?: string;
  orderBy: RunOrder[];
  pause: boolean;
}) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: Runs,
    variables: { project, filter, search, orderBy, first: PAGE },
    pause,
  });
  const [live, setLive] = useState<Record<string, Patch>>({});
  const loadedIds = useRef(new Set<string>());
  const refetchFirst = useThrottle(() => refetch({ requestPolicy: 'network-only' }), 250);
  useEvents(RunUpdated, { project }, ({ runUpdated: run }) => {
    if (loadedIds.current.has(run.id)) setLive((prev) => ({ ...prev, [run.id]: run }));
    else refetchFirst();
  });
  const client = useClient();
  const [more, setMore] = useState<More>(NONE);
  const key = JSON.stringify({ project, filter, search, orderBy });
  const first = data?.runs;
  const extra =
    more.key === key
      ? more
      : { key, runs: [], cursor: first?.pageInfo.endCursor ?? null, done: !first?.pageInfo.hasNextPage };
  const runs: RunNode[] = [...(first?.edges.map((e) => e.node) ?? []), ...extra.runs].map((r) =>
    live[r.id] ? { ...r, ...live[r.id] } : r,
  );
  loadedIds.current = new Set(runs.map((r) => r.id));
  const loading = useRef(false);
  const loadMore = async () => {
    if (loading.current || extra.done || !extra.cursor) return;
    loading.current = true;
    const r = await client
      .query(
        Runs,
        { project, filter, search, orderBy, first: PAGE, after: extra.cursor },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    loading.current = false;
    const page = r.data?.runs;
    if (!page) return;
    setMore({
      key,
      runs: [...extra.runs, ...page.edges.map((e) => e.node)],
      cursor: page.pageInfo.endCursor ?? null,
      done: !page.pageInfo.hasNextPage,
    });
  };
  /** After runs were deleted: forget the later pages and load the first again. */
  const reload = () => {
    setMore(NONE);
    refetch({ requestPolicy: 'network-only' });
  };
  return { runs, totalCount: data?.runs.totalCount, fetching, error, loaded: !!data, loadMore, reload };
}
