// The tracking SDK the trainer logs through: `init` → `log` / `summary` / `logs` / `artifact` → `finish`.
//
// Nothing a training loop calls blocks on the network or throws because the API is down. Every call is
// appended to an on-disk spool (`<spoolDir>/<run id>.jsonl`) and queued; a background sender batches queued
// operations (metric points up to `maxBatch` per request, at least every `flushMs`) and records in
// `<run id>.sent` how many operations are settled. Every operation is idempotent on the server (run ids are
// chosen here, points are unique per key and step, log lines per sequence number), so a replay after a crash
// or an outage delivers each point exactly once.
// What is retried and what is not (nothing ever blocks the operations after it for good):
// - the API unreachable (network error, timeout, 502/503/504, 429, a key refused): retried with exponential
//   backoff up to `maxBackoffMs`, for as long as it takes;
// - the API failing on one operation (HTTP 500 or a masked internal error) while it answers others: retried
//   `maxTries` times, then moved aside to `<run id>.failed.jsonl` with a warning (a batch that fails is first
//   split, so only the operation at fault is moved);
// - the API refusing data (BAD_INPUT, NOT_FOUND, FORBIDDEN, …): never retried. The points logMetrics rejects,
//   or the operation refused, go to the dead-letter file with the reason (`deadLetterFile`, else
//   `<run id>.rejected.jsonl`) and one warning is printed; an optional field the API refuses (a run's
//   config, a finish's summary, one console line) is dropped to it and the rest retried, so the run exists
//   and still finishes.
// ANNEAL_MODE=offline only spools; `sync()` (the `anneal sync` command) delivers the spool later (spool.ts
// reads spools back, skipping and reporting corrupt lines).

import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArtifactInput,
  ArtifactRejected,
  ArtifactServerError,
  ArtifactUnreachable,
  LOG_ARTIFACT,
  logArtifactVariables,
  type SpooledArtifact,
  spoolArtifact,
  uploadArtifact,
} from './artifacts.ts';
import {
  appendJsonl,
  type CorruptLine,
  type DeadLetter,
  deadLetterFile,
  endLine,
  readSpool,
  spooledRuns,
  spoolFiles,
} from './spool.ts';

export { type SpoolStatus, spoolStatus } from './spool.ts';

export interface ClientOptions {
  /** API base URL (ANNEAL_API_URL), e.g. http://127.0.0.1:4000 */
  url?: string;
  /** API key (ANNEAL_API_KEY, else the embedded key file <data dir>/api-key). */
  apiKey?: string;
  /** 'online' (default) or 'offline' (ANNEAL_MODE): offline never touches the network. */
  mode?: 'online' | 'offline';
  /** Where spools live (default <ANNEAL_DATA_DIR or .anneal>/spool). */
  spoolDir?: string;
  /** Send at least this often while points are queued (ms). */
  flushMs?: number;
  /** Metric points per request. */
  maxBatch?: number;
  /** Longest wait between retries (ms). */
  maxBackoffMs?: number;
  /** Tries before an operation the API keeps failing on (HTTP 500) is moved aside. */
  maxTries?: number;
  /**
   * The dead-letter file: what the API refused, one JSON line each with the reason (default
   * `<spoolDir>/<run id>.rejected.jsonl`; the trainer names `<run dir>/rejected.jsonl`).
   */
  deadLetterFile?: string;
  /** Receives one line per delivery problem (default: console.warn, at most once per outage). */
  warn?: (message: string) => void;
  /**
   * Heartbeat period while a run is open (ms; ANNEAL_HEARTBEAT_S in seconds; default 15 s): the API marks a run
   * crashed when its heartbeat lapses (ANNEAL_HEARTBEAT_LAPSE_S there, default 60 s). 0: no heartbeat.
   */
  heartbeatMs?: number;
  /** Bytes per artifact upload request (default 8 MiB). */
  uploadChunkBytes?: number;
}

