// What a launched run's config may name on the machines that train it. A config a client sends to launchRun
// (or a sweep proposes) runs on the server's worker, so it must not name a server-side path the client chose:
// - model.base: a shipped base (`bases/<name>`, a directory of the API's / worker's bases dir) or an artifact
//   of the run's project (`artifact:<id>` or `artifact:<name>:<alias|vN>`), which the worker downloads from the
//   artifact store — never a directory on the server;
// - data sources that read files (jsonl / csv `path`, text `paths`): relative paths under the data root
//   (ANNEAL_DATA_ROOT, default `<ANNEAL_DATA_DIR or .anneal>/data`), no `..`, and no symbolic link out of it;
// - output.dir: relative, no `..`, no hidden segment (`.anneal`, `.git` …): the worker puts it under its own
//   runs directory and checks there, through symbolic links, that it stays inside (apps/cli launched.ts).
// (config.name, the run directory's last segment, is one safe directory name by the config schema itself.)
// `anneal train` on one's own machine reads any path: these rules apply only where a config crosses to a server.
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { DbHandle } from '@anneal/db/client';
import { findArtifact } from './artifacts/versions.ts';
import { badInput } from './errors.ts';

/** The data root of this machine: ANNEAL_DATA_ROOT, else `<ANNEAL_DATA_DIR or .anneal>/data`. */
export const defaultDataRoot = () =>
  resolve(process.env.ANNEAL_DATA_ROOT ?? join(process.env.ANNEAL_DATA_DIR ?? '.anneal', 'data'));

