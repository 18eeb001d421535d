// "Try it": run a project's trained model on new input. tryModel stores a request (try_requests) and queues a
// job (queue.ts TRY_QUEUE) that a worker with a GPU adapter runs (apps/cli/src/tryit.ts); tryProgress streams
// the generated text as the worker appends it, and tryRequest / Run.tryRequests read the stored requests.
// The model is always an artifact of the project — a run's exported `model` artifact, or a model / checkpoint
// artifact named by id — which the worker downloads through the verified cache: nothing a client sends is ever
// read as a path. Limits (input length, max new tokens, rate per user) are in limits.ts.

import type { tryRequests } from '@anneal/db/schema/tryit';
import { type SQL, sql } from 'drizzle-orm';
import { Repeater } from 'graphql-yoga';
import { loadRun, requireRunRole, UUID, whileAllowed } from '../access.ts';
import { requireViewer, type Viewer } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context, TryProgressEvent } from '../context.ts';
import { ApiError, badInput } from '../errors.ts';
import { invisibleProblem, LIMITS } from '../limits.ts';
import { TRY_QUEUE, type TryJob } from '../queue.ts';
import type { SqlRow } from '../rows.ts';
import { Artifact } from './artifacts.ts';
import { Run } from './run.ts';

export type TryRow = SqlRow<typeof tryRequests>;

/** Sampling options as stored (and as the worker reads them). */
export interface TryOptions {
  maxNewTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  stop: string[];
  /** The input is a user's message, answered through the model's chat template (tokenizer_config.json). */
  chat: boolean;
  /** With chat: a system message before it ('' for none). */
  system: string;
}

/**
 * A request still queued or running after this long (its job expired: queue.ts) no longer counts against its
 * user's pending limit — a worker that died with it must not lock the user out.
 */
const TRY_STALE_SECONDS = 15 * 60;

export const TRY_DEFAULTS: TryOptions = {
  maxNewTokens: 64,
  temperature: 1,
  topK: 0,
  topP: 1,
  seed: 0,
  stop: [],
  chat: false,
  system: '',
};

const TryStatusEnum = builder.enumType('TryStatus', {
  values: ['queued', 'running', 'finished', 'failed'] as const,
});
const TryKindEnum = builder.enumType('TryKind', {
  values: {
    generate: { description: 'a causal language model continues the prompt' },
    classify: { description: 'a classifier gives the probability of each class' },
  },
});

const ms = (d: Date | string | null) => (d ? new Date(d).getTime() : null);

export const TryRequest = builder.objectRef<TryRow>('TryRequest').implement({
  description:
    "One run of a project's model on new input (tryModel): who asked, which model, the input and options, the output and timing. Stored, so results survive and can be audited.",
  fields: (t) => ({
    id: t.id({ resolve: (r) => `try_${r.id}` }),
    kind: t.field({ type: TryKindEnum, resolve: (r) => r.kind }),
    status: t.field({ type: TryStatusEnum, resolve: (r) => r.status }),
    input: t.exposeString('input', { description: 'The prompt, or the text classified.' }),
    options: t.field({
      type: 'JSON',
      description: 'generate: maxNewTokens, temperature, topK, topP, seed, stop, chat, system (as resolved).',
      resolve: (r) => r.options,
    }),
    output: t.exposeString('output', {
      description: 'generate: the text generated so far (without the prompt); classify: the top class.',
    }),
    tokens: t.exposeInt('tokens', { description: 'Tokens generated so far.' }),
    probabilities: t.field({
      type: ['Double'],
      nullable: true,
      description: 'classify: the probability of each class, in class order.',
      resolve: (r) => (r.probabilities as number[] | null) ?? null,
    }),
    finishReason: t.exposeString('finish_reason', {
      nullable: true,
      description: "generate: 'length', 'stop' or 'eos'.",
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed.' }),
    host: t.exposeString('host', { nullable: true, description: 'The worker that ran it.' }),
    user: t.string({
      nullable: true,
      description: 'Who asked (null once that user is deleted).',
      resolve: async (r, _a, ctx) => {
        if (!r.user_id) return null;
        const [u] = await ctx.h.rows<{ name: string | null; email: string }>(
          sql`select name, email from users where id = ${r.user_id}::uuid`,
        );
        return u ? (u.name ?? u.email) : null;
      },
    }),
    artifactId: t.string({ description: 'The model artifact it ran.', resolve: (r) => r.artifact_id }),
    run: t.field({
      type: Run,
      nullable: true,
      description: 'The run it was asked from.',
      resolve: async (r, _a, ctx) => (r.run_id ? await ctx.loaders.runs.load(r.run_id) : null),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => new Date(r.created_at) }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (r) => (r.started_at ? new Date(r.started_at) : null),
    }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (r) => (r.finished_at ? new Date(r.finished_at) : null),
    }),
    queuedMs: t.float({
      nullable: true,
      description: 'Milliseconds it waited for a worker.',
      resolve: (r) => (r.started_at ? ms(r.started_at)! - ms(r.created_at)! : null),
    }),
    firstTokenMs: t.float({
      nullable: true,
      description: 'Milliseconds from the start (model loaded, prompt read) to the first token.',
      resolve: (r) => (r.first_token_at && r.started_at ? ms(r.first_token_at)! - ms(r.started_at)! : null),
    }),
    durationMs: t.float({
      nullable: true,
      description: 'Milliseconds from the start to the end.',
      resolve: (r) => (r.finished_at && r.started_at ? ms(r.finished_at)! - ms(r.started_at)! : null),
    }),
  }),
});