export interface InitOptions {
  project: string;
  name?: string;
  config?: Record<string, unknown>;
  tags?: string[];
  group?: string;
  notes?: string;
  host?: string;
  gpu?: unknown;
  /** Resume this run (its id, e.g. from a checkpoint) instead of starting a new one. */
  id?: string;
  /**
   * Start a fork of another run of the project (W&B's fork_from): the new run begins with a copy of that run's
   * points before `step` and logs its own from there; the source run is left as it was.
   */
  forkFrom?: { runId: string; step: number };
  /**
   * Resuming: join this attempt of the run if it is still the latest (a worker started it and tracks through
   * this client). Without it, resuming an existing run starts a new attempt, whose console is kept apart.
   */
  attempt?: number;
}

type Point = { key: string; step: number; value: number | string; time: string };
type Op =
  | { op: 'create'; args: InitOptions & { id: string } }
  | { op: 'points'; points: Point[] }
  | { op: 'summary'; summary: Record<string, unknown> }
  | { op: 'logs'; lines: { seq: number; stream: string; line: string; time: string }[] }
  | { op: 'artifact'; artifact: SpooledArtifact }
  | { op: 'use'; artifact: string }
  | { op: 'rewind'; step: number }
  | { op: 'table'; key: string; step: number; columns: string[]; rows: TableCell[][] }
  | { op: 'finish'; status: string; summary?: Record<string, unknown> };

/** A table cell: what JSON and the API's tables hold (a non-finite number is refused where it is logged). */
export type TableCell = string | number | boolean | null;

/** A table to log (W&B's wandb.Table): column names, and rows of one cell per column. */
export interface TableInput {
  columns: string[];
  rows: TableCell[][];
}

/**
 * Why a table cannot be logged as given (wrong arity, a cell that is not a scalar), naming the cell, or null:
 * checked when it is logged, since JSON would turn a NaN cell into null and the API refuses the rest.
 */
export function tableProblem(key: string, t: TableInput): string | null {
  if (typeof key !== 'string' || !key) return 'key: must be a non-empty string';
  if (!Array.isArray(t?.columns) || !t.columns.length) return 'columns: a table needs at least one column';
  if (!Array.isArray(t.rows)) return 'rows: must be a list of rows';
  for (let i = 0; i < t.rows.length; i++) {
    const row = t.rows[i];
    if (!Array.isArray(row) || row.length !== t.columns.length)
      return `rows[${i}]: must have ${t.columns.length} cells (${t.columns.join(', ')}), got ${Array.isArray(row) ? row.length : typeof row}`;
    for (let j = 0; j < row.length; j++) {
      const c = row[j];
      const ok =
        c === null ||
        typeof c === 'string' ||
        typeof c === 'boolean' ||
        (typeof c === 'number' && Number.isFinite(c));
      if (!ok)
        return `rows[${i}][${j}]: column '${t.columns[j]}': a cell is a string, a finite number, a boolean or null, got ${typeof c === 'number' ? c : c === undefined ? 'undefined' : typeof c}`;
    }
  }
  return null;
}

const dataDir = () => process.env.ANNEAL_DATA_DIR ?? '.anneal';

function resolveOptions(o: ClientOptions) {
  const keyFile = join(dataDir(), 'api-key');
  return {
    url: (o.url ?? process.env.ANNEAL_API_URL ?? '').replace(/\/$/, ''),
    apiKey:
      o.apiKey ??
      process.env.ANNEAL_API_KEY ??
      (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : ''),
    mode: o.mode ?? (process.env.ANNEAL_MODE === 'offline' ? 'offline' : 'online'),
    spoolDir: o.spoolDir ?? join(dataDir(), 'spool'),
    flushMs: o.flushMs ?? 1000,
    maxBatch: o.maxBatch ?? 1000,
    maxBackoffMs: o.maxBackoffMs ?? 30_000,
    maxTries: o.maxTries ?? 5,
    deadLetterFile: o.deadLetterFile,
    warn: o.warn ?? ((m: string) => console.warn(`anneal: ${m}`)),
    heartbeatMs: o.heartbeatMs ?? heartbeatFromEnv(process.env.ANNEAL_HEARTBEAT_S),
    uploadChunkBytes: o.uploadChunkBytes ?? 8 << 20,
  };
}

/** ANNEAL_HEARTBEAT_S in ms (default 15 s; 0 turns the heartbeat off); anything else is an error naming it. */
function heartbeatFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 15_000;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0)
    throw new Error(`anneal client: ANNEAL_HEARTBEAT_S must be a number of seconds (0: off), got '${raw}'`);
  return s * 1000;
}

