'use client';
// A run: heading, details to edit, lineage, controls, summary (a metric per row, a split per column), charts
// (RunCharts), config, artifacts and console (per attempt), all following the run live while it trains. Each
// section is its own component declaring the fields it reads as a fragment; this page's query spreads them.
import { useParams } from 'next/navigation';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { TryIt } from '@/lib/TryIt';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { Artifacts } from './Artifacts';
import { Console } from './Console';
import { Details } from './Details';
import { RunCharts } from './RunCharts';
import { RunConfig } from './RunConfig';
import { RunControls, StopDetail } from './RunControls';
import { RunHeader } from './RunHeader';
import { RunLineage } from './RunLineage';
import { RunSummary } from './RunSummary';
import { RunTables } from './tables/RunTables';

const RunQuery = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      id
      project {
        name
      }
      ...RunHeaderFields
      ...RunDetailsFields
      ...RunStopDetailFields
      ...RunLineageFields
      ...RunControlsFields
      ...RunSummaryFields
      ...RunChartsFields
      ...RunConfigFields
      ...RunArtifacts
      ...ConsoleFields
    }
  }
`);

const RunUpdated = graphql(`
  subscription RunPageRunUpdated($project: String!) {
    runUpdated(project: $project) {
      id
    }
  }
`);

export default function RunPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }, refetchRun] = useQuery({ query: RunQuery, variables: { id } });
  // Live: status changes arrive as events (new points through RunCharts); the run (status, summary, console) is
  // refetched at most once a second while they come.
  const refreshRun = useThrottle(() => refetchRun({ requestPolicy: 'network-only' }), 1000);
  const project = data?.run.project.name;
  useEvents(
    RunUpdated,
    project === undefined ? null : { project },
    (d) => d.runUpdated.id === id && refreshRun(),
  );
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const run = data.run;
  return (
    <>
      <RunHeader run={run} />
      <Details key={run.id} run={run} />
      <StopDetail run={run} />
      <RunLineage run={run} />
      <RunControls run={run} />
      <RunSummary run={run} />
      <RunCharts run={run} onAppended={refreshRun} />
      <RunTables runId={id} />
      <RunConfig run={run} />
      <Artifacts run={run} />
      <TryIt run={run.id} />
      <Console runId={id} run={run} />
    </>
  );
}
