'use client';
// The runs table grouped by one field (a config key, status, …): a row per group with its run count, statuses
// and the mean (min – max) of each summary column; a group expands to its runs.
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import type { RunFilter } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';
import { fmt } from '@/lib/format';
import { Status } from '@/lib/Status';

const GroupsQuery = graphql(`
  query RunGroups($project: String!, $by: String!, $filter: RunFilter, $metrics: [String!]) {
    runGroups(project: $project, by: $by, filter: $filter, metrics: $metrics) {
      value
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
  query GroupRuns($project: String!, $filter: RunFilter) {
    runs(project: $project, filter: $filter, first: 50) {
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

function Members({
  project,
  filter,
  metrics,
  span,
}: {
  project: string;
  filter: RunFilter;
  metrics: string[];
  span: number;
}) {
  const [{ data }] = useQuery({ query: GroupRuns, variables: { project, filter } });
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
  metrics,
}: {
  project: string;
  by: string;
  filter?: RunFilter;
  metrics: string[];
}) {
  const [{ data, error }] = useQuery({ query: GroupsQuery, variables: { project, by, filter, metrics } });
  const [open, setOpen] = useState<Set<string>>(new Set());
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const span = 3 + metrics.length;
  return (
    <table className="runs" data-testid="groups">
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
          const id = JSON.stringify(g.value ?? null);
          const expanded = open.has(id);
          const label = g.value === null || g.value === undefined ? '(none)' : JSON.stringify(g.value);
          // The group's own runs: the table's filter AND this group's value.
          const mine: RunFilter =
            g.value === null || g.value === undefined
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
                metrics={metrics}
                span={span}
              />
            ),
          ];
        })}
      </tbody>
    </table>
  );
}
