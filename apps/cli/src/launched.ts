// A launched run's config made concrete on the worker that trains it: the names a launch may use
// (apps/api/src/launch-paths.ts) become directories of this machine.
// - model.base `bases/<name>` → <worker's bases dir>/<name>; `artifact:<ref>` → the artifact (checked to be
//   the run's project's, in the database) downloaded through the API into <cache dir>/<digest>, once per
//   content, so a worker on another machine fine-tunes from a model it never had; the run holds a lease on it
//   (the cache evicts it only after `release`, which the worker calls when the run ends);
// - data file paths → under the worker's data root (links out of it refused again: the API's machine may not be
//   this one); output.dir → under the worker's runs directory.
// The rules are checked again here because a sweep's proposals and old queued runs reach the worker too.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BaseRef,
  baseArtifactId,
  launchPathIssues,
  outputDirIssue,
  parseBase,
  underRoot,
} from '@anneal/api/launch-paths';
import { downloadCached } from '@anneal/client/artifacts';
import type { CacheOptions } from '@anneal/client/cache';
import type { TrainConfig } from '@anneal/config';
import type { DbHandle } from '@anneal/db/client';

/** A config that breaks the launch rules on this machine: the run fails (a retry would too). */
export class LaunchRefused extends Error {}

export interface LaunchDirs {
  /** The shipped bases of this machine (`bases/<name>` names a directory in it). */
  bases: string | null;
  /** Where launched runs' data files are (ANNEAL_DATA_ROOT). */
  dataRoot: string;
  /** Where launched runs' output.dir goes: a directory of the worker's own, which nothing else writes to. */
  runsDir: string;
  /** Downloaded artifacts, one directory per content digest. */
  cacheDir: string;
}

/**
 * The config to train with on this machine, and the artifact it starts from (an input of the run), if any, with
 * `release` for the artifact's cache lease: the caller calls it when the run no longer reads the base (it ends).
 * Throws an error naming the key for a config that breaks the launch rules or names another project's artifact.
 */
export async function localize(
  config: TrainConfig,
  projectId: string,
  o: LaunchDirs & { h: DbHandle; apiUrl: string; apiKey: string; cache?: CacheOptions },
): Promise<{ config: TrainConfig; input: string | null; log: string[]; release: () => void }> {
  const issues = launchPathIssues(config as unknown as Record<string, unknown>, {
    basesDir: o.bases,
    dataRoot: o.dataRoot,
  });
  if (issues.length) throw new LaunchRefused(issues.map((i) => `config.${i.path}: ${i.message}`).join('; '));
  const out = runsDirOf(o.runsDir, config.output.dir);
  const ref = parseBase(config.model.base) as BaseRef;
  const log: string[] = [];
  let base: string;
  let input: string | null = null;
  let release = () => {};
  if (ref.kind === 'base') base = join(o.bases!, ref.name);
  else {
    // Not the project's (or no such artifact): BAD_INPUT from the rule, refused here.
    const id = await baseArtifactId(o.h, projectId, ref, 'config.model.base').catch((e: Error) => {
      const code = (e as { extensions?: { code?: string } }).extensions?.code;
      throw code === 'BAD_INPUT' ? new LaunchRefused(e.message) : e;
    });
    const got = await downloadCached(id, o.cacheDir, { url: o.apiUrl, apiKey: o.apiKey, ...o.cache });
    base = got.dir;
    input = id;
    release = got.release;
    log.push(
      `model.base: ${config.model.base} is ${got.artifact.name} v${got.artifact.version} (${id}), in ${base}`,
    );
  }
  const inRoot = (p: string) => underRoot(o.dataRoot, p) as string; // checked above
  const source = config.data.source;
  const local =
    source?.kind === 'jsonl' || source?.kind === 'csv'
      ? { ...source, path: inRoot(source.path) }
      : source?.kind === 'text'
        ? { ...source, paths: source.paths.map(inRoot) }
        : source;
  return {
    config: {
      ...config,
      model: { ...config.model, base },
      data: { ...config.data, source: local },
      output: { ...config.output, dir: out },
    },
    input,
    log,
    release,
  };
}

/**
 * A launched output.dir as a real path inside the runs directory, or LaunchRefused naming config.output.dir: the
 * text rules again (this worker may be newer than the API that queued the run), then every part that exists
 * resolved through its symbolic links, which must stay inside the runs directory's real path.
 */
export function runsDirOf(runsDir: string, dir: string): string {
  const refuse = (why: string) => new LaunchRefused(`config.output.dir: ${why}`);
  const text = outputDirIssue(dir);
  if (text) throw refuse(text);
  mkdirSync(runsDir, { recursive: true });
  const r = underRoot(runsDir, dir);
  if (typeof r !== 'string')
    throw refuse(r.error.replace('the data root', "the worker's runs directory").concat(` (${runsDir})`));
  return r;
}
