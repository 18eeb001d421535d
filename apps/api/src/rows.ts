// Row types for the API's raw SQL reads, derived from the Drizzle tables (packages/db/src/schema): `select *`
// through DbHandle.rows returns Postgres's snake_case column names, so SqlRow renames each property of
// `typeof table.$inferSelect` to its column (the handle is built with `casing: 'snake_case'`). A column added to
// a table appears here without anyone copying it; nothing here is re-declared by hand.

import type { projects } from '@anneal/db/schema/auth';
import type { runs } from '@anneal/db/schema/runs';
import type { Table } from 'drizzle-orm';

/** `projectId` → `project_id`: what drizzle's snake_case casing does to a property name (digits stay put). */
type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S;

/** A table's row as raw SQL returns it: `$inferSelect` under the columns' snake_case names. */
export type SqlRow<T extends Table> = {
  [K in keyof T['$inferSelect'] & string as Snake<K>]: T['$inferSelect'][K];
};

/**
 * A `runs` row. `attempt` is the latest attempt (run_attempts.number). `fork_step` is a bigint: node-postgres
 * returns it as a string, PGlite as a number, so readers go through Number().
 */
export type RunRow = SqlRow<typeof runs>;
export type ProjectRow = SqlRow<typeof projects>;
