'use client';
// Sign-in: the API sets an HTTP-only session cookie; nothing is stored in the page.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';

const Login = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      name
    }
  }
`);

export default function LoginPage() {
  const router = useRouter();
  const [email, setEmail] = useState('admin@localhost');
  const [password, setPassword] = useState('');
  const [{ fetching, error }, login] = useMutation(Login);
  return (
    <form
      className="login"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await login({ email, password });
        if (r.data?.login) router.push('/');
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