/** JSON has no NaN / Infinity: they travel as strings the API's Double scalar reads back. */
const encodeValue = (v: number) => (Number.isFinite(v) ? v : String(v));

const GQL: Record<Op['op'], string> = {
  create:
    'mutation($project: String!, $id: ID, $name: String, $config: JSON, $tags: [String!], $group: String, $notes: String, $host: String, $gpu: JSON, $forkFrom: ForkFromInput, $attempt: Int) { createRun(project: $project, id: $id, name: $name, config: $config, tags: $tags, group: $group, notes: $notes, host: $host, gpu: $gpu, forkFrom: $forkFrom, attempt: $attempt) { id attempt } }',
  points:
    'mutation($runId: ID!, $points: [PointInput!]!) { logMetrics(runId: $runId, points: $points) { stored rejected { index reason } } }',
  summary:
    'mutation($runId: ID!, $summary: JSON!) { updateSummary(runId: $runId, summary: $summary) { id } }',
  logs: 'mutation($runId: ID!, $lines: [LogLineInput!]!, $attempt: Int) { appendLogs(runId: $runId, lines: $lines, attempt: $attempt) }',
  rewind: 'mutation($runId: ID!, $step: Int!) { rewindRun(runId: $runId, step: $step) }',
  table:
    'mutation($runId: ID!, $key: String!, $step: Float!, $columns: [String!]!, $rows: JSON!) { logTable(runId: $runId, key: $key, step: $step, columns: $columns, rows: $rows) { stored } }',
  artifact: LOG_ARTIFACT,
  use: 'mutation($runId: ID!, $artifact: String!) { useArtifact(runId: $runId, artifact: $artifact) { id } }',
  finish:
    'mutation($runId: ID!, $status: RunStatus, $summary: JSON, $attempt: Int) { finishRun(runId: $runId, status: $status, summary: $summary, attempt: $attempt) { id } }',
};

