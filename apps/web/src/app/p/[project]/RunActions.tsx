'use client';
// What can be done from a project's runs table: launch a run or a sweep, manage members, compare the selected
// runs, delete them (with everything they logged, after a confirmation).
import Link from 'next/link';
import { useMutation } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { count } from '@/lib/format';

const DeleteRuns = graphql(`
  mutation DeleteRuns($ids: [ID!]!) {
    deleteRuns(runIds: $ids)
  }
`);

export function RunActions({
  project,
  selected,
  onDeleted,
}: {
  /** The project's name as it appears in the page's URL. */
  project: string;
  selected: string[];
  onDeleted: () => void;
}) {
  const [deleting, deleteRuns] = useMutation(DeleteRuns);
  return (
    <>
      <p>
        <Link href={`/p/${project}/launch`}>Launch a run</Link> ·{' '}
        <Link href={`/p/${project}/sweeps/new`}>New sweep</Link> ·{' '}
        <Link href={`/p/${project}/members`}>Members</Link>
        {selected.length >= 2 && (
          <>
            {' · '}
            <Link href={`/compare?runs=${selected.join(',')}`}>Compare {selected.length} selected</Link>
          </>
        )}
        {selected.length >= 1 && (
          <>
            {' · '}
            <button
              type="button"
              className="danger"
              disabled={deleting.fetching}
              onClick={async () => {
                if (
                  !confirm(
                    `Delete ${count(selected.length, 'run')} with their metrics, consoles and artifact records?`,
                  )
                )
                  return;
                const r = await deleteRuns({ ids: selected });
                if (r.error) return;
                onDeleted();
              }}
            >
              Delete {selected.length} selected
            </button>
          </>
        )}
      </p>
      <ErrorLine error={deleting.error} testId="delete-error" />
    </>
  );
}
