// Artifacts as versioned manifests: recording one (a new content digest under a name is the next version, the
// same digest is the version already there, so a replayed call changes nothing), moving aliases, resolving a
// reference (`<id>`, `artifact:<id>`, `name`, `name:v3`, `name:alias`) and recording a run's inputs (lineage).
// Every file must be a blob the project holds: bytes some member of the project uploaded and the server hashed.
import type { DbHandle } from '@anneal/db/client';
import {
  artifactAliases,
  artifactFiles,
  artifacts,
  blobs,
  projectBlobs,
  runInputs,
} from '@anneal/db/schema/artifacts';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { ApiError, badInput } from '../errors.ts';
import { checkJson, LIMITS } from '../limits.ts';
import { dbOf } from './db.ts';
import { MAX_FILES, type ManifestFile, manifestDigest, pathProblem } from './manifest.ts';
import { SHA256 } from './store.ts';

export type ArtifactRow = typeof artifacts.$inferSelect;
export type ArtifactKind = ArtifactRow['kind'];

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const ALIAS = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
const VERSION = /^v(\d{1,9})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_ALIASES = 16;
export const MAX_URI_CHARS = 2048;
export const MAX_METADATA_BYTES = LIMITS.metadataBytes;

export interface RecordInput {
  projectId: string;
  runId: string;
  kind: ArtifactKind;
  name: string;
  files: ManifestFile[];
  metadata?: unknown;
  aliases?: readonly string[] | null;
  uri?: string | null;
}