/** The API refused the operation (bad input, no access, no such run): retrying cannot help. */
export class RejectedError extends Error {
  constructor(
    message: string,
    /** The argument at fault (`config.optim.lr`, `lines[3].line`), when the API names one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
/** The API answered that it failed on the operation (HTTP 500, a masked internal error). */
class ServerFailure extends Error {}
/** The API could not be reached or turned every request away (down, overloaded, a key refused). */
class Unreachable extends Error {}

type Queued = Op | CorruptLine;
/** createRun arguments that can be dropped when refused: the run is still created, without them. */
const OPTIONAL_CREATE_ARGS = ['name', 'config', 'tags', 'group', 'notes', 'host', 'gpu'] as const;

export class Run {
  private queue: Queued[] = [];
  private sent: number;
  private total: number;
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private backoff = 0;
  private warned = false;
  private logSeq = 0;
  private closed = false;
  /** Failed tries of the operation at the head of the queue (HTTP 500 while the API answers others). */
  private tries = 0;
  /** Operations still to send one at a time, after a batch of them failed: finds the one at fault. */
  private isolate = 0;
  private rejectedWarned = false;
  /** The attempt the API said this session's create started or joined: its console lines go there. */
  private attempt: number | null = null;
  private beat: NodeJS.Timeout | null = null;
  /** Why the spool is no longer written (e.g. ENOSPC), once a write failed. */
  private spoolDown: string | null = null;
  /** Artifacts being hashed, one after another: each is spooled when done (after what was logged meanwhile). */
  private hashing: Promise<void> = Promise.resolve();
  readonly spoolFile: string;
  /** Where refused points and operations go, with their reasons. */
  deadLetterFile: string;
  /** Where operations the API kept failing on are moved aside. */
  readonly failedFile: string;

  private constructor(
    readonly id: string,
    private readonly o: ReturnType<typeof resolveOptions>,
    pending: Queued[],
    sent: number,
  ) {
    const files = spoolFiles(o.spoolDir, id);
    this.spoolFile = files.spool;
    this.failedFile = files.failed;
    this.deadLetterFile = deadLetterFile(o.spoolDir, id, o.deadLetterFile);
    this.queue = pending;
    this.sent = sent;
    this.total = sent + pending.length;
  }

  /** Starts (or resumes) a run; returns at once, whether or not the API is reachable. */
  static init(init: InitOptions, options: ClientOptions = {}): Run {
    const o = resolveOptions(options);
    if (o.mode === 'online' && !o.url)
      throw new Error('anneal client: set ANNEAL_API_URL (or ANNEAL_MODE=offline)');
    mkdirSync(o.spoolDir, { recursive: true });
    const id = init.id ?? `run_${randomUUID()}`;
    const run = Run.reopenResolved(id, o);
    // A new session is a new attempt of the run (or joins the worker's): its console is numbered from 0.
    run.logSeq = 0;
    run.push({ op: 'create', args: { ...init, id } });
    run.startHeartbeat();
    return run;
  }

  /** Re-opens a run's spool: what the API has not acknowledged is queued again (nothing is sent twice). */
  static reopen(id: string, options: ClientOptions = {}): Run {
    return Run.reopenResolved(id, resolveOptions(options));
  }

  private static reopenResolved(id: string, o: ReturnType<typeof resolveOptions>): Run {
    const files = spoolFiles(o.spoolDir, id);
    endLine(files.spool);
    const ops = readSpool<Op>(files.spool);
    const sent = existsSync(files.sent)
      ? Math.min(Number(readFileSync(files.sent, 'utf8')) || 0, ops.length)
      : 0;
    const run = new Run(id, o, ops.slice(sent), sent);
    for (const op of ops)
      if (op.op === 'logs') run.logSeq = Math.max(run.logSeq, ...op.lines.map((l) => l.seq + 1));
    const corrupt = ops.slice(sent).filter((op) => op.op === 'corrupt');
    if (corrupt.length)
      o.warn(
        `${id}: skipping ${corrupt.length} unreadable line(s) of ${files.spool} (line ${corrupt[0].line}: ${corrupt[0].error}); their text goes to ${run.deadLetterFile}`,
      );
    return run;
  }

  /**
   * Sends what the API refuses to `file` from now on (the trainer calls it once the run directory exists:
   * `<run dir>/rejected.jsonl`); `anneal sync` and `--status` find it there later too.
   */
  deadLetterTo(file: string): void {
    this.deadLetterFile = deadLetterFile(this.o.spoolDir, this.id, file);
  }

  /** Metric values at a step (e.g. { 'train/loss': 0.3, 'train/lr': 1e-4 }). NaN and ±Infinity are kept. */
  log(values: Record<string, number>, step: number, time = new Date()): void {
    const t = time.toISOString();
    const points: Point[] = [];
    const refused: DeadLetter[] = [];
    // Refused here rather than by the API: one such value or step would fail the whole request it travels in
    // (JSON writes a NaN step as null).
    const stepWrong = Number.isFinite(step) ? null : `step: not a finite number (${step})`;
    for (const [key, v] of Object.entries(values)) {
      const wrong = stepWrong ?? (typeof v === 'number' ? null : `value: not a number (${typeof v})`);
      if (!wrong) points.push({ key, step, value: encodeValue(v), time: t });
      else
        refused.push({
          kind: 'point',
          point: { key, step: Number.isFinite(step) ? step : String(step), value: String(v), time: t },
          reason: wrong,
        });
    }
    if (refused.length)
      try {
        this.deadLetter(refused);
      } catch (e) {
        this.o.warn(
          `${this.id}: refused ${refused.length} point(s) (${refused[0].reason}) and could not write them down: ${(e as Error).message}`,
        );
      }
    if (points.length) this.push({ op: 'points', points });
  }

  /**
   * The run's page on the dashboard (`<dashboardUrl>/r/<id>`), when the API knows where its dashboard is; null
   * offline, when the API does not say, or when it does not answer within `timeoutMs`. Never throws.
   */
  async pageUrl(timeoutMs = 2000): Promise<string | null> {
    if (this.o.mode === 'offline' || !this.o.url) return null;
    try {
      const res = await this.post('{ dashboardUrl }', {}, timeoutMs);
      const base = ((await res.json()) as { data?: { dashboardUrl?: string | null } }).data?.dashboardUrl;
      return base ? `${base.replace(/\/+$/, '')}/r/${this.id}` : null;
    } catch {
      return null;
    }
  }

  /** Merges keys into the run's summary (final or best metrics). */
  summary(values: Record<string, unknown>): void {
    this.push({ op: 'summary', summary: values });
  }

  /** Console lines, numbered here so a replay stores each once. */
  logs(lines: string[], stream = 'stdout'): void {
    const time = new Date().toISOString();
    if (lines.length)
      this.push({ op: 'logs', lines: lines.map((line) => ({ seq: this.logSeq++, stream, line, time })) });
  }

  /**
   * A table at a step (W&B's wandb.Table: predictions, generated samples), spooled and delivered as metrics are.
   * One table per key and step; logging the same one again is harmless. A table that cannot be stored as given
   * (a row with the wrong number of cells, a NaN or object cell) throws here, naming the cell, and nothing is
   * spooled: JSON would silently turn a NaN into null.
   */
  logTable(key: string, table: TableInput, { step }: { step: number }): void {
    const wrong =
      tableProblem(key, table) ??
      (Number.isSafeInteger(step) && step >= 0 ? null : `step: must be a non-negative integer, got ${step}`);
    if (wrong) throw new TypeError(`anneal client: logTable('${key}'): ${wrong}`);
    this.push({ op: 'table', key, step, columns: [...table.columns], rows: table.rows.map((r) => [...r]) });
  }

  /** Text at a step: a one-column table (column `text`), one row per string (several samples at once). */
  logText(key: string, text: string | string[], { step }: { step: number }): void {
    const texts = typeof text === 'string' ? [text] : text;
    this.logTable(key, { columns: ['text'], rows: texts.map((t) => [t]) }, { step });
  }

  /**
   * Records a directory or file as the next version of an artifact (packages/client/src/artifacts.ts): its
   * files are hashed in the background and spooled, the sender uploads them and logs the artifact. The promise
   * resolves once it is spooled (never rejects: a file that cannot be read is warned about); `finish` waits.
   */
  artifact(a: ArtifactInput): Promise<void> {
    this.hashing = this.hashing
      .then(() => spoolArtifact(a))
      .then(
        (artifact) => this.push({ op: 'artifact', artifact }),
        (e: Error) => this.o.warn(`${this.id}: artifact ${a.name} not logged: ${e.message}`),
      );
    return this.hashing;
  }

  /** Records that this run consumed an artifact (an id, or `name:alias` / `name:v3` in its project): lineage. */
  useArtifact(ref: string): void {
    this.push({ op: 'use', artifact: ref });
  }

  /**
   * Removes the run's points at `step` and after, delivered in order with everything else: call it when
   * training restarts from `step` (a retry from the start: 0) so the new history replaces the old one rather
   * than being dropped as replays of steps already stored.
   */
  rewind(step: number): void {
    this.push({ op: 'rewind', step });
  }

  /** Marks the run finished (or failed / stopped …) and waits until everything is delivered or `timeoutMs`. */
  async finish(status = 'finished', summary?: Record<string, unknown>, timeoutMs = 30_000): Promise<boolean> {
    await this.hashing;
    this.push({ op: 'finish', status, ...(summary ? { summary } : {}) });
    this.closed = true;
    this.stopHeartbeat();
    return this.flush(timeoutMs);
  }

  /** Operations not yet acknowledged by the API. */
  get pending(): number {
    return this.total - this.sent;
  }

  /** Waits until the queue is delivered (true) or `timeoutMs` passes (false; the spool keeps the rest). */
  async flush(timeoutMs = 30_000): Promise<boolean> {
    await this.hashing;
    if (this.o.mode === 'offline') return this.pending === 0;
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) {
      this.backoff = Math.min(this.backoff, Math.max(0, deadline - Date.now()));
      await this.sendNow();
      if (this.pending > 0) await sleep(Math.min(this.backoff || 50, Math.max(0, deadline - Date.now())));
    }
    if (this.pending === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    return this.pending === 0;
  }

  /**
   * Beats every heartbeatMs while the run is open, once the API has its create, so that it can tell a run whose
   * process died (crashed after the lapse) from one that trains. Not spooled: a missed beat is just missed. The
   * timer never keeps the process alive; offline runs do not beat.
   */
  private startHeartbeat(): void {
    if (this.o.mode === 'offline' || !(this.o.heartbeatMs > 0)) return;
    let beating = false;
    this.beat = setInterval(() => {
      if (beating || this.attempt === null || this.closed) return;
      beating = true;
      this.post('mutation($runId: ID!) { heartbeat(runId: $runId) { id } }', { runId: this.id }, 10_000)
        .then((res) => res.body?.cancel())
        .catch(() => {}) // the sender already reports an unreachable API
        .finally(() => {
          beating = false;
        });
    }, this.o.heartbeatMs);
    this.beat.unref();
  }

  private stopHeartbeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
  }

  /**
   * Writes to the spool unless an earlier write failed (its disk full, its quota spent). After a failure the
   * spool is left as it was — a prefix of the operations, and a `.sent` count no higher than what was delivered,
   * so a later `sync` can only resend (harmless) — and the queue lives on in memory: logging never stops the
   * training loop. Said once.
   */
  private spool(write: () => void): void {
    if (this.spoolDown) return;
    try {
      write();
    } catch (e) {
      this.spoolDown = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.o.warn(
        `${this.id}: cannot write the spool ${this.spoolFile} (${this.spoolDown}): logging goes on from memory; what is not delivered yet is lost if this process dies`,
      );
    }
  }

  private push(op: Op): void {
    this.spool(() => appendFileSync(this.spoolFile, `${JSON.stringify(op)}\n`));
    this.queue.push(op);
    this.total++;
    if (this.o.mode === 'offline') return;
    const points = this.queue.reduce((n, q) => n + (q.op === 'points' ? q.points.length : 0), 0);
    if (points >= this.o.maxBatch || op.op !== 'points') void this.sendNow();
    else this.schedule(this.o.flushMs);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sendNow();
    }, ms);
    this.timer.unref(); // a pending flush never keeps the process alive; finish() waits explicitly
  }

  /** Sends queued operations in order until the queue is empty or the API cannot be reached. */
  private sendNow(): Promise<void> {
    if (!this.sending)
      this.sending = this.drain()
        .catch((e: Error) => {
          // A local failure (the spool's disk full or gone): never an unhandled rejection in the training
          // process; what is not settled stays queued and is tried again.
          this.o.warn(`${this.id}: delivery paused: ${e.message}`);
          this.retryLater();
        })
        .finally(() => {
          this.sending = null;
        });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const head = this.queue[0];
      if (head.op === 'corrupt') {
        this.deadLetter([{ kind: 'corrupt', line: head.line, text: head.text, reason: head.error }]);
        this.settle(1);
        continue;
      }
      // Consecutive point operations travel together, up to maxBatch points per request (one at a time while
      // a failed batch is being isolated).
      let n = 1;
      const batch: Point[] = [];
      if (head.op === 'points') {
        n = 0;
        for (const q of this.queue) {
          if (q.op !== 'points') break;
          if (n && (this.isolate > 0 || batch.length + q.points.length > this.o.maxBatch)) break;
          batch.push(...q.points);
          n++;
        }
      }
      const op: Op = head.op === 'points' ? { op: 'points', points: batch } : head;
      try {
        const rejected = await this.send(op);
        if (rejected.length)
          this.deadLetter(rejected.map((r) => ({ kind: 'point', point: batch[r.index], reason: r.reason })));
      } catch (e) {
        const failed = e instanceof ServerFailure && (await this.answersOthers());
        if (n > 1 && (e instanceof RejectedError || failed)) {
          // Something in this batch is at fault: send its operations one by one to find which.
          this.isolate = n;
          continue;
        }
        if (e instanceof RejectedError) {
          const retry = this.withoutRefused(head, e);
          if (retry) {
            this.queue[0] = retry;
            continue;
          }
          this.deadLetter([{ kind: 'operation', operation: head, reason: e.message }]);
        } else if (failed) {
          if (++this.tries < this.o.maxTries) return this.retryLater();
          appendJsonl(this.failedFile, this.id, [{ tries: this.tries, reason: e.message, operation: head }]);
          this.o.warn(
            `${this.id}: moved a ${head.op} operation aside after ${this.tries} tries (${e.message}): ${this.failedFile}`,
          );
        } else {
          if (!this.warned)
            this.o.warn(
              `${this.id}: API unreachable (${(e as Error).message}); spooling to ${this.spoolFile}`,
            );
          this.warned = true;
          return this.retryLater();
        }
      }
      this.settle(n);
    }
  }

  private retryLater(): void {
    this.backoff = Math.min(this.o.maxBackoffMs, Math.max(250, this.backoff * 2));
    if (!this.closed) this.schedule(this.backoff);
  }

  /** The first n queued operations are settled (delivered, refused or moved aside): never sent again. */
  private settle(n: number): void {
    this.queue.splice(0, n);
    this.sent += n;
    this.isolate = Math.max(0, this.isolate - n);
    this.tries = 0;
    this.backoff = 0;
    this.warned = false;
    this.spool(() => writeFileSync(join(this.o.spoolDir, `${this.id}.sent`), String(this.sent)));
  }

  /** Writes refused data to the dead-letter file; the first time, says so once. */
  private deadLetter(entries: DeadLetter[]): void {
    try {
      appendJsonl(this.deadLetterFile, this.id, entries);
    } catch (e) {
      // The run directory's file cannot be written (removed, read-only): the spool's own dead-letter file.
      const fallback = spoolFiles(this.o.spoolDir, this.id).rejected;
      if (this.deadLetterFile === fallback) throw e;
      this.o.warn(
        `${this.id}: cannot write ${this.deadLetterFile} (${(e as Error).message}); using ${fallback}`,
      );
      this.deadLetterTo(fallback);
      appendJsonl(fallback, this.id, entries);
    }
    if (this.rejectedWarned) return;
    this.rejectedWarned = true;
    this.o.warn(
      `${this.id}: the API refused some tracking data (${entries[0].reason}); it is kept, with the reasons, in ${this.deadLetterFile}`,
    );
  }

  /**
   * The operation without the part the API refused, when that part is optional (a run's config or tags, a
   * finish's summary, one console line), the part going to the dead-letter file; else null.
   */
  private withoutRefused(op: Op, e: RejectedError): Op | null {
    const field = e.field ?? '';
    const top = /^[A-Za-z]+/.exec(field)?.[0] ?? '';
    const drop = (value: unknown) =>
      this.deadLetter([{ kind: 'field', op: op.op, field, value, reason: e.message }]);
    if (op.op === 'create' && (OPTIONAL_CREATE_ARGS as readonly string[]).includes(top) && top in op.args) {
      const key = top as (typeof OPTIONAL_CREATE_ARGS)[number];
      drop(op.args[key]);
      const args = { ...op.args };
      delete args[key];
      return { op: 'create', args };
    }
    if (op.op === 'finish' && top === 'summary' && op.summary) {
      drop(op.summary);
      return { op: 'finish', status: op.status };
    }
    const line = /^lines\[(\d+)\]/.exec(field);
    if (op.op === 'logs' && line && op.lines.length > 1) {
      const i = Number(line[1]);
      drop(op.lines[i]);
      return { op: 'logs', lines: op.lines.filter((_, j) => j !== i) };
    }
    return null;
  }

  /** Whether the API answers a request that reads the database (this run), i.e. is up and serving. */
  private async answersOthers(): Promise<boolean> {
    try {
      const res = await this.post('query($id: ID!) { run(id: $id) { id } }', { id: this.id }, 10_000);
      if (res.status >= 500) return false;
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      const code = body.errors?.[0]?.extensions?.code;
      return !body.errors?.length || (code !== undefined && code !== 'INTERNAL_SERVER_ERROR');
    } catch {
      return false;
    }
  }

  /** One GraphQL request to the API with the run's key. */
  private post(query: string, variables: Record<string, unknown>, timeoutMs: number): Promise<Response> {
    return fetch(`${this.o.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.o.apiKey}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  /**
   * Sends one operation; returns the points logMetrics refused (their index in op.points). Throws
   * Unreachable, ServerFailure or RejectedError (see the header for what each leads to).
   */
  private async send(op: Op): Promise<{ index: number; reason: string }[]> {
    const variables: Record<string, unknown> =
      op.op === 'create'
        ? { ...op.args }
        : op.op === 'points'
          ? { runId: this.id, points: op.points }
          : op.op === 'summary'
            ? { runId: this.id, summary: op.summary }
            : op.op === 'logs'
              ? { runId: this.id, lines: op.lines, attempt: this.attempt }
              : op.op === 'rewind'
                ? { runId: this.id, step: op.step }
                : op.op === 'table'
                  ? { runId: this.id, key: op.key, step: op.step, columns: op.columns, rows: op.rows }
                  : op.op === 'artifact'
                    ? logArtifactVariables(this.id, op.artifact)
                    : op.op === 'use'
                      ? { runId: this.id, artifact: op.artifact }
                      : {
                          runId: this.id,
                          status: op.status,
                          summary: op.summary ?? null,
                          attempt: this.attempt,
                        };
    if (op.op === 'artifact') await this.upload(op.artifact);
    let res: Response;
    try {
      res = await this.post(GQL[op.op], variables, 30_000);
    } catch (e) {
      throw new Unreachable((e as Error).message);
    }
    // Gateways and load shedding say nothing about this operation: the API is (briefly) not there.
    if ([429, 502, 503, 504].includes(res.status)) throw new Unreachable(`HTTP ${res.status}`);
    let body: {
      data?: {
        logMetrics?: { rejected: { index: number; reason: string }[] };
        createRun?: { attempt?: number };
      } | null;
      errors?: { message: string; extensions?: { code?: string; field?: string } }[];
    };
    try {
      body = (await res.json()) as typeof body; // Response.json() is `unknown` under plain @types/node
    } catch {
      if (res.status >= 500) throw new ServerFailure(`HTTP ${res.status}`);
      throw new RejectedError(`HTTP ${res.status}`);
    }
    if (body.errors?.length) {
      const e = body.errors[0];
      const code = e.extensions?.code;
      if (code === 'UNAUTHENTICATED') throw new Unreachable(`the API refused the key: ${e.message}`);
      // A request GraphQL refuses before running it (a variable of the wrong type) comes back as 400, no code.
      if (code === undefined && res.status >= 400 && res.status < 500)
        throw new RejectedError(`HTTP ${res.status}: ${e.message}`);
      if (code === 'INTERNAL_SERVER_ERROR' || code === undefined || res.status >= 500)
        throw new ServerFailure(`${res.status >= 500 ? `HTTP ${res.status}: ` : ''}${e.message}`);
      throw new RejectedError(`${code}: ${e.message}`, e.extensions?.field);
    }
    if (res.status >= 500) throw new ServerFailure(`HTTP ${res.status}`);
    if (op.op === 'create') this.attempt = body.data?.createRun?.attempt ?? null;
    return body.data?.logMetrics?.rejected ?? [];
  }

  /**
   * An artifact's blobs, before its logArtifact. The upload's failures map onto the sender's: a network cut is an
   * outage (retried, resuming the upload), a 5xx a server failure (counted against maxTries), and content that
   * cannot be recorded (a file changed or gone) a refusal, which sends the artifact to the dead-letter file.
   */
  private async upload(a: SpooledArtifact): Promise<void> {
    try {
      await uploadArtifact({ url: this.o.url, apiKey: this.o.apiKey }, this.id, a, this.o.uploadChunkBytes);
    } catch (e) {
      if (e instanceof ArtifactUnreachable) throw new Unreachable(e.message);
      if (e instanceof ArtifactServerError) throw new ServerFailure(e.message);
      if (e instanceof ArtifactRejected)
        throw new RejectedError(`artifact ${a.name} not recorded: ${e.message}`);
      throw e;
    }
  }
}

/**
 * Delivers every spool under `spoolDir` that has unsent operations (offline runs, or runs cut off). A run
 * that cannot be read or delivered is reported in its result and the others still go.
 */
export async function sync(
  options: ClientOptions = {},
  timeoutMs = 60_000,
): Promise<{ run: string; delivered: boolean; pending: number; error?: string }[]> {
  const o = resolveOptions({ ...options, mode: 'online' });
  if (!o.url) throw new Error('anneal sync: set ANNEAL_API_URL');
  const out = [];
  for (const id of spooledRuns(o.spoolDir)) {
    try {
      const run = Run.reopen(id, { ...options, mode: 'online' });
      if (!run.pending) continue;
      const delivered = await run.flush(timeoutMs);
      out.push({ run: run.id, delivered, pending: run.pending });
    } catch (e) {
      out.push({ run: id, delivered: false, pending: -1, error: (e as Error).message });
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