const TryOptionsInput = builder.inputType('TryModelOptions', {
  description: `Sampling options for a generating model (ignored by a classifier). maxNewTokens at most ${LIMITS.tryMaxNewTokens}.`,
  fields: (t) => ({
    maxNewTokens: t.int({ required: false, description: `default ${TRY_DEFAULTS.maxNewTokens}` }),
    temperature: t.float({ required: false, description: '0 is greedy; default 1' }),
    topK: t.int({ required: false, description: '0 is off (default)' }),
    topP: t.float({ required: false, description: '1 is off (default)' }),
    seed: t.int({ required: false, description: 'the same seed gives the same text; default 0' }),
    stop: t.stringList({ required: false, description: 'stop sequences (not part of the output)' }),
    chat: t.boolean({
      required: false,
      description:
        "the input is a user's message, answered through the model's chat template (its tokenizer_config.json's chat_template); a model without one fails the request. Default false",
    }),
    system: t.string({
      required: false,
      description: `with chat: a system message before the user's (at most ${LIMITS.tryInputChars} characters)`,
    }),
  }),
});

/** Half of a UTF-16 surrogate pair on its own: no UTF-8 encoding, so Postgres refuses it in text and jsonb. */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATE_WHY = 'contains a lone UTF-16 surrogate (not valid Unicode text)';

/** The options with defaults, or BAD_INPUT naming the field. */
export function checkTryOptions(
  o: Partial<Record<keyof TryOptions, unknown>> | null | undefined,
): TryOptions {
  const r = { ...TRY_DEFAULTS };
  const given = <K extends keyof TryOptions>(k: K) => o?.[k] !== undefined && o?.[k] !== null;
  const num = (
    k: 'maxNewTokens' | 'temperature' | 'topK' | 'topP' | 'seed',
    min: number,
    max: number,
    what: string,
  ) => {
    if (!given(k)) return;
    const v = o![k] as number;
    if (!Number.isFinite(v) || v < min || v > max) throw badInput(`options.${k}`, `${v} is not ${what}`);
    r[k] = v;
  };
  num('maxNewTokens', 1, LIMITS.tryMaxNewTokens, `between 1 and ${LIMITS.tryMaxNewTokens} (the limit)`);
  num('temperature', 0, 10, 'between 0 (greedy) and 10');
  num('topK', 0, 100_000, 'between 0 (off) and 100000');
  num('topP', Number.MIN_VALUE, 1, 'above 0 and at most 1 (off)');
  num('seed', 0, 2 ** 31 - 1, 'between 0 and 2^31 - 1');
  if (given('stop')) {
    const stop = o!.stop as string[];
    if (stop.length > LIMITS.tryStops)
      throw badInput('options.stop', `${stop.length} stop sequences; at most ${LIMITS.tryStops}`);
    stop.forEach((s, i) => {
      if (!s.length) throw badInput(`options.stop[${i}]`, 'is empty');
      if (LONE_SURROGATE.test(s)) throw badInput(`options.stop[${i}]`, LONE_SURROGATE_WHY);
      if (s.length > LIMITS.tryStopLength)
        throw badInput(`options.stop[${i}]`, `${s.length} characters; at most ${LIMITS.tryStopLength}`);
    });
    r.stop = stop;
  }
  if (given('chat')) r.chat = o!.chat === true;
  if (given('system')) {
    const system = o!.system as string;
    if (!r.chat)
      throw badInput('options.system', 'goes with chat: true (a system message of a conversation)');
    if (system.length > LIMITS.tryInputChars)
      throw badInput('options.system', `${system.length} characters; at most ${LIMITS.tryInputChars}`);
    if (system.includes('\0')) throw badInput('options.system', 'contains a NUL character');
    if (LONE_SURROGATE.test(system)) throw badInput('options.system', LONE_SURROGATE_WHY);
    r.system = system;
  }
  return r;
}

