// A run's artifacts: its outputs (each a version of a named artifact, with its aliases and its files to
// download through /artifacts/<id>/<path>) and its inputs — lineage: the artifacts it started from, linked to
// the runs that produced them. Models and checkpoints that carry a tokenizer can be fine-tuned from.
import Link from 'next/link';
import { type FragmentType, graphql, useFragment } from '@/gql';

export const RunArtifacts = graphql(`
  fragment RunArtifacts on Run {
    project {
      name
    }
    artifacts {
      id
      kind
      name
      version
      aliases
      size
      uri
      metadata
      files {
        path
        size
      }
      consumers {
        id
        name
      }
    }
    inputs {
      id
      kind
      name
      version
      aliases
      run {
        id
        name
      }
    }
  }
`);

export const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;

/** A file's download link: the dashboard proxies /artifacts/<id>/<path…> (each segment URL-encoded). */
const fileUrl = (id: string, path: string) =>
  `/artifacts/${encodeURIComponent(id)}/${path.split('/').map(encodeURIComponent).join('/')}`;

const label = (a: { name: string; version: number; aliases: string[] }) =>
  `${a.name}:v${a.version}${a.aliases.length ? ` (${a.aliases.join(', ')})` : ''}`;

export function Artifacts(props: { run: FragmentType<typeof RunArtifacts> }) {
  const run = useFragment(RunArtifacts, props.run);
  return (
    <>
      <h2>Artifacts</h2>
      {run.inputs.length > 0 && (
        <p data-testid="artifact-inputs">
          Started from{' '}
          {run.inputs.map((a, i) => (
            <span key={a.id}>
              {i > 0 && ', '}
              <strong>{label(a)}</strong> <span className="muted">({a.kind})</span>, produced by run{' '}
              <Link href={`/r/${a.run.id}`}>{a.run.name}</Link>
            </span>
          ))}
        </p>
      )}
      {run.artifacts.length === 0 ? (
        <p className="muted">No artifacts yet.</p>
      ) : (
        <table className="runs" data-testid="artifacts">
          <thead>
            <tr>
              <th scope="col">name</th>
              <th scope="col">kind</th>
              <th scope="col">size</th>
              <th scope="col">files</th>
              <th scope="col">used by</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {run.artifacts.map((a) => (
              <tr key={a.id}>
                <td title={a.uri ?? undefined}>
                  <Link href={`/artifacts/${encodeURIComponent(a.id)}`}>
                    {a.name}:v{a.version}
                  </Link>{' '}
                  {a.aliases.map((alias) => (
                    <span key={alias} className="muted" style={{ marginLeft: '0.35rem' }}>
                      {alias}
                    </span>
                  ))}
                </td>
                <td>
                  {a.kind}
                  {typeof (a.metadata as { step?: unknown }).step === 'number' && (
                    <span className="muted"> at step {(a.metadata as { step: number }).step}</span>
                  )}
                  {(a.metadata as { stopped?: unknown }).stopped === true && (
                    <span className="muted"> (stopped)</span>
                  )}
                </td>
                <td>{bytes(a.size)}</td>
                <td>
                  {a.files.map((f) => (
                    <a
                      key={f.path}
                      href={fileUrl(a.id, f.path)}
                      download={f.path.split('/').pop()}
                      style={{ marginRight: '0.75rem' }}
                    >
                      {f.path} <span className="muted">({bytes(f.size)})</span>
                    </a>
                  ))}
                </td>
                <td>
                  {a.consumers.map((r, i) => (
                    <span key={r.id}>
                      {i > 0 && ', '}
                      <Link href={`/r/${r.id}`}>{r.name}</Link>
                    </span>
                  ))}
                </td>
                <td>
                  {a.files.some((f) => f.path === 'tokenizer.json') && (
                    <Link
                      href={`/p/${encodeURIComponent(run.project.name)}/launch?base=${encodeURIComponent(`artifact:${a.id}`)}`}
                    >
                      Fine-tune from this
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
