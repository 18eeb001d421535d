// Expected failures are typed GraphQL errors with a code (and the offending field when there is one); yoga
// masks every other error as "Unexpected error." so internals never leak to clients.
import { GraphQLError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_INPUT' | 'CONFLICT';

export class ApiError extends GraphQLError {
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message, { extensions: { code, ...(field ? { field } : {}) } });
  }
}

export const badInput = (field: string, message: string) =>
  new ApiError('BAD_INPUT', `${field}: ${message}`, field);

/**
 * A config's issues as one BAD_INPUT: each named once by its full path under `prefix` (`config.optim.lr: …;
 * config.data: …`), the field being the first one's. Never `config: config: (root): …`: the path is the prefix.
 */
export function configBadInput(prefix: string, issues: readonly { path: string; message: string }[]) {
  const at = (path: string) => (path ? `${prefix}.${path}` : prefix);
  return new ApiError(
    'BAD_INPUT',
    issues.map((i) => `${at(i.path)}: ${i.message}`).join('; '),
    at(issues[0]?.path ?? ''),
  );
}

/** The failure of a plain HTTP route (downloads, CSV export): `{ error }` as JSON with its status. */
export const httpError = (status: number, message: string) => Response.json({ error: message }, { status });
