'use client';
// A project's members and their roles. Admins change roles, remove members, add existing users by e-mail and
// create accounts; the API keeps every project with at least one admin and says so when a change would not.
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { ScrollRegion } from '@/lib/ScrollRegion';

const Members = graphql(`
  query Members($project: String!) {
    me {
      email
    }
    project(ref: $project) {
      name
      role
      members {
        role
        user {
          id
          email
          name
        }
      }
    }
  }
`);

const SetMember = graphql(`
  mutation SetMember($project: String!, $email: String!, $role: String!) {
    setMember(project: $project, email: $email, role: $role) {
      role
    }
  }
`);

const RemoveMember = graphql(`
  mutation RemoveMember($project: String!, $email: String!) {
    removeMember(project: $project, email: $email)
  }
`);

const CreateUser = graphql(`
  mutation CreateUser($project: String!, $email: String!, $name: String!, $password: String!, $role: String) {
    createUser(project: $project, email: $email, name: $name, password: $password, role: $role) {
      id
    }
  }
`);

const ROLES = ['viewer', 'member', 'admin'] as const;

export default function MembersPage() {
  const project = decodeURIComponent(useParams<{ project: string }>().project);
  const [{ data, error }, refetch] = useQuery({ query: Members, variables: { project } });
  const [setting, setMember] = useMutation(SetMember);
  const [removing, removeMember] = useMutation(RemoveMember);
  const [adding, setAdding] = useState({ email: '', role: 'member' });
  const [creating, createUser] = useMutation(CreateUser);
  const [account, setAccount] = useState({ email: '', name: '', password: '', role: 'member' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (error) return <ErrorLine error={error} />;
  if (!data?.project) return <p className="muted">Loading…</p>;
  const admin = data.project.role === 'admin';
  const failure = setting.error ?? removing.error ?? creating.error;
  return (
    <>
      <p>
        <Link href={`/p/${encodeURIComponent(project)}`}>{project}</Link>
      </p>
      <h1>Members</h1>
      <p className="muted">
        viewer: reads runs · member: also launches and logs runs · admin: also manages members
      </p>
      <ScrollRegion label="Members">
        <table className="runs" data-testid="members">
          <thead>
            <tr>
              <th scope="col">e-mail</th>
              <th scope="col">name</th>
              <th scope="col">role</th>
              <th scope="col">
                <span className="sr-only">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.project.members.map((m) => (
              <tr key={m.user.id}>
                <td>{m.user.email}</td>
                <td>{m.user.name}</td>
                <td>
                  {admin ? (
                    <select
                      aria-label={`role of ${m.user.email}`}
                      value={m.role}
                      disabled={setting.fetching}
                      onChange={async (e) => {
                        await setMember({ project, email: m.user.email, role: e.target.value });
                        reload();
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td>
                  {admin && (
                    <button
                      type="button"
                      disabled={removing.fetching}
                      onClick={async () => {
                        if (window.confirm(`Remove ${m.user.email} from ${project}?`)) {
                          await removeMember({ project, email: m.user.email });
                          reload();
                        }
                      }}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <ErrorLine error={failure} testId="members-error" />
      {admin && (
        <>
          <form
            className="inline-form"
            onSubmit={async (e) => {
              e.preventDefault();
              const r = await setMember({ project, ...adding });
              if (r.data) {
                setAdding({ email: '', role: adding.role });
                reload();
              }
            }}
          >
            <h2>Add a user</h2>
            <label>
              E-mail{' '}
              <input
                name="add-email"
                value={adding.email}
                onChange={(e) => setAdding({ ...adding, email: e.target.value })}
                required
              />
            </label>{' '}
            <RoleSelect
              name="add-role"
              value={adding.role}
              onChange={(role) => setAdding({ ...adding, role })}
            />{' '}
            <button type="submit" className="primary" disabled={setting.fetching || !adding.email}>
              Add
            </button>
          </form>
          <form
            className="inline-form"
            onSubmit={async (e) => {
              e.preventDefault();
              const r = await createUser({ project, ...account });
              if (r.data) {
                setAccount({ email: '', name: '', password: '', role: account.role });
                reload();
              }
            }}
          >
            <h2>Create an account</h2>
            <label>
              E-mail{' '}
              <input
                name="new-email"
                value={account.email}
                onChange={(e) => setAccount({ ...account, email: e.target.value })}
                required
              />
            </label>{' '}
            <label>
              Name{' '}
              <input
                name="new-name"
                value={account.name}
                onChange={(e) => setAccount({ ...account, name: e.target.value })}
                required
              />
            </label>{' '}
            <label>
              Password{' '}
              <input
                name="new-password"
                type="password"
                autoComplete="new-password"
                value={account.password}
                onChange={(e) => setAccount({ ...account, password: e.target.value })}
                required
              />
            </label>{' '}
            <RoleSelect
              name="new-role"
              value={account.role}
              onChange={(role) => setAccount({ ...account, role })}
            />{' '}
            <button type="submit" disabled={creating.fetching}>
              Create account
            </button>
          </form>
        </>
      )}
    </>
  );
}

function RoleSelect({
  name,
  value,
  onChange,
}: {
  name: string;
  value: string;
  onChange: (r: string) => void;
}) {
  return (
    <label>
      Role{' '}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
    </label>
  );
}
