// The tracking SDK the trainer logs through: `init` → `log` / `summary` / `logs` / `artifact` → `finish`.
//
// Nothing a training loop calls blocks on the network or throws because the API is down. Every call is
// appended to an on-disk spool (`<spoolDir>/<run id>.jsonl`) and queued; a background sender batches queued
// operations (metric points up to `maxBatch` per request, at least every `flushMs`), retries failures with
// exponential backoff, and records in `<run id>.sent` how many operations the API acknowledged. Every operation
// is idempotent on the server (run ids are chosen here, points are unique per key and step, log lines per
// sequence number), so a replay after a crash or an outage delivers each point exactly once.
// ANNEAL_MODE=offline only spools; `sync()` (the `anneal sync` command) delivers the spool later.

import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArtifactInput,
  ArtifactRejected,
  LOG_ARTIFACT,
  logArtifactVariables,
  type SpooledArtifact,
  spoolArtifact,
  uploadArtifact,
} from './artifacts.ts';

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
  /** Receives one line per delivery problem (default: console.warn, at most once per outage). */
  warn?: (message: string) => void;
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
  | { op: 'finish'; status: string; summary?: Record<string, unknown> };

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
    warn: o.warn ?? ((m: string) => console.warn(`anneal: ${m}`)),
    uploadChunkBytes: o.uploadChunkBytes ?? 8 << 20,
  };
}

/** JSON has no NaN / Infinity: they travel as strings the API's Double scalar reads back. */
const encodeValue = (v: number) => (Number.isFinite(v) ? v : String(v));

const GQL: Record<Op['op'], string> = {
  create:
    'mutation($project: String!, $id: ID, $name: String, $config: JSON, $tags: [String!], $group: String, $notes: String, $host: String, $gpu: JSON, $forkFrom: ForkFromInput) { createRun(project: $project, id: $id, name: $name, config: $config, tags: $tags, group: $group, notes: $notes, host: $host, gpu: $gpu, forkFrom: $forkFrom) { id } }',
  points: 'mutation($runId: ID!, $points: [PointInput!]!) { logMetrics(runId: $runId, points: $points) }',
  summary:
    'mutation($runId: ID!, $summary: JSON!) { updateSummary(runId: $runId, summary: $summary) { id } }',
  logs: 'mutation($runId: ID!, $lines: [LogLineInput!]!) { appendLogs(runId: $runId, lines: $lines) }',
  rewind: 'mutation($runId: ID!, $step: Int!) { rewindRun(runId: $runId, step: $step) }',
  artifact: LOG_ARTIFACT,
  use: 'mutation($runId: ID!, $artifact: String!) { useArtifact(runId: $runId, artifact: $artifact) { id } }',
  finish:
    'mutation($runId: ID!, $status: RunStatus, $summary: JSON) { finishRun(runId: $runId, status: $status, summary: $summary) { id } }',
};

/** An error the API answered with (bad input, auth): retrying cannot help. */
export class RejectedError extends Error {}

export class Run {
  private queue: Op[] = [];
  private sent: number;
  private total: number;
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private backoff = 0;
  private warned = false;
  private logSeq = 0;
  private closed = false;
  /** Artifacts being hashed, one after another: each is spooled when done (after what was logged meanwhile). */
  private hashing: Promise<void> = Promise.resolve();
  readonly spoolFile: string;

  private constructor(
    readonly id: string,
    private readonly o: ReturnType<typeof resolveOptions>,
    pending: Op[],
    sent: number,
  ) {
    this.spoolFile = join(o.spoolDir, `${id}.jsonl`);
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
    run.push({ op: 'create', args: { ...init, id } });
    return run;
  }

  /** Re-opens a run's spool: what the API has not acknowledged is queued again (nothing is sent twice). */
  static reopen(id: string, options: ClientOptions = {}): Run {
    return Run.reopenResolved(id, resolveOptions(options));
  }

