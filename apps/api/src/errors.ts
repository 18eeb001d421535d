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

/** The failure of a plain HTTP route (downloads, CSV export): `{ error }` as JSON with its status. */
export const httpError = (status: number, message: string) => Response.json({ error: message }, { status });
