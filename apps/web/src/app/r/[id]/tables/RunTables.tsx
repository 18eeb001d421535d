'use client';
// The tables a run logged (Run.tables): generated samples by step with a slider (Samples), and every other table —
// a classifier's test predictions first — paged, filtered and sorted on the server (TableView). Follows the run
// live: a new table (logTable publishes runUpdated) refetches the keys and the tables shown.
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { useEvents, useThrottle } from '@/lib/useEvents';
import { Samples } from './Samples';
import { TableView } from './TableView';

const RunTablesQuery = graphql(`
  query RunTables($id: ID!) {
    run(id: $id) {
      id
      project {
        name
      }
      tables {
        key
        steps
      }
    }
  }
`);

const TablesUpdated = graphql(`
  subscription RunTablesUpdated($project: String!) {
    runUpdated(project: $project) {
      id
    }
  }
`);

/** The keys the trainer logs (packages/trainer/src/tables.ts): shown first, under their own headings. */
const SAMPLES = 'samples';
const PREDICTIONS = 'test/predictions';

export function RunTables({ runId }: { runId: string }) {
  const [{ data, error }, refetch] = useQuery({ query: RunTablesQuery, variables: { id: runId } });
  const refresh = useThrottle(() => refetch({ requestPolicy: 'network-only' }), 1000);
  const project = data?.run.project.name;
  useEvents(
    TablesUpdated,
    project === undefined ? null : { project },
    (d) => d.runUpdated.id === runId && refresh(),
  );
  if (error) return <ErrorLine error={error} />;
  const tables = data?.run.tables ?? [];
  if (!tables.length) return null;
  const samples = tables.find((t) => t.key === SAMPLES);
  const others = tables
    .filter((t) => t.key !== SAMPLES)
    .sort((a, b) => Number(b.key === PREDICTIONS) - Number(a.key === PREDICTIONS));
  return (
    <section data-testid="run-tables">
      {samples && <Samples runId={runId} tableKey={SAMPLES} steps={samples.steps} />}
      {others.map((t) => (
        <TableView
          key={t.key}
          runId={runId}
          tableKey={t.key}
          steps={t.steps}
          title={t.key === PREDICTIONS ? 'Test predictions' : t.key}
        />
      ))}
    </section>
  );
}
