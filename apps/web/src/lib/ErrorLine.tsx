import type { CombinedError } from 'urql';

/**
 * An API error as a person should read it, the one format every page uses: the first GraphQL error's message as
 * the API wrote it (it names the field once: `config.optim.lr: must be positive`), else the network's, without
 * urql's `[GraphQL]` / `[Network]` tags. Nothing is prefixed here: the API's text already says where.
 */
export function errorText(e: CombinedError | Error | string): string {
  if (typeof e === 'string') return e;
  const gql = 'graphQLErrors' in e ? e.graphQLErrors[0]?.message : undefined;
  if (gql) return gql;
  const net = 'networkError' in e ? e.networkError?.message : undefined;
  return (net ?? e.message).replace(/^\[(GraphQL|Network)\]\s*/, '');
}

/** The error line under a form or in place of a page; nothing when there is no error. */
export function ErrorLine({
  error,
  testId,
}: {
  error: CombinedError | Error | string | undefined | null;
  testId?: string;
}) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid={testId}>
      {errorText(error)}
    </p>
  );
}
