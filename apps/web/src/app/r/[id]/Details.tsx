'use client';
// A run's name, tags and notes, edited in place (the API validates each and names the field it refuses), and
// deleting the run with everything it logged.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { Markdown } from '@/lib/Markdown';

export const RunDetailsFields = graphql(`
  fragment RunDetailsFields on Run {
    id
    name
    tags
    notes
    project {
      name
    }
  }
`);

const Rename = graphql(`
  mutation RenameRun($id: ID!, $name: String!) {
    renameRun(runId: $id, name: $name) {
      id
      name
    }
  }
`);

const SetTags = graphql(`
  mutation SetRunTags($id: ID!, $tags: [String!]!) {
    setTags(runId: $id, tags: $tags) {
      id
      tags
    }
  }
`);

const SetNotes = graphql(`
  mutation SetRunNotes($id: ID!, $notes: String!) {
    setNotes(runId: $id, notes: $notes) {
      id
      notes
    }
  }
`);

const Delete = graphql(`
  mutation DeleteRun($id: ID!) {
    deleteRuns(runIds: [$id])
  }
`);

export function Details(props: { run: FragmentType<typeof RunDetailsFields> }) {
  const run = useFragment(RunDetailsFields, props.run);
  const router = useRouter();
  const [name, setName] = useState(run.name);
  const [tags, setTags] = useState(run.tags.join(', '));
  const [notes, setNotes] = useState(run.notes);
  const [error, setError] = useState<CombinedError | null>(null);
  // Saved values come back with the run (and changes made elsewhere, live): the fields start again from them.
  const tagsNow = run.tags.join(', ');
  useEffect(() => {
    setName(run.name);
    setTags(tagsNow);
    setNotes(run.notes);
  }, [run.name, tagsNow, run.notes]);
  const [, rename] = useMutation(Rename);
  const [, saveTags] = useMutation(SetTags);
  const [, saveNotes] = useMutation(SetNotes);
  const [deleting, del] = useMutation(Delete);
  const tagList = tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const changed = name !== run.name || tagList.join(',') !== run.tags.join(',') || notes !== run.notes;
  return (
    <details data-testid="details">
      <summary>Edit name, tags and notes</summary>
      <form
        className="details-form"
        onSubmit={async (e) => {
          e.preventDefault();
          // Each field is its own mutation; the first refusal stops the rest and is shown.
          for (const r of [
            name !== run.name ? () => rename({ id: run.id, name }) : null,
            tagList.join(',') !== run.tags.join(',') ? () => saveTags({ id: run.id, tags: tagList }) : null,
            notes !== run.notes ? () => saveNotes({ id: run.id, notes }) : null,
          ]) {
            const res = await r?.();
            if (res?.error) return setError(res.error);
          }
          setError(null);
        }}
      >
        <label>
          Name <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Tags <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="a, b" />
        </label>
        <label>
          Notes{' '}
          <textarea
            name="notes"
            rows={4}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            aria-describedby="notes-help"
          />
        </label>
        <p id="notes-help" className="muted">
          Markdown: **bold**, _italic_, `code`, [links](https://…), lists, tables.
        </p>
        {notes && notes !== run.notes && (
          <section aria-label="Notes preview" className="notes-preview">
            <Markdown source={notes} testId="notes-preview" />
          </section>
        )}
        <p>
          <button className="primary" type="submit" disabled={!changed}>
            Save
          </button>{' '}
          <button
            type="button"
            className="danger"
            disabled={deleting.fetching}
            onClick={async () => {
              if (!confirm(`Delete run ${run.name} with its metrics, console and artifact records?`)) return;
              const r = await del({ id: run.id });
              if (r.error) setError(r.error);
              else router.push(`/p/${encodeURIComponent(run.project.name)}`);
            }}
          >
            Delete run
          </button>
        </p>
        <ErrorLine error={error} testId="details-error" />
      </form>
    </details>
  );
}
