// A run's heading: its project, name and status, when and where it ran (host, the WebGPU adapter as the trainer
// reported it), its tags and notes (Markdown).
import Link from 'next/link';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { Markdown } from '@/lib/Markdown';
import { Status } from '@/lib/Status';

export const RunHeaderFields = graphql(`
  fragment RunHeaderFields on Run {
    id
    name
    status
    tags
    notes
    createdAt
    host
    gpu
    project {
      name
    }
  }
`);

/** The adapter fields the trainer reports (Run.gpu is JSON). */
type Gpu = {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  software?: boolean;
};

export function RunHeader(props: { run: FragmentType<typeof RunHeaderFields> }) {
  const run = useFragment(RunHeaderFields, props.run);
  const gpu = run.gpu as Gpu | null;
  return (
    <>
      <p>
        <Link href={`/p/${encodeURIComponent(run.project.name)}`}>{run.project.name}</Link>
      </p>
      <h1>
        {run.name} <Status of={run.status} />
      </h1>
      <p className="muted">
        {run.id} · {new Date(run.createdAt).toLocaleString()} {run.host ? `· ${run.host}` : ''}{' '}
        {gpu && (
          <span
            data-testid="gpu"
            title={[gpu.vendor, gpu.architecture, gpu.device].filter(Boolean).join(' ')}
          >
            · {gpu.description || gpu.device}
            {gpu.software ? ' (software)' : ''}{' '}
          </span>
        )}
        {run.tags.join(', ')}
      </p>
      {run.notes && <Markdown source={run.notes} testId="notes" />}
    </>
  );
}
