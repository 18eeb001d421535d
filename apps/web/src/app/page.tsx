'use client';
// Projects of the signed-in user (lib/Session.tsx signs the browser in), a form to create one, and their API keys
// (made with a scope and optionally one project, listed with both, revoked with the keys they minted).
import Link from 'next/link';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { count } from '@/lib/format';
import { ApiKeys } from './ApiKeys';
import { NewProject } from './NewProject';

const Me = graphql(`
  query Me {
    me {
      name
      email
      projects {
        id
        name
        role
        activity {
          runs
          running
          lastRunAt
        }
      }
      apiKeys {
        ...ApiKeyFields
      }
    }
  }
`);

export default function Home() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: Me });
  if (fetching && !data) return <p className="muted">Loading…</p>;
  if (error) return <ErrorLine error={error} />;
  if (!data?.me) return null; // SessionGate signs the browser in first
  return (
    <>
      <h1>Projects</h1>
      {data.me.projects.length === 0 && <p className="muted">No projects yet.</p>}
      <ul>
        {data.me.projects.map((p) => (
          <li key={p.id}>
            <Link href={`/p/${encodeURIComponent(p.name)}`}>{p.name}</Link>{' '}
            <span className="muted" data-testid="activity">
              ({p.role}) · {count(p.activity.runs, 'run')}
              {p.activity.running > 0 && `, ${p.activity.running} running`}
              {p.activity.lastRunAt && ` · last started ${new Date(p.activity.lastRunAt).toLocaleString()}`}
            </span>
          </li>
        ))}
      </ul>
      <NewProject />
      <ApiKeys
        keys={data.me.apiKeys}
        projects={data.me.projects.map((p) => p.name)}
        refetch={() => refetch({ requestPolicy: 'network-only' })}
      />
    </>
  );
}
