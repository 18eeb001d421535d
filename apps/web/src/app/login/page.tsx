'use client';
// Sign-in: the API sets an HTTP-only session cookie; nothing is stored in the page. Then back to the page that
// sent the browser here (`?next=`, a path on this site), or the projects.
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { safeNext } from '@/lib/Session';

const Login = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      name
    }
  }
`);

export default function LoginPage() {
  const [email, setEmail] = useState('admin@localhost');
  const [password, setPassword] = useState('');
  const [{ fetching, error }, login] = useMutation(Login);
  return (
    <form
      className="login"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await login({ email, password });
        // A full load, so the session is read afresh.
        if (r.data?.login) location.assign(safeNext(new URLSearchParams(location.search).get('next')));
      }}
    >
      <h1>Sign in</h1>
      <label>
        E-mail{' '}
        <input
          name="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="username"
        />
      </label>
      <label>
        Password{' '}
        <input
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
        />
      </label>
      <button className="primary" type="submit" disabled={fetching}>
        {fetching ? 'Signing in…' : 'Sign in'}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