/** The input text: non-empty, at most LIMITS.tryInputChars, no NUL (Postgres refuses it in text). */
function checkInput(input: string): string {
  if (!input.trim()) throw badInput('input', 'is empty');
  if (input.length > LIMITS.tryInputChars)
    throw badInput('input', `${input.length} characters; at most ${LIMITS.tryInputChars}`);
  if (input.includes('\0')) throw badInput('input', 'contains a NUL character');
  if (LONE_SURROGATE.test(input)) throw badInput('input', LONE_SURROGATE_WHY);
  return input;
}

/** `artifact_<uuid>`, `artifact:<uuid>` or a bare uuid: an artifact is named by its id, never by a path. */
function artifactUuid(ref: string): string {
  const raw = ref.replace(/^artifact[:_]/, '');
  if (!UUID.test(raw)) {
    const why =
      invisibleProblem(ref) ?? (/[/\\]|\.\./.test(ref) ? 'looks like a path' : 'is not an artifact id');
    throw badInput(
      'artifact',
      `'${ref.slice(0, 100)}' ${why}: a model is named by its run or its artifact id (artifact_<uuid>), never by a path`,
    );
  }
  return raw.toLowerCase();
}

interface ModelRow {
  id: string;
  project_id: string;
  run_id: string;
  kind: string;
  name: string;
  version: number;
  files: string[];
  task: string | null;
  /** All its files together (bigint: text from pg). */
  bytes: string | number;
}

const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'];

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);

/** The model a request runs, checked: its project, a complete model directory, and a task it can try. */
async function modelOf(ctx: Context, a: { run?: string | null; artifact?: string | null }) {
  if ((a.run == null) === (a.artifact == null))
    throw badInput(a.run == null ? 'run' : 'artifact', 'name exactly one of run and artifact');
  const select = (where: ReturnType<typeof sql>) =>
    ctx.h.rows<ModelRow>(sql`select a.id, a.project_id, a.run_id, a.kind, a.name, a.version,
        coalesce((select array_agg(f.path) from artifact_files f where f.artifact_id = a.id and f.path in ('config.json', 'model.safetensors', 'tokenizer.json')), '{}') as files,
        r.config -> 'model' ->> 'task' as task,
        (select coalesce(sum(f.size), 0) from artifact_files f where f.artifact_id = a.id) as bytes
      from artifacts a join runs r on r.id = a.run_id where ${where}
      order by a.created_at desc, a.version desc limit 1`);
  let m: ModelRow | undefined;
  let runId: string | null = null;
  if (a.run != null) {
    const run = await loadRun(ctx, a.run, 'member', 'run');
    runId = run.id;
    [m] = await select(sql`a.run_id = ${run.id}::uuid and a.kind = 'model'`);
    if (!m)
      throw badInput(
        'run',
        `${a.run} has no exported model (a 'model' artifact): it is still training, failed before exporting, or was tracked without one`,
      );
  } else {
    const id = artifactUuid(a.artifact!);
    [m] = await select(sql`a.id = ${id}::uuid`);
    if (!m || !ctx.viewer?.roles.has(m.project_id)) {
      requireViewer(ctx.viewer);
      throw new ApiError('NOT_FOUND', `artifact: no artifact '${a.artifact}'`, 'artifact');
    }
    requireRunRole(ctx, m.project_id, 'member', a.artifact!);
    if (m.kind !== 'model' && m.kind !== 'checkpoint')
      throw badInput('artifact', `${m.name}:v${m.version} is a ${m.kind}, not a model or a checkpoint`);
  }
  const missing = MODEL_FILES.filter((f) => !m!.files.includes(f));
  if (missing.length)
    throw badInput(
      a.run != null ? 'run' : 'artifact',
      `${m.name}:v${m.version} is not a complete model: it has no ${missing.join(', ')}`,
    );
  if (Number(m.bytes) > LIMITS.tryModelBytes)
    throw badInput(
      a.run != null ? 'run' : 'artifact',
      `${m.name}:v${m.version} is ${gib(Number(m.bytes))} GiB; try-it loads models of at most ${gib(LIMITS.tryModelBytes)} GiB (limit)`,
    );
  const kind = m.task === 'causal-lm' ? 'generate' : m.task === 'sequence-classification' ? 'classify' : null;
  if (!kind)
    throw badInput(
      a.run != null ? 'run' : 'artifact',
      m.task === 'masked-lm'
        ? `${m.name}:v${m.version} is a masked-LM model: it neither generates text nor classifies`
        : `${m.name}:v${m.version} comes from a run whose config names no model.task (causal-lm or sequence-classification)`,
    );
  return { model: m, runId: runId ?? m.run_id, kind: kind as 'generate' | 'classify' };
}

