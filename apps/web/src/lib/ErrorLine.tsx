import type { CombinedError } from 'urql';

/** An API error as a person should read it: the first GraphQL error (which names the field), else the network's. */
export const errorText = (e: CombinedError) => e.graphQLErrors[0]?.message ?? e.message;

/** The error line under a form or in place of a page; nothing when there is no error. */
export function ErrorLine({ error, testId }: { error: CombinedError | undefined | null; testId?: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid={testId}>
      {errorText(error)}
    </p>
  );
}