const BASE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** `model.base` parsed: a shipped base by name, or an artifact reference (an id, or a name with alias / vN). */
export type BaseRef =
  | { kind: 'base'; name: string }
  | { kind: 'artifact'; id: string }
  | { kind: 'artifact'; name: string; alias: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseBase(base: string): BaseRef | string {
  const shipped = /^bases\/([^/]+)$/.exec(base);
  if (shipped)
    return BASE_NAME.test(shipped[1]) ? { kind: 'base', name: shipped[1] } : `no base is named ${shipped[1]}`;
  if (base.startsWith('artifact:')) {
    const ref = base.slice('artifact:'.length);
    const id = ref.replace(/^artifact_/, '');
    if (UUID.test(id)) return { kind: 'artifact', id };
    const m = /^([^:]+)(?::([^:]+))?$/.exec(ref);
    if (m) return { kind: 'artifact', name: m[1], alias: m[2] ?? 'latest' };
    return `'${base}' is not an artifact reference (artifact:<id> or artifact:<name>:<alias>)`;
  }
  return `'${base}' is not a shipped base (bases/<name>) or an artifact reference (artifact:<id> or artifact:<name>:<alias>); a launched run cannot name a directory on the server`;
}

/** Whether `child` is `root` or inside it. */
const within = (root: string, child: string) => child === root || child.startsWith(root + sep);

/**
 * A relative path under `root` as an absolute one, or why not: absolute, `..`, NUL, or (where it exists) a
 * symbolic link that leads out of the root. A path that does not exist yet resolves lexically.
 */
export function underRoot(root: string, p: string): string | { error: string } {
  if (!p) return { error: 'is empty' };
  if (p.includes('\0')) return { error: 'contains a NUL character' };
  if (isAbsolute(p) || /^[A-Za-z]:/.test(p) || p.startsWith('\\'))
    return { error: `'${p}' is absolute; name a path relative to the data root` };
  if (p.split(/[\\/]/).includes('..')) return { error: `'${p}' contains '..'` };
  const realRoot = (() => {
    try {
      return realpathSync(root);
    } catch {
      return resolve(root);
    }
  })();
  // The deepest part that exists, with its links resolved, must be inside the root (a missing file is for the
  // trainer to report; a link on the way to it is not a way out).
  const full = resolve(realRoot, p);
  let real = full;
  let rest = '';
  for (;;) {
    try {
      real = join(realpathSync(real), rest);
      break;
    } catch {
      if (lstatSync(real, { throwIfNoEntry: false })?.isSymbolicLink())
        return { error: `'${p}' passes through a symbolic link to nothing` };
      if (real === realRoot || dirname(real) === real) break;
      rest = join(basename(real), rest);
      real = dirname(real);
    }
  }
  return within(realRoot, real) ? real : { error: `'${p}' leads out of the data root (a symbolic link)` };
}

export interface LaunchRoots {
  /** The shipped bases' directory, if this machine has one. */
  basesDir: string | null;
  /** Where data files of launched runs are (defaultDataRoot()). */
  dataRoot: string;
}

/** Every server-side path a launch config names that the rules above refuse, by key (dotted, from the config). */
export function launchPathIssues(config: Record<string, unknown>, roots: LaunchRoots) {
  const issues: { path: string; message: string }[] = [];
  const model = config.model as { base?: unknown } | undefined;
  if (typeof model?.base === 'string') {
    const ref = parseBase(model.base);
    if (typeof ref === 'string') issues.push({ path: 'model.base', message: ref });
    else if (ref.kind === 'base' && !roots.basesDir)
      issues.push({ path: 'model.base', message: 'this server ships no bases; name an artifact' });
  }
  const source = (config.data as { source?: Record<string, unknown> } | undefined)?.source;
  const file = (key: string, p: unknown) => {
    if (typeof p !== 'string') return;
    const r = underRoot(roots.dataRoot, p);
    if (typeof r !== 'string')
      issues.push({ path: key, message: `${r.error} (data root: ANNEAL_DATA_ROOT)` });
  };
  if (source?.kind === 'jsonl' || source?.kind === 'csv') file('data.source.path', source.path);
  if (source?.kind === 'text' && Array.isArray(source.paths))
    for (const [i, p] of source.paths.entries()) file(`data.source.paths.${i}`, p);
  const out = (config.output as { dir?: unknown } | undefined)?.dir;
  if (typeof out === 'string') {
    const bad = outputDirIssue(out);
    if (bad) issues.push({ path: 'output.dir', message: bad });
  }
  return issues;
}

/**
 * Why a launched run's output.dir is refused, seen as text (the worker also resolves it through links): it must
 * be relative, without `..`, NUL or control characters, and without hidden segments (a `.anneal` state
 * directory, `.git`, a `.cache`) or `node_modules`, which are no place for a run's files.
 */
export function outputDirIssue(out: string): string | null {
  const why = "(a launched run writes under the worker's runs directory)";
  if (!out) return `is empty ${why}`;
  if (/[\p{Cc}]/u.test(out)) return `contains a NUL or control character ${why}`;
  if (isAbsolute(out) || /^[A-Za-z]:/.test(out) || out.startsWith('\\'))
    return `'${out}' must be relative without '..' ${why}`;
  const segments = out.split(/[\\/]/);
  if (segments.includes('..')) return `'${out}' must be relative without '..' ${why}`;
  const hidden = segments.find((s) => (s.startsWith('.') && s !== '.') || s === 'node_modules');
  if (hidden) return `'${out}' has a hidden or reserved segment '${hidden}' ${why}`;
  return null;
}

/**
 * Wraps the trainer's validation with the path rules, throwing issues the way it does (ConfigIssues), so
 * launchRun, createSweep, the sweep controller and validateConfig all name the key.
 */
export function withLaunchPaths(
  validate: (config: unknown) => Record<string, unknown>,
  roots: LaunchRoots,
): (config: unknown) => Record<string, unknown> {
  return (config) => {
    const resolved = validate(config);
    const issues = launchPathIssues(resolved, roots);
    if (issues.length)
      throw Object.assign(new Error(issues.map((i) => `${i.path}: ${i.message}`).join('; ')), { issues });
    return resolved;
  };
}

/**
 * The id of the artifact `model.base` names in a project, or a BAD_INPUT naming `field` when the project has
 * no such artifact (another project's artifact is not found either: ids do not leak across projects).
 */
export async function baseArtifactId(
  h: DbHandle,
  projectId: string,
  ref: Extract<BaseRef, { kind: 'artifact' }>,
  field: string,
): Promise<string> {
  const named = 'id' in ref ? ref.id : `${ref.name}:${ref.alias}`;
  const found = await findArtifact(h, projectId, named);
  if (!found || found.projectId !== projectId)
    throw badInput(field, `this project has no artifact ${'id' in ref ? ref.id : named}`);
  return found.id;
}

/** launchRun / createSweep: an artifact `model.base` must be one of the launching project's (BAD_INPUT naming `field`). */
export async function checkBaseArtifact(
  h: DbHandle,
  projectId: string,
  config: Record<string, unknown>,
  field: string,
): Promise<void> {
  const base = (config.model as { base?: unknown } | undefined)?.base;
  const ref = typeof base === 'string' ? parseBase(base) : null;
  if (ref && typeof ref !== 'string' && ref.kind === 'artifact')
    await baseArtifactId(h, projectId, ref, field);
}
