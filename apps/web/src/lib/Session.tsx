'use client';
// Every page but /login needs a signed-in user, so a deep link opened in a fresh browser (a run's URL that
// `anneal train` printed, a link a colleague shared) works: in embedded single-user mode on this machine the
// browser is signed in as the local admin right away (the API decides whether a request qualifies); elsewhere it
// goes to /login, which comes back to the page. Pages mount only once signed in, so none of their queries
// fails as unauthenticated — except in a browser that was signed in last time: there the page mounts while the
// session is confirmed, so its queries go out beside Session's instead of after it (were the hint wrong, the page
// goes away, and it is loaded afresh once signed in, so no failed answer stays in urql's cache). The header shows
// who is signed in, with a way out.
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine, errorText } from './ErrorLine';

const Session = graphql(`
  query Session {
    me {
      email
    }
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

const SignOut = graphql(`
  mutation SignOut {
    logout
  }
`);

/** This browser's hint that it was signed in when it last asked (only which page to show early; the API decides). */
const SIGNED_IN = 'anneal:signed-in';

/** Where /login may send the browser back to: a path on this site, never another origin (`//host`, `/\host`). */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function SessionGate({
  header,
  tools,
  children,
}: {
  header: ReactNode;
  /** At the header's end on every page, signed in or not (the theme toggle). */
  tools?: ReactNode;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const router = useRouter();
  const open = pathname === '/login';
  const [{ data, error }, refetch] = useQuery({ query: Session, pause: open });
  const [signing, signInLocally] = useMutation(SignInLocally);
  const signedOut = !!data && !data.me;
  const email = data?.me?.email ?? null;
  // Read after hydration (the server rendered without it).
  const [hinted, setHinted] = useState(false);
  useEffect(() => setHinted(localStorage.getItem(SIGNED_IN) === '1'), []);
  useEffect(() => {
    if (email) localStorage.setItem(SIGNED_IN, '1');
    else if (signedOut) localStorage.removeItem(SIGNED_IN);
  }, [email, signedOut]);
  useEffect(() => {
    // (The answer may arrive again while the browser is already on its way to /login.)
    if (!signedOut || open || location.pathname === '/login') return;
    if (data?.localSignInAvailable)
      void signInLocally({}).then(
        // The page was shown early on a wrong hint: load it afresh (its failed answers may be cached).
        (r) => r.data && (hinted ? location.reload() : refetch({ requestPolicy: 'network-only' })),
      );
    else router.replace(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }, [signedOut, open, data, signInLocally, refetch, router, hinted]);

  const failure = error ?? signing.error;
  let body: ReactNode = children;
  if (!open && !email)
    body = failure ? (
      <ErrorLine error={failure} />
    ) : hinted && !data ? (
      children
    ) : (
      <p className="muted">Signing in…</p>
    );
  return (
    <>
      <header className="top">
        {header}
        <span className="top-end">
          {email && !open && <UserMenu email={email} />}
          {tools}
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {body}
      </main>
    </>
  );
}

function UserMenu({ email }: { email: string }) {
  const [{ fetching, error }, signOut] = useMutation(SignOut);
  return (
    <span className="user" data-testid="user">
      <span className="muted">{email}</span>{' '}
      <button
        type="button"
        disabled={fetching}
        onClick={async () => {
          // A full load: nothing of the signed-out user stays in urql's cache.
          if ((await signOut({})).data) {
            localStorage.removeItem(SIGNED_IN);
            location.assign('/login');
          }
        }}
      >
        Sign out
      </button>
      {error && (
        <span className="error" role="alert">
          {' '}
          {errorText(error)}
        </span>
      )}
    </span>
  );
}
