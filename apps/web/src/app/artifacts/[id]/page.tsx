'use client';
// An artifact version: what it is, the run that produced it, its files to download, and — for a model or a
// checkpoint — the try-it box (lib/TryIt.tsx) that runs it on new input.
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { TryIt } from '@/lib/TryIt';
import { bytes } from '../../r/[id]/Artifacts';

const ArtifactQuery = graphql(`
  query ArtifactPage($id: ID!) {
    artifact(id: $id) {
      id
      kind
      name
      version
      aliases
      size
      digest
      createdAt
      files {
        path
        size
      }
      run {
        id
        name
        project {
          name
        }
      }
    }
  }
`);

const fileUrl = (id: string, path: string) =>
  `/artifacts/${encodeURIComponent(id)}/${path.split('/').map(encodeURIComponent).join('/')}`;

export default function ArtifactPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }] = useQuery({ query: ArtifactQuery, variables: { id } });
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const a = data.artifact;
  return (
    <>
      <p className="muted">
        <Link href={`/p/${encodeURIComponent(a.run.project.name)}`}>{a.run.project.name}</Link> / artifact
      </p>
      <h1>
        {a.name}:v{a.version}{' '}
        {a.aliases.map((alias) => (
          <span key={alias} className="muted" style={{ fontSize: '1rem', marginLeft: '0.35rem' }}>
            {alias}
          </span>
        ))}
      </h1>
      <p>
        A {a.kind} of {bytes(a.size)}, produced by run <Link href={`/r/${a.run.id}`}>{a.run.name}</Link> on{' '}
        {new Date(a.createdAt).toLocaleString()}.{' '}
        <span className="muted" title="sha256 of the manifest">
          {a.digest.slice(0, 12)}
        </span>
      </p>
      <ul>
        {a.files.map((f) => (
          <li key={f.path}>
            <a href={fileUrl(a.id, f.path)} download={f.path.split('/').pop()}>
              {f.path}
            </a>{' '}
            <span className="muted">({bytes(f.size)})</span>
          </li>
        ))}
      </ul>
      <TryIt artifact={a.id} />
    </>
  );
}
