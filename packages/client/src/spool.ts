// A run's files in the spool directory, and what `anneal sync --status` reports from them:
//   <run id>.jsonl           every operation, one JSON line each, in order (append-only)
//   <run id>.sent            how many of those lines are settled: delivered, rejected, moved aside or skipped
//   <run id>.rejected.jsonl  the dead-letter file: what the API refused, each with its reason (or the run
//                            directory's rejected.jsonl, named in <run id>.meta.json, when the trainer gave one)
//   <run id>.failed.jsonl    operations moved aside after the API failed on them (HTTP 500) N times
// A spool line that is not a JSON operation (a torn write, a disk error) is skipped and reported, never fatal:
// the lines after it still count, so the `.sent` cursor keeps pointing at the right line.

import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The operations a spool line may hold (index.ts's Op); anything else is a corrupt line. */
export const OP_NAMES = [
  'create',
  'points',
  'summary',
  'logs',
  'artifact',
  'use',
  'rewind',
  'finish',
] as const;

/** A spool line that could not be read back: its 1-based line number, its text and why. */
export interface CorruptLine {
  op: 'corrupt';
  line: number;
  text: string;
  error: string;
}

/** Every line of a spool: the operation, or a CorruptLine in its place (so indices stay line numbers). */
export function readSpool<Op extends { op: string }>(file: string): (Op | CorruptLine)[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((text, i) => {
    try {
      const op = JSON.parse(text) as Op;
      if (op && typeof op === 'object' && (OP_NAMES as readonly string[]).includes(op.op)) return op;
      return { op: 'corrupt', line: i + 1, text, error: 'not an Anneal operation' };
    } catch (e) {
      return { op: 'corrupt', line: i + 1, text, error: (e as Error).message };
    }
  });
}

/**
 * Makes sure the next append starts a new line: a spool whose last write was torn (a crash, a full disk) ends
 * mid-line, and an operation appended to it would be lost with the torn one.
 */
export function endLine(file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file);
  if (text.length && text[text.length - 1] !== 0x0a) appendFileSync(file, '\n');
}

export const spoolFiles = (spoolDir: string, runId: string) => ({
  spool: join(spoolDir, `${runId}.jsonl`),
  sent: join(spoolDir, `${runId}.sent`),
  meta: join(spoolDir, `${runId}.meta.json`),
  rejected: join(spoolDir, `${runId}.rejected.jsonl`),
  failed: join(spoolDir, `${runId}.failed.jsonl`),
});

/** The run ids with a spool under `spoolDir` (not their dead-letter or moved-aside files). */
export function spooledRuns(spoolDir: string): string[] {
  if (!existsSync(spoolDir)) return [];
  return readdirSync(spoolDir)
    .filter((f) => f.endsWith('.jsonl') && !/\.(rejected|failed)\.jsonl$/.test(f))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}

/** Where a run's rejected data goes: the file the trainer named (recorded in .meta.json), else the spool's. */
export function deadLetterFile(spoolDir: string, runId: string, given?: string): string {
  const f = spoolFiles(spoolDir, runId);
  if (given) {
    try {
      writeFileSync(f.meta, `${JSON.stringify({ deadLetterFile: given })}\n`);
    } catch {
      // A spool that cannot be written (a full disk): `sync` later uses the spool's own dead-letter file.
    }
    return given;
  }
  if (existsSync(f.meta)) {
    try {
      const meta = JSON.parse(readFileSync(f.meta, 'utf8')) as { deadLetterFile?: string };
      if (meta.deadLetterFile) return meta.deadLetterFile;
    } catch {
      // An unreadable meta file: the spool's own dead-letter file still works.
    }
  }
  return f.rejected;
}

/** One entry of a dead-letter file: what was refused (a point, an operation, a field of one) and why. */
export type DeadLetter =
  | { kind: 'point'; point: unknown; reason: string }
  | { kind: 'operation'; operation: unknown; reason: string }
  | { kind: 'field'; op: string; field: string; value: unknown; reason: string }
  | { kind: 'corrupt'; line: number; text: string; reason: string };

export function appendJsonl(file: string, runId: string, entries: object[]): void {
  const time = new Date().toISOString();
  appendFileSync(file, entries.map((e) => `${JSON.stringify({ time, runId, ...e })}\n`).join(''));
}

const countLines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

export interface SpoolStatus {
  run: string;
  spoolFile: string;
  /** Operations in the spool (corrupt lines not counted). */
  spooled: number;
  /** Operations the API acknowledged. */
  delivered: number;
  /** Operations not yet settled. */
  pending: number;
  /** Entries in the dead-letter file: points, operations or fields the API refused, and corrupt lines. */
  rejected: number;
  rejectedFile: string;
  /** Operations moved aside after repeated server errors. */
  movedAside: number;
  failedFile: string;
  /** Spool lines that could not be read (skipped). */
  corrupt: number;
}

/** What happened to each spooled run under `spoolDir` (for `anneal sync --status`). */
export function spoolStatus(spoolDir: string): SpoolStatus[] {
  return spooledRuns(spoolDir).map((run) => {
    const f = spoolFiles(spoolDir, run);
    const lines = readSpool(f.spool);
    const sent = existsSync(f.sent) ? Math.min(Number(readFileSync(f.sent, 'utf8')) || 0, lines.length) : 0;
    const rejectedFile = deadLetterFile(spoolDir, run);
    const entries = existsSync(rejectedFile)
      ? readFileSync(rejectedFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            try {
              return JSON.parse(l) as { runId?: string; kind?: string };
            } catch {
              return {};
            }
          })
          .filter((e) => e.runId === run)
      : [];
    const movedAside = countLines(f.failed);
    const corrupt = lines.filter((l) => l.op === 'corrupt').length;
    // Settled lines that were not delivered: whole operations refused, moved aside, or corrupt.
    const notDelivered =
      entries.filter((e) => e.kind === 'operation' || e.kind === 'corrupt').length + movedAside;
    return {
      run,
      spoolFile: f.spool,
      spooled: lines.length - corrupt,
      delivered: Math.max(0, sent - notDelivered),
      pending: lines.length - sent,
      rejected: entries.length,
      rejectedFile,
      movedAside,
      failedFile: f.failed,
      corrupt,
    };
  });
}