/** The request by id (`try_<uuid>` or uuid), for a viewer of its project, or NOT_FOUND. */
async function loadTry(ctx: Context, ref: string, field: string): Promise<TryRow> {
  const raw = ref.replace(/^try_/, '');
  if (!UUID.test(raw)) throw badInput(field, `'${ref.slice(0, 100)}' is not a try request id`);
  const [row] = await ctx.h.rows<TryRow>(sql`select * from try_requests where id = ${raw}::uuid`);
  requireTryAccess(ctx.viewer, row?.project_id, ref, field);
  return row;
}

/** The viewer holds a role in the request's project, or NOT_FOUND (UNAUTHENTICATED when anonymous). */
function requireTryAccess(viewer: Viewer | null, projectId: string | undefined, ref: string, field: string) {
  if (projectId && viewer?.roles.has(projectId)) return;
  requireViewer(viewer);
  throw new ApiError('NOT_FOUND', `${field}: no try request '${ref}'`, field);
}

builder.mutationField('tryModel', (t) =>
  t.field({
    type: TryRequest,
    description: `Runs a model of a project on new input on a worker with a GPU adapter: a run's exported model (run) or a model / checkpoint artifact (artifact, by id). A causal LM continues the prompt (options: sampling), a classifier gives class probabilities. Needs the member role. Returns the stored request at once (status queued); follow it with the tryProgress subscription. At most ${LIMITS.tryPerMinute} requests a minute and ${LIMITS.tryPending} waiting or running per user.`,
    args: {
      run: t.arg.id({ required: false }),
      artifact: t.arg.string({ required: false }),
      input: t.arg.string({ required: true, description: 'the prompt, or the text to classify' }),
      options: t.arg({ type: TryOptionsInput, required: false }),
    },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      const viewer = ctx.viewer!;
      const { model, runId, kind } = await modelOf(ctx, {
        run: a.run == null ? null : String(a.run),
        artifact: a.artifact,
      });
      const input = checkInput(a.input);
      if (kind === 'classify')
        for (const k of ['chat', 'system'] as const)
          if (a.options?.[k] != null && a.options[k] !== false)
            throw badInput(`options.${k}`, 'is for a generating model; this model is a classifier');
      const options = kind === 'generate' ? checkTryOptions(a.options) : {};
      if (!ctx.queue)
        throw new ApiError('CONFLICT', 'this API server runs no models (start it with `anneal api`)');
      // Counting and storing take turns per user (a lock for this transaction): concurrent calls (a batch, or
      // several connections) each see the requests the others stored, so the limits hold.
      const row = await ctx.h.db.transaction(async (tx) => {
        const rows = async <T>(q: SQL) => (await tx.execute(q)).rows as T[];
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`try:${viewer.userId}`}, 0))`);
        const [load] = await rows<{ minute: number; pending: number }>(
          sql`select count(*) filter (where created_at > now() - interval '60 seconds')::int as minute,
            count(*) filter (where status in ('queued', 'running')
              and created_at > now() - make_interval(secs => ${TRY_STALE_SECONDS}))::int as pending
            from try_requests where user_id = ${viewer.userId}::uuid and created_at > now() - interval '1 day'`,
        );
        if (load.minute >= LIMITS.tryPerMinute)
          throw new ApiError(
            'CONFLICT',
            `rate limit: ${load.minute} try requests in the last minute (at most ${LIMITS.tryPerMinute} per user); wait a little`,
          );
        if (load.pending >= LIMITS.tryPending)
          throw new ApiError(
            'CONFLICT',
            `rate limit: ${load.pending} of your try requests are waiting or running (at most ${LIMITS.tryPending}); wait for them`,
          );
        const [inserted] = await rows<TryRow>(sql`insert into try_requests
            (project_id, user_id, artifact_id, run_id, kind, input, options)
          values (${model.project_id}::uuid, ${viewer.userId}::uuid, ${model.id}::uuid, ${runId}::uuid,
            ${kind}, ${input}, ${JSON.stringify(options)}::jsonb)
          returning *`);
        return inserted;
      });
      await ctx.queue.send(TRY_QUEUE, { requestId: row.id } satisfies TryJob);
      return row;
    },
  }),
);

builder.queryField('tryRequest', (t) =>
  t.field({
    type: TryRequest,
    description: 'A try-it request by id, for a viewer of its project.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_p, a, ctx) => loadTry(ctx, String(a.id), 'id'),
  }),
);

/** The latest requests where `column` is `id`, newest first (at most `first`, 0–100). */
const latestTries = async (ctx: Context, column: 'run_id' | 'artifact_id', id: string, first: number) => {
  if (first < 0 || first > 100) throw badInput('first', `${first} is not between 0 and 100`);
  return ctx.h.rows<TryRow>(
    sql`select * from try_requests where ${sql.identifier(column)} = ${id}::uuid
      order by created_at desc limit ${first}`,
  );
};

builder.objectField(Run, 'tryRequests', (t) =>
  t.field({
    type: [TryRequest],
    description: "The latest try-it requests made with this run's model, newest first.",
    args: { first: t.arg.int({ required: false, defaultValue: 20 }) },
    resolve: (r, a, ctx) => latestTries(ctx, 'run_id', r.id, a.first ?? 20),
  }),
);

builder.objectField(Artifact, 'tryRequests', (t) =>
  t.field({
    type: [TryRequest],
    description: 'The latest try-it requests that ran this model, newest first.',
    args: { first: t.arg.int({ required: false, defaultValue: 20 }) },
    resolve: (art, a, ctx) => latestTries(ctx, 'artifact_id', art.id, a.first ?? 20),
  }),
);

const TryProgressRef = builder.objectRef<TryProgressEvent>('TryProgress').implement({
  description:
    "A try-it request's progress: the first event is what is stored so far (index 0), then text as the worker generates it. The stream ends after a finished or failed status; read the request for its probabilities, finish reason or error.",
  fields: (t) => ({
    id: t.id({ resolve: (e) => `try_${e.id}` }),
    status: t.field({ type: TryStatusEnum, resolve: (e) => e.status }),
    index: t.exposeInt('index', { description: 'The index of the first token of text.' }),
    count: t.exposeInt('count', { description: 'Tokens in text.' }),
    text: t.exposeString('text', { description: 'Generated text from token index on.' }),
    request: t.field({
      type: TryRequest,
      description: 'The stored request (read again for this event).',
      resolve: async (e, _a, ctx) =>
        (await ctx.h.rows<TryRow>(sql`select * from try_requests where id = ${e.id}::uuid`))[0],
    }),
  }),
});

const DONE = new Set(['finished', 'failed']);

builder.subscriptionField('tryProgress', (t) =>
  t.field({
    type: TryProgressRef,
    description:
      'Streams a try-it request: what is stored so far, then the text as it is generated, until it ends.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_p, a, ctx) => {
      const first = await loadTry(ctx, String(a.id), 'id');
      // A Repeater, not an async generator: a client that goes away stops it (and the pubsub listener) at once,
      // even while it waits for the next token. whileAllowed wraps it, so the viewer's subscription slot is taken
      // (or refused) before anything is listened to or read.
      const progress = new Repeater<TryProgressEvent>(async (push, stop) => {
        const it = ctx.pubsub.subscribe('tryProgress', first.id)[Symbol.asyncIterator]();
        void stop.then(() => it.return?.());
        // Listening starts with the first next(); the stored row is read after it, so no token falls in
        // between (the worker stores each token before it announces it; events already in the snapshot are
        // skipped).
        let pending = it.next();
        const [row] = await ctx.h.rows<TryRow>(sql`select * from try_requests where id = ${first.id}::uuid`);
        let seen = row.tokens;
        await push({ id: row.id, status: row.status, index: 0, count: row.tokens, text: row.output });
        if (!DONE.has(row.status))
          for (;;) {
            const r = await pending;
            if (r.done) break;
            pending = it.next();
            const e = r.value;
            // Already in the snapshot: the worker stores a batch of tokens and announces it in one statement.
            if (e.count > 0 && e.index + e.count <= seen) continue;
            seen = Math.max(seen, e.index + e.count);
            await push(e);
            if (DONE.has(e.status)) break;
          }
        stop();
        await it.return?.();
      });
      return whileAllowed(ctx, progress, (viewer) =>
        requireTryAccess(viewer, first.project_id, String(a.id), 'id'),
      );
    },
    resolve: (e) => e,
  }),
);
