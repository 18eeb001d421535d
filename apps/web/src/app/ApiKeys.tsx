'use client';
// The signed-in user's API keys for programs (the trainer's ANNEAL_API_KEY, notebooks): made with a scope and
// optionally one project, listed with both, revoked with the keys they minted. A new key is shown once, here.
import { useState } from 'react';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '@/gql';
import type { ApiKeyScope } from '@/gql/graphql';
import { ErrorLine } from '@/lib/ErrorLine';
import { ScrollRegion } from '@/lib/ScrollRegion';

export const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    scope
    project {
      name
    }
    createdAt
    lastUsedAt
    revokedAt
  }
`);

const CreateKey = graphql(`
  mutation CreateKey($name: String!, $scope: ApiKeyScope, $project: String) {
    createApiKey(name: $name, scope: $scope, project: $project)
  }
`);

const RevokeKey = graphql(`
  mutation RevokeKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

/** The scopes a new key can have, least first; '' is an unscoped key (the user's roles, no key management). */
const SCOPES: [ApiKeyScope | '', string][] = [
  ['read', 'read: view runs'],
  ['log', 'log: also write runs, metrics, artifacts'],
  ['admin', 'admin: also manage the project, mint keys'],
  ['', 'your roles (cannot mint keys)'],
];

/** API keys for programs (the trainer's ANNEAL_API_KEY, notebooks): a new key is shown once, here. */
export function ApiKeys({
  projects,
  refetch,
  ...props
}: {
  keys: readonly FragmentType<typeof ApiKeyFields>[];
  /** The names of the user's projects, offered to limit a key to one. */
  projects: string[];
  refetch: () => void;
}) {
  const keys = useFragment(ApiKeyFields, props.keys);
  const [name, setName] = useState('');
  // A trainer or notebook needs to log, nothing more: the default is the least scope that does.
  const [scope, setScope] = useState<ApiKeyScope | ''>('log');
  const [project, setProject] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const [{ fetching, error }, create] = useMutation(CreateKey);
  const [revoking, revoke] = useMutation(RevokeKey);
  const when = (t?: string | null) => (t ? new Date(t).toLocaleString() : '—');
  return (
    <section data-testid="api-keys">
      <h2>API keys</h2>
      {keys.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <ScrollRegion label="API keys">
          <table className="runs">
            <thead>
              <tr>
                <th scope="col">name</th>
                <th scope="col">key</th>
                <th scope="col">scope</th>
                <th scope="col">project</th>
                <th scope="col">created</th>
                <th scope="col">last used</th>
                <th scope="col">
                  <span className="sr-only">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.scope ?? <span className="muted">your roles</span>}</td>
                  <td>{k.project?.name ?? <span className="muted">all</span>}</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>
                    {k.revokedAt ? (
                      <span className="muted">revoked {when(k.revokedAt)}</span>
                    ) : (
                      <button
                        type="button"
                        disabled={revoking.fetching}
                        onClick={async () => {
                          if (
                            window.confirm(
                              `Revoke the key ${k.name}, and any key minted with it? Programs using them stop working.`,
                            )
                          ) {
                            await revoke({ id: k.id });
                            refetch();
                          }
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await create({ name, scope: scope || null, project: project || null });
          if (r.data) {
            setMade(r.data.createApiKey);
            setName('');
            refetch();
          }
        }}
      >
        <label>
          New key named{' '}
          <input name="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>{' '}
        <label>
          scope{' '}
          <select
            name="key-scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as ApiKeyScope | '')}
          >
            {SCOPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          for{' '}
          <select name="key-project" value={project} onChange={(e) => setProject(e.target.value)}>
            <option value="">all my projects</option>
            {projects.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" disabled={fetching || !name}>
          Create key
        </button>
      </form>
      {made && (
        <p data-testid="new-key">
          Your new key (shown only now): <code>{made}</code> — use it as <code>ANNEAL_API_KEY</code>.
        </p>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