/** Checks what logArtifact was given; throws BAD_INPUT naming the first offending field. */
function validate(a: RecordInput) {
  if (!NAME.test(a.name))
    throw badInput('name', 'must be 1–128 letters, digits, _ . or - (starting with a letter, digit or _)');
  if (!a.files.length) throw badInput('files', 'an artifact needs at least one file');
  if (a.files.length > MAX_FILES) throw badInput('files', `at most ${MAX_FILES} files per artifact`);
  const seen = new Set<string>();
  a.files.forEach((f, i) => {
    const problem = pathProblem(f.path);
    if (problem) throw badInput(`files[${i}].path`, `'${f.path.slice(0, 100)}' ${problem}`);
    // Two spellings of one name (NFC and NFD: é as one code point or as e + accent) look the same and are
    // one file on macOS: an artifact holds at most one of them.
    const nfc = f.path.normalize('NFC');
    if (seen.has(nfc))
      throw badInput(`files[${i}].path`, `'${f.path}' is listed twice (or equals another path under NFC)`);
    seen.add(nfc);
    if (!SHA256.test(f.sha256)) throw badInput(`files[${i}].sha256`, 'must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(f.size) || f.size < 0)
      throw badInput(`files[${i}].size`, 'must be a non-negative integer (bytes)');
  });
  (a.aliases ?? []).forEach((al, i) => {
    if (!ALIAS.test(al)) throw badInput(`aliases[${i}]`, 'must be 1–64 letters, digits, _ . or -');
    if (VERSION.test(al)) throw badInput(`aliases[${i}]`, `'${al}' names a version; pick another alias`);
  });
  if ((a.aliases?.length ?? 0) > MAX_ALIASES) throw badInput('aliases', `at most ${MAX_ALIASES}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a reference is shown, so no control characters
  if (a.uri != null && (a.uri.length > MAX_URI_CHARS || /[\u0000-\u001f\u007f]/.test(a.uri)))
    throw badInput('uri', `must be at most ${MAX_URI_CHARS} characters, without control characters`);
  // Depth, NUL and lone surrogates checked without recursion (jsonb refuses the latter two), then the size.
  if (a.metadata != null) checkJson(a.metadata, 'metadata', LIMITS.metadataBytes);
}

/** Records an artifact version (or finds the one with the same content) and moves its aliases to it. */
export async function recordArtifact(h: DbHandle, a: RecordInput): Promise<ArtifactRow> {
  validate(a);
  const db = dbOf(h);
  const shas = [...new Set(a.files.map((f) => f.sha256))];
  const held = new Map(
    (
      await db
        .select({ sha256: blobs.sha256, size: blobs.size })
        .from(projectBlobs)
        .innerJoin(blobs, eq(blobs.sha256, projectBlobs.sha256))
        .where(and(eq(projectBlobs.projectId, a.projectId), inArray(projectBlobs.sha256, shas)))
    ).map((b) => [b.sha256, b.size]),
  );
  a.files.forEach((f, i) => {
    const size = held.get(f.sha256);
    if (size == null)
      throw badInput(
        `files[${i}].sha256`,
        `no blob ${f.sha256} was uploaded to this project (POST /uploads first)`,
      );
    if (size !== f.size)
      throw badInput(`files[${i}].size`, `the blob ${f.sha256} has ${size} bytes, not ${f.size}`);
  });
  const digest = manifestDigest(a.files);
  const aliases = [...new Set(a.aliases ?? [])].filter((al) => al !== 'latest');
  return db.transaction(async (tx) => {
    // Calls for one name take turns (a lock for this transaction), so concurrent ones see each other's versions:
    // new contents get distinct numbers, the same content one row.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${a.projectId}/${a.name}`}, 0))`);
    const same = and(eq(artifacts.projectId, a.projectId), eq(artifacts.name, a.name));
    let [row] = await tx
      .select()
      .from(artifacts)
      .where(and(same, eq(artifacts.digest, digest)));
    if (!row) {
      const [last] = await tx
        .select({ version: artifacts.version })
        .from(artifacts)
        .where(same)
        .orderBy(desc(artifacts.version))
        .limit(1);
      [row] = await tx
        .insert(artifacts)
        .values({
          projectId: a.projectId,
          runId: a.runId,
          kind: a.kind,
          name: a.name,
          version: last ? last.version + 1 : 0,
          digest,
          size: a.files.reduce((s, f) => s + f.size, 0),
          uri: a.uri ?? null,
          metadata: a.metadata ?? {},
        })
        .returning();
      await tx.insert(artifactFiles).values(a.files.map((f) => ({ artifactId: row.id, ...f })));
    }
    for (const alias of aliases)
      await tx
        .insert(artifactAliases)
        .values({ projectId: a.projectId, name: a.name, alias, artifactId: row.id })
        .onConflictDoUpdate({
          target: [artifactAliases.projectId, artifactAliases.name, artifactAliases.alias],
          set: { artifactId: row.id },
        });
    return row;
  });
}

/**
 * The artifact a reference names, in `projectId` for a name: `<uuid>` or `artifact:<uuid>` (any project; the
 * caller checks access), `name` (its latest version), `name:v3`, `name:latest` or `name:<alias>`.
 */
export async function findArtifact(h: DbHandle, projectId: string, ref: string): Promise<ArtifactRow | null> {
  const db = dbOf(h);
  const id = ref.replace(/^artifact:/, '').toLowerCase();
  if (UUID.test(id)) return (await db.select().from(artifacts).where(eq(artifacts.id, id)))[0] ?? null;
  const colon = ref.lastIndexOf(':');
  const name = colon < 0 ? ref : ref.slice(0, colon);
  const tag = colon < 0 ? 'latest' : ref.slice(colon + 1);
  return versionOf(h, projectId, name, tag);
}

/** `name` at a tag: `latest` (the highest version), `v<n>`, or an alias. */
export async function versionOf(
  h: DbHandle,
  projectId: string,
  name: string,
  tag: string,
): Promise<ArtifactRow | null> {
  const db = dbOf(h);
  const same = and(eq(artifacts.projectId, projectId), eq(artifacts.name, name));
  const v = VERSION.exec(tag);
  if (tag === 'latest')
    return (
      (await db.select().from(artifacts).where(same).orderBy(desc(artifacts.version)).limit(1))[0] ?? null
    );
  if (v)
    return (
      (
        await db
          .select()
          .from(artifacts)
          .where(and(same, eq(artifacts.version, Number(v[1]))))
      )[0] ?? null
    );
  const [row] = await db
    .select({ a: artifacts })
    .from(artifactAliases)
    .innerJoin(artifacts, eq(artifacts.id, artifactAliases.artifactId))
    .where(
      and(
        eq(artifactAliases.projectId, projectId),
        eq(artifactAliases.name, name),
        eq(artifactAliases.alias, tag),
      ),
    );
  return row?.a ?? null;
}

/** Lineage: `runId` consumed `artifactId` (recorded once however often it is said). */
export async function recordInput(h: DbHandle, runId: string, artifactId: string): Promise<void> {
  await dbOf(h).insert(runInputs).values({ runId, artifactId }).onConflictDoNothing();
}

/** Refuses a reference that names nothing the viewer can see, with the field it came from. */
export const notFound = (field: string, ref: string) =>
  new ApiError('NOT_FOUND', `${field}: no artifact '${ref}'`, field);
