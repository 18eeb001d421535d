// The artifact store's tables: content-addressed blobs (the bytes live in the blob store, local disk or S3,
// named by sha256), which projects hold which blob, uploads in progress, artifacts as versioned manifests of
// blobs with their aliases, and lineage (which artifacts a run consumed; the producer is the artifact's run).
// No row ever holds a server-side file path: a download is a manifest lookup, then a blob by its hash.
import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { projects } from './auth.ts';
import { runs } from './runs.ts';

export const artifactKind = pgEnum('artifact_kind', ['checkpoint', 'model', 'dataset', 'file']);

/** The global content: one row per stored blob (its bytes are in the blob store under its sha256). */
export const blobs = pgTable('blobs', {
  sha256: text().primaryKey(),
  size: bigint({ mode: 'number' }).notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * A project holds a blob once some member of it uploaded its bytes (verified). Dedupe is free only within a
 * project, so no one can learn whether another project holds some content by asking for its hash.
 */
export const projectBlobs = pgTable(
  'project_blobs',
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    sha256: text()
      .notNull()
      .references(() => blobs.sha256),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.sha256] })],
);

/**
 * An upload in progress: its bytes so far are in a temp file of the blob store named by the id. One per
 * (project, sha256, size), so a client that crashed asks again and resumes at `offset`.
 */
export const uploads = pgTable(
  'uploads',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    sha256: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    offset: bigint({ mode: 'number' }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('uploads_project_blob_idx').on(t.projectId, t.sha256, t.size)],
);

/**
 * One version of a named artifact in a project: a manifest of files (artifact_files). A new content digest
 * (sha256 over the sorted manifest) under a name makes the next version; the same digest is the same version.
 */
export const artifacts = pgTable(
  'artifacts',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The run that produced it (its output). */
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: artifactKind().notNull(),
    name: text().notNull(),
    /** 0, 1, 2, … per (project, name): shown as v0, v1, … */
    version: integer().notNull(),
    /** sha256 of the manifest: the lines `<sha256> <size> <path>`, sorted by path, joined by \n. */
    digest: text().notNull(),
    /** Total bytes of its files. */
    size: bigint({ mode: 'number' }).notNull(),
    /** An external reference (`s3://…`, a path on a worker), recorded and shown, never read or served. */
    uri: text(),
    metadata: jsonb().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('artifacts_run_idx').on(t.runId),
    uniqueIndex('artifacts_version_idx').on(t.projectId, t.name, t.version),
    uniqueIndex('artifacts_digest_idx').on(t.projectId, t.name, t.digest),
  ],
);

/** An artifact's manifest: each relative path and the blob it maps to. Nothing else can be downloaded. */
export const artifactFiles = pgTable(
  'artifact_files',
  {
    artifactId: uuid()
      .notNull()
      .references(() => artifacts.id, { onDelete: 'cascade' }),
    path: text().notNull(),
    sha256: text()
      .notNull()
      .references(() => blobs.sha256),
    size: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.artifactId, t.path] }), index('artifact_files_blob_idx').on(t.sha256)],
);

/**
 * Aliases a caller set (`best`, `prod`): one version per (project, name, alias). `latest` is not stored: it is
 * always the highest version, so it also moves back when that version's run is deleted.
 */
export const artifactAliases = pgTable(
  'artifact_aliases',
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    alias: text().notNull(),
    artifactId: uuid()
      .notNull()
      .references(() => artifacts.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.name, t.alias] }),
    index('artifact_aliases_artifact_idx').on(t.artifactId),
  ],
);

/** Lineage: the artifacts a run consumed (useArtifact), e.g. the model it was fine-tuned from. */
export const runInputs = pgTable(
  'run_inputs',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    artifactId: uuid()
      .notNull()
      .references(() => artifacts.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.artifactId] }),
    index('run_inputs_artifact_idx').on(t.artifactId),
  ],
);
