'use client';
// A run's console with an attempts switcher: a retried or resumed run prints each attempt's console apart
// (Run.attempts). The latest attempt's lines come with the run page's query (ConsoleFields, refreshed live);
// an earlier attempt, which has ended, is fetched once when picked.
import { useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { ScrollRegion } from '@/lib/ScrollRegion';
import { Status } from '@/lib/Status';

/** The fields the run page selects for the console (its latest attempt). */
export const ConsoleFields = graphql(`
  fragment ConsoleFields on Run {
    attempt
    attempts {
      number
      status
      startedAt
      finishedAt
      host
      reason
    }
    logCount
    logs(last: 500) {
      seq
      stream
      line
    }
  }
`);

const AttemptLogs = graphql(`
  query RunAttemptLogs($id: ID!, $attempt: Int!) {
    run(id: $id) {
      id
      logCount(attempt: $attempt)
      logs(attempt: $attempt, last: 500) {
        seq
        stream
        line
      }
    }
  }
`);

export function Console({ runId, ...props }: { runId: string; run: FragmentType<typeof ConsoleFields> }) {
  const run = useFragment(ConsoleFields, props.run);
  const [picked, setPicked] = useState<number | null>(null);
  const attempt = picked ?? run.attempt;
  const earlier = attempt !== run.attempt;
  const [{ data, error, fetching }] = useQuery({
    query: AttemptLogs,
    variables: { id: runId, attempt },
    pause: !earlier,
  });
  const shown = earlier ? data?.run : run;
  const info = run.attempts.find((a) => a.number === attempt);
  return (
    <>
      <h2>Console</h2>
      {run.attempts.length > 1 && (
        <fieldset className="toolbar" style={{ border: 0, padding: 0 }}>
          <legend className="sr-only">Attempts</legend>
          {run.attempts.map((a) => (
            <button
              key={a.number}
              type="button"
              aria-pressed={a.number === attempt}
              data-testid={`attempt-${a.number}`}
              onClick={() => setPicked(a.number === run.attempt ? null : a.number)}
            >
              Attempt {a.number}
              {a.number === run.attempt ? ' (latest)' : ''}
            </button>
          ))}
        </fieldset>
      )}
      {info && run.attempts.length > 1 && (
        <p className="muted" data-testid="attempt-info">
          Attempt {info.number}: <Status of={info.status} />
          {info.host ? ` on ${info.host}` : ''}, started {new Date(info.startedAt).toLocaleString()}
          {info.finishedAt ? `, ended ${new Date(info.finishedAt).toLocaleString()}` : ''}
          {info.reason ? ` (${info.reason})` : ''}
        </p>
      )}
      {error && <ErrorLine error={error} />}
      {!shown ? (
        <p className="muted">{fetching ? 'Loading…' : ''}</p>
      ) : shown.logs.length === 0 ? (
        <p className="muted">No console output.</p>
      ) : (
        <>
          {shown.logCount > shown.logs.length && (
            <p className="muted" data-testid="logs-shown">
              The last {shown.logs.length} of {shown.logCount} lines.
            </p>
          )}
          <ScrollRegion label="Console output" className="console">
            <pre data-testid="logs">{shown.logs.map((l) => l.line).join('\n')}</pre>
          </ScrollRegion>
        </>
      )}
    </>
  );
}
