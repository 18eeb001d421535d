'use client';
// Projects of the signed-in user.
import Link from 'next/link';
import { useQuery } from 'urql';
import { graphql } from '@/gql';

const Me = graphql(`
  query Me {
    me {
      name
      email
      projects {
        id
        name
        role
      }
    }
  }
`);

export default function Home() {
  const [{ data, fetching, error }] = useQuery({ query: Me });
  if (fetching && !data) return <p className="muted">Loading…</p>;
  if (error) return <p className="error">{error.message}</p>;
  if (!data?.me)
    return (
      <p>
        Not signed in. <Link href="/login">Sign in</Link>
      </p>
    );
  return (
    <>
      <h1>Projects</h1>
      <p className="muted">Signed in as {data.me.email}</p>
      {data.me.projects.length === 0 && <p className="muted">No projects yet.</p>}
      <ul>
        {data.me.projects.map((p) => (
          <li key={p.id}>
            <Link href={`/p/${encodeURIComponent(p.name)}`}>{p.name}</Link>{' '}
            <span className="muted">({p.role})</span>
          </li>
        ))}
      </ul>
    </>
  );
}
