'use client';
// The runs table grouped by one field (a config key, status, …): a row per group with its run count, statuses
// and the mean (min – max) of each summary column; a group expands to its runs. A numeric key is grouped in
// ranges (decades for a learning rate) unless asked for a group per value. The table scrolls in its own region.
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import type { RunFilter } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';
import { fmt } from '@/lib/format';
import { Status } from '@/lib/Status';
import styles from './runs.module.css';

const GroupsQuery = graphql(`
  query RunGroups(
    $project: String!
    $by: String!
    $filter: RunFilter
    $search: String
    $metrics: [String!]
    $bins: Int
  ) {
    runGroups(project: $project, by: $by, filter: $filter, search: $search, metrics: $metrics, bins: $bins) {
      value
      bin {
        lower
        upper
      }
      count
      statuses {
        status
        count
      }
      aggregates {
        key
        count
        mean
        min
        max
      }
    }
  }
`);

const GroupRuns = graphql(`
  query GroupRuns($project: String!, $filter: RunFilter, $search: String) {
    runs(project: $project, filter: $filter, search: $search, first: 50) {
      totalCount
      edges {
        node {
          id
          name
          status
          summary
        }
      }
    }
  }
`);

/** A bin edge at 4 significant digits without trailing zeros: 0.0001, 1e-7, 0.2. */
const edge = (v: number) => String(Number(v.toPrecision(4)));

function Members({
  project,
  filter,
  search,
  metrics,
  span,
}: {
  project: string;
  filter: RunFilter;
  search?: string;
  metrics: string[];
  span: number;
}) {
  const [{ data }] = useQuery({ query: GroupRuns, variables: { project, filter, search } });
  if (!data)
    return (
      <tr>
        <td colSpan={span} className="muted">
          Loading…
        </td>
      </tr>
    );
  const more = data.runs.totalCount - data.runs.edges.length;
  return (
    <>
      {data.runs.edges.map(({ node: r }) => (
        <tr key={r.id} className="member" data-testid="group-member">
          <td />
          <td>
            <Link href={`/r/${r.id}`}>{r.name}</Link>
          </td>
          <td>
            <Status of={r.status} />
          </td>
          {metrics.map((m) => (
            <td key={m}>{fmt((r.summary as Record<string, unknown>)[m])}</td>
          ))}
        </tr>
      ))}
      {more > 0 && (
        <tr>
          <td colSpan={span} className="muted">
            and {more} more (filter the table to this group to see them all)
          </td>
        </tr>
      )}
    </>
  );
}

export function Groups({
  project,
  by,
  filter,
  search,
  metrics,
  bins,
}: {
  project: string;
  by: string;
  filter?: RunFilter;
  search?: string;
  metrics: string[];
  /** About this many ranges for a numeric key; null: a group per value. */
  bins: number | null;
}) {
  const [{ data, error }] = useQuery({
    query: GroupsQuery,
    variables: { project, by, filter, search, metrics, bins },
  });
  const [open, setOpen] = useState<Set<string>>(new Set());
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const span = 3 + metrics.length;
  return (
    <section
      className={styles.region}
      style={{ height: 'auto', maxHeight: '70vh' }}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
      tabIndex={0}
      aria-label={`Runs grouped by ${by}`}
    >
      <table className={`runs ${styles.table}`} style={{ width: '100%' }} data-testid="groups">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">expand</span>
            </th>
            <th scope="col">{by}</th>
            <th scope="col">runs</th>
            {metrics.map((m) => (
              <th scope="col" key={m}>
                {m} <span className="muted">mean (min – max)</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.runGroups.map((g) => {
            const id = g.bin ? `bin ${g.bin.lower}` : JSON.stringify(g.value ?? null);
            const expanded = open.has(id);
            const label = g.bin
              ? `${edge(g.bin.lower)} ≤ x < ${edge(g.bin.upper)}`
              : g.value === null || g.value === undefined
                ? '(none)'
                : JSON.stringify(g.value);
            // The group's own runs: the table's filter AND this group's value (or range).
            const mine: RunFilter = g.bin
              ? {
                  and: [
                    { field: by, op: 'GTE', value: g.bin.lower },
                    { field: by, op: 'LT', value: g.bin.upper },
                  ],
                }
              : g.value === null || g.value === undefined
                ? { not: { field: by, op: 'EXISTS' } }
                : { field: by, op: 'EQ', value: g.value };
            return [
              <tr key={id} data-testid="group-row">
                <td>
                  <button
                    type="button"
                    aria-expanded={expanded}
                    aria-label={`${expanded ? 'collapse' : 'expand'} ${by} = ${label}`}
                    onClick={() => {
                      const next = new Set(open);
                      expanded ? next.delete(id) : next.add(id);
                      setOpen(next);
                    }}
                  >
                    {expanded ? '▾' : '▸'}
                  </button>
                </td>
                <td>
                  <strong>{label}</strong>
                </td>
                <td>
                  {g.count}{' '}
                  {g.statuses.map((s) => (
                    <Status key={s.status} of={s.status}>
                      {s.count} {s.status}
                    </Status>
                  ))}
                </td>
                {g.aggregates.map((a) => (
                  <td key={a.key} data-testid={`agg-${a.key}`}>
                    {a.count ? (
                      <>
                        {fmt(a.mean)}{' '}
                        <span className="muted">
                          ({fmt(a.min)} – {fmt(a.max)})
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                ))}
              </tr>,
              expanded && (
                <Members
                  key={`${id}-runs`}
                  project={project}
                  filter={filter ? { and: [filter, mine] } : mine}
                  search={search}
                  metrics={metrics}
                  span={span}
                />
              ),
            ];
          })}
        </tbody>
      </table>
    </section>
  );
}
