'use client';
// The compared runs as chips in their colours, each removable, and a search over the first run's project to add
// another run in place (the `runs` URL parameter changes; the page reloads only the data it needs).
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '@/gql';
import { COLOURS } from './Overlay';

const Candidates = graphql(`
  query CompareCandidates($project: String!, $search: String) {
    runs(project: $project, search: $search, first: 8) {
      edges {
        node {
          id
          name
          status
        }
      }
    }
  }
`);

export function RunPicker({
  runs,
  project,
  onRemove,
  onAdd,
}: {
  runs: { id: string; name: string; colour: number }[];
  /** The project whose runs can be added (the first compared run's). */
  project: string | null;
  onRemove: (id: string) => void;
  onAdd: (id: string) => void;
}) {
  const [text, setText] = useState('');
  const [{ data }] = useQuery({
    query: Candidates,
    variables: { project: project ?? '', search: text.trim() || undefined },
    pause: !project,
  });
  const shown = new Set(runs.map((r) => r.id));
  const candidates = (data?.runs.edges ?? []).map((e) => e.node).filter((r) => !shown.has(r.id));
  return (
    <div
      data-testid="run-picker"
      style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', alignItems: 'center' }}
    >
      <ul aria-label="Compared runs" style={{ display: 'contents', listStyle: 'none' }}>
        {runs.map((r) => (
          <li
            key={r.id}
            data-testid="compare-chip"
            style={{
              border: `2px solid ${COLOURS[r.colour % COLOURS.length]}`,
              borderRadius: 999,
              padding: '0 0.2rem 0 0.6rem',
              overflowWrap: 'anywhere',
            }}
          >
            {r.name}{' '}
            <button
              type="button"
              aria-label={`remove ${r.name} from the comparison`}
              disabled={runs.length <= 1}
              onClick={() => onRemove(r.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {project && (
        <details>
          <summary>Add a run</summary>
          <input
            type="search"
            aria-label={`Search ${project}'s runs to add`}
            placeholder="name, tag, notes or id"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <ul data-testid="compare-candidates" style={{ listStyle: 'none', padding: 0 }}>
            {candidates.map((r) => (
              <li key={r.id}>
                <button type="button" onClick={() => onAdd(r.id)} aria-label={`add ${r.name}`}>
                  + {r.name}
                </button>{' '}
                <span className="muted">{r.status}</span>
              </li>
            ))}
            {data && !candidates.length && <li className="muted">No other run matches.</li>}
          </ul>
        </details>
      )}
    </div>
  );
}
