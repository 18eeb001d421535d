// Drizzle's query builder over either engine: the handle's `db` is a union of the node-postgres and PGlite
// databases, which share the Postgres builder, so the artifact code types its rows from the tables themselves.
import type { DbHandle } from '@anneal/db/client';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';

export const dbOf = (h: DbHandle) => h.db as NodePgDatabase;
