'use client';
// A sweep: state and progress, counts by status, pause/resume/cancel (SweepHeader), the best run so far and the
// best-so-far curve (SweepBest), parameters against the metric and their importance (SweepParameters), and its
// runs best first (SweepRuns, virtualised: a 10,000-trial sweep keeps a few dozen rows in the DOM). Each section
// declares its fields as a fragment; this page's query spreads them and follows the sweep live.
import { useParams } from 'next/navigation';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { SweepBest } from './SweepBest';
import { SweepHeader } from './SweepHeader';
import { SweepParameters } from './SweepParameters';
import { SweepRuns } from './SweepRuns';
import type { SweepConfig } from './sweepConfig';

const SweepQuery = graphql(`
  query Sweep($id: ID!) {
    sweep(id: $id) {
      id
      project {
        name
      }
      config
      ...SweepHeaderFields
      ...SweepBestFields
      ...SweepParametersFields
      trials {
        ...SweepTrialFields
      }
    }
  }
`);

const SweepRunUpdated = graphql(`
  subscription SweepRunUpdated($project: String!) {
    runUpdated(project: $project) {
      id
    }
  }
`);

export default function SweepPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }, refetch] = useQuery({ query: SweepQuery, variables: { id } });
  // Live: any change to the project's runs may be this sweep's; the page refetches at most once a second.
  const refresh = useThrottle(() => refetch({ requestPolicy: 'network-only' }), 1000);
  const projectName = data?.sweep.project.name;
  useEvents(SweepRunUpdated, projectName === undefined ? null : { project: projectName }, refresh);
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const s = data.sweep;
  const cfg = s.config as SweepConfig;
  return (
    <>
      <SweepHeader sweep={s} config={cfg} onSteered={() => refetch({ requestPolicy: 'network-only' })} />
      <SweepBest sweep={s} config={cfg} />
      <SweepParameters sweep={s} config={cfg} />
      <h2>Runs</h2>
      <SweepRuns trials={s.trials} metric={cfg.metric.name} goal={cfg.metric.goal} />
    </>
  );
}
