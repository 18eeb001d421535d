'use client';
// Projects of the signed-in user. In embedded single-user mode a browser on this machine is signed in as the
// local admin right away (the API decides whether this request qualifies); elsewhere, the sign-in page.
import Link from 'next/link';
import { useEffect } from 'react';
import { useMutation, useQuery } from 'urql';
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

const Local = graphql(`
  query LocalSignIn {
    localSignInAvailable
  }
`);

const SignInLocally = graphql(`
  mutation SignInLocally {
    localSignIn {
      email
    }
  }
`);

export default function Home() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: Me });
  const signedOut = !!data && !data.me;
  const [{ data: local }] = useQuery({ query: Local, pause: !signedOut });
  const [, signInLocally] = useMutation(SignInLocally);
  useEffect(() => {
    if (signedOut && local?.localSignInAvailable)
      void signInLocally({}).then((r) => r.data && refetch({ requestPolicy: 'network-only' }));
  }, [signedOut, local, signInLocally, refetch]);
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