  private static reopenResolved(id: string, o: ReturnType<typeof resolveOptions>): Run {
    const file = join(o.spoolDir, `${id}.jsonl`);
    const ops = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Op)
      : [];
    const sentFile = join(o.spoolDir, `${id}.sent`);
    const sent = existsSync(sentFile) ? Number(readFileSync(sentFile, 'utf8')) : 0;
    const run = new Run(id, o, ops.slice(sent), sent);
    for (const op of ops)
      if (op.op === 'logs') run.logSeq = Math.max(run.logSeq, ...op.lines.map((l) => l.seq + 1));
    return run;
  }

  /** Metric values at a step (e.g. { 'train/loss': 0.3, 'train/lr': 1e-4 }). NaN and ±Infinity are kept. */
  log(values: Record<string, number>, step: number, time = new Date()): void {
    const t = time.toISOString();
    const points = Object.entries(values).map(([key, v]) => ({ key, step, value: encodeValue(v), time: t }));
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

  private push(op: Op): void {
    appendFileSync(this.spoolFile, `${JSON.stringify(op)}\n`);
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

  /** Sends queued operations in order until the queue is empty or a request fails. */
  private sendNow(): Promise<void> {
    if (!this.sending)
      this.sending = this.drain().finally(() => {
        this.sending = null;
      });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      // Consecutive point operations travel together, up to maxBatch points per request.
      let n = 1;
      const batch: Point[] = [];
      if (this.queue[0].op === 'points') {
        n = 0;
        for (const q of this.queue) {
          if (q.op !== 'points' || (batch.length && batch.length + q.points.length > this.o.maxBatch)) break;
          batch.push(...q.points);
          n++;
        }
      }
      const op: Op = this.queue[0].op === 'points' ? { op: 'points', points: batch } : this.queue[0];
      try {
        await this.send(op);
      } catch (e) {
        if (e instanceof RejectedError) {
          // The API refused the operation itself (bad input, no access): retrying cannot help; skip it.
          this.o.warn(`${this.id}: dropped a ${op.op} operation the API rejected: ${e.message}`);
        } else {
          if (!this.warned)
            this.o.warn(
              `${this.id}: API unreachable (${(e as Error).message}); spooling to ${this.spoolFile}`,
            );
          this.warned = true;
          this.backoff = Math.min(this.o.maxBackoffMs, Math.max(250, this.backoff * 2));
          if (!this.closed) this.schedule(this.backoff);
          return;
        }
      }
      this.queue.splice(0, n);
      this.sent += n;
      this.backoff = 0;
      this.warned = false;
      writeFileSync(join(this.o.spoolDir, `${this.id}.sent`), String(this.sent));
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

  private async send(op: Op): Promise<void> {
    const variables: Record<string, unknown> =
      op.op === 'create'
        ? { ...op.args }
        : op.op === 'points'
          ? { runId: this.id, points: op.points }
          : op.op === 'summary'
            ? { runId: this.id, summary: op.summary }
            : op.op === 'logs'
              ? { runId: this.id, lines: op.lines }
              : op.op === 'rewind'
                ? { runId: this.id, step: op.step }
                : op.op === 'artifact'
                  ? logArtifactVariables(this.id, op.artifact)
                  : op.op === 'use'
                    ? { runId: this.id, artifact: op.artifact }
                    : { runId: this.id, status: op.status, summary: op.summary ?? null };
    if (op.op === 'artifact') await this.upload(op.artifact);
    const res = await this.post(GQL[op.op], variables, 30_000);
    if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      const e = body.errors[0];
      const code = e.extensions?.code;
      if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) throw new Error(e.message);
      throw new RejectedError(`${code}: ${e.message}`);
    }
  }

  /** An artifact's blobs, before its logArtifact; one that cannot be recorded is set aside with the reason. */
  private async upload(a: SpooledArtifact): Promise<void> {
    try {
      await uploadArtifact({ url: this.o.url, apiKey: this.o.apiKey }, this.id, a, this.o.uploadChunkBytes);
    } catch (e) {
      if (!(e instanceof ArtifactRejected)) throw e; // network or 5xx: retried, resuming the upload
      const file = rejectedFile(this.o.spoolDir, this.id);
      const time = new Date().toISOString();
      appendFileSync(file, `${JSON.stringify({ op: 'artifact', artifact: a, reason: e.message, time })}\n`);
      throw new RejectedError(`artifact ${a.name} not recorded: ${e.message} (kept in ${file})`);
    }
  }
}

/** Where artifacts that could not be recorded go, with the reason: `<spoolDir>/<run id>.rejected.ndjson` (not .jsonl: `sync` reads those as spools). */
export const rejectedFile = (spoolDir: string, runId: string) => join(spoolDir, `${runId}.rejected.ndjson`);

/** Delivers every spool under `spoolDir` that has unsent operations (offline runs, or runs cut off). */
export async function sync(
  options: ClientOptions = {},
  timeoutMs = 60_000,
): Promise<{ run: string; delivered: boolean; pending: number }[]> {
  const o = resolveOptions({ ...options, mode: 'online' });
  if (!o.url) throw new Error('anneal sync: set ANNEAL_API_URL');
  if (!existsSync(o.spoolDir)) return [];
  const out = [];
  for (const f of readdirSync(o.spoolDir).filter((f) => f.endsWith('.jsonl'))) {
    const run = Run.reopen(f.slice(0, -'.jsonl'.length), { ...options, mode: 'online' });
    if (!run.pending) continue;
    const delivered = await run.flush(timeoutMs);
    out.push({ run: run.id, delivered, pending: run.pending });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
