// An artifact's manifest: relative file paths, each mapped to a blob (sha256, size). The rules for a path are
// the same where one is recorded (logArtifact) and where one is asked for (a download), so a path that could
// mean anything but "this entry of this manifest" is refused at both ends. The digest identifies the content
// of a version: equal manifests, equal digests, whatever order the files were listed in.
import { createHash } from 'node:crypto';
import { invisibleProblem } from '../limits.ts';

export const MAX_PATH_CHARS = 512;
export const MAX_FILES = 10_000;

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

/**
 * Why `path` is not an acceptable manifest path, or null when it is: relative, `/`-separated, no empty, `.` or
 * `..` segment, no backslash, no NUL, control or invisible character (limits.ts INVISIBLE: C0 and C1 controls,
 * line separators, bidi controls, zero-width characters), at most MAX_PATH_CHARS characters.
 */
export function pathProblem(path: string): string | null {
  if (!path) return 'is empty';
  if (path.length > MAX_PATH_CHARS) return `is longer than ${MAX_PATH_CHARS} characters`;
  const invisible = invisibleProblem(path);
  if (invisible) return invisible;
  if (path.includes('\\')) return "contains '\\' (use '/' between directories)";
  if (path.startsWith('/')) return "is absolute (starts with '/'): paths are relative to the artifact";
  for (const seg of path.split('/')) {
    if (seg === '') return 'has an empty segment (// or a trailing /)';
    if (seg === '.' || seg === '..') return `has a '${seg}' segment`;
  }
  return null;
}

/** sha256 over the manifest's lines `<sha256> <size> <path>`, sorted by path, joined by newlines. */
export function manifestDigest(files: ManifestFile[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256} ${f.size} ${f.path}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * The manifest path a download URL names: the segments after `/artifacts/<id>/`, each percent-decoded, joined
 * by `/`. Null when a segment does not decode or the result is not an acceptable path.
 */
export function pathFromUrl(encoded: string): string | null {
  let path: string;
  try {
    path = encoded.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
  return pathProblem(path) ? null : path;
}

/** The URL path of a file of an artifact, each segment encoded (the inverse of pathFromUrl). */
export const downloadPath = (artifactId: string, path: string) =>
  `/artifacts/${artifactId}/${path.split('/').map(encodeURIComponent).join('/')}`;
