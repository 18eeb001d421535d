'use client';
// One artifact version: what it is (kind, size, digest, aliases, metadata), its files to download (through the
// dashboard's /artifacts/<id>/<path> proxy), and its lineage: the run that produced it and the runs that used it.
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useQuery } from 'urql';
import { bytes, fileUrl } from '@/app/r/[id]/Artifacts';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { JsonTree } from '@/lib/JsonTree';
import { ScrollRegion } from '@/lib/ScrollRegion';
import { TryIt } from '@/lib/TryIt';

const ArtifactQuery = graphql(`
  query ArtifactPage($id: ID!) {
    artifact(id: $id) {
      id
      name
      version
      kind
      aliases
      size
      digest
      uri
      metadata
      createdAt
      files {
        path
        size
        sha256
      }
      run {
        id
        name
        project {
          name
        }
      }
      consumers {
        id
        name
      }
    }
  }
`);

export default function ArtifactPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }] = useQuery({ query: ArtifactQuery, variables: { id: decodeURIComponent(id) } });
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const a = data.artifact;
  const project = a.run.project.name;
  const canTune =
    (a.kind === 'model' || a.kind === 'checkpoint') && a.files.some((f) => f.path === 'tokenizer.json');
  return (
    <>
      <p>
        <Link href={`/p/${encodeURIComponent(project)}`}>{project}</Link>
      </p>
      <h1>
        {a.name}:v{a.version}{' '}
        {a.aliases.map((alias) => (
          <span key={alias} className="status">
            {alias}
          </span>
        ))}
      </h1>
      <p className="muted" data-testid="artifact-summary">
        {a.kind} · {bytes(a.size)} · {a.files.length} file{a.files.length === 1 ? '' : 's'} ·{' '}
        {new Date(a.createdAt).toLocaleString()} · produced by run{' '}
        <Link href={`/r/${a.run.id}`}>{a.run.name}</Link>
      </p>
      <p className="digest">
        digest <code>{a.digest}</code>
      </p>
      {a.uri && (
        <p>
          External reference <code>{a.uri}</code> <span className="muted">(recorded, not served)</span>
        </p>
      )}
      {canTune && (
        <p>
          <Link
            href={`/p/${encodeURIComponent(project)}/launch?base=${encodeURIComponent(`artifact:${a.id}`)}`}
          >
            Fine-tune from this
          </Link>
        </p>
      )}
      <h2>Files</h2>
      <ScrollRegion label="Artifact files">
        <table className="runs" data-testid="artifact-files">
          <thead>
            <tr>
              <th scope="col">path</th>
              <th scope="col">size</th>
              <th scope="col">sha256</th>
            </tr>
          </thead>
          <tbody>
            {a.files.map((f) => (
              <tr key={f.path}>
                <td>
                  <a href={fileUrl(a.id, f.path)} download={f.path.split('/').pop()}>
                    {f.path}
                  </a>
                </td>
                <td>{bytes(f.size)}</td>
                <td title={f.sha256}>
                  <code>{f.sha256.slice(0, 12)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h2>Used by</h2>
      {a.consumers.length ? (
        <ul>
          {a.consumers.map((r) => (
            <li key={r.id}>
              <Link href={`/r/${r.id}`}>{r.name}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No run has used it yet.</p>
      )}
      {Object.keys(a.metadata as object).length > 0 && (
        <>
          <h2>Metadata</h2>
          <JsonTree value={a.metadata} />
        </>
      )}
      <TryIt artifact={a.id} />
    </>
  );
}
