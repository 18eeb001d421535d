// The worker's "try it": claims try-it requests from the queue (apps/api queue.ts TRY_QUEUE, stored by
// tryModel in apps/api/src/schema/tryit.ts) and runs them on this machine's GPU adapter. The model is the
// request's artifact, by the id the database holds — never a path a client sent — downloaded into the verified
// artifact cache (@anneal/client downloadCached, as launched.ts does for a base; its lease is held until the
// model is in memory), then kept loaded in a small LRU keyed by content digest. A causal LM streams its text
// through appendTry as it is generated (the Generator, packages/trainer/src/generate.ts; a chat request through
// the model's chat template); a classifier stores its class probabilities (classify.ts), with the
// producing run's maxLength and truncation so a text gets what the run's evaluation would have given it.

import { hostname } from 'node:os';
import { type openQueue, TRY_QUEUE, type TryJob } from '@anneal/api/queue';
import {
  appendTry,
  claimTry,
  endTry,
  notifyTry,
  TRY_TEXT_CHUNK,
  type TryOptions,
  type TryPublish,
} from '@anneal/api/tryit';
import { downloadCached } from '@anneal/client/artifacts';
import type { DbHandle } from '@anneal/db/client';
import type { Runtime } from '@anneal/kernels/kernel';
import { Classifier } from '@anneal/trainer/classify';
import { Generator } from '@anneal/trainer/generate';
import type { Truncation } from '@anneal/trainer/tasks/classification';

export interface TryWorkerOptions {
  h: DbHandle;
  rt: Runtime;
  apiUrl: string;
  apiKey: string;
  /** The artifact cache (one directory per content digest). */
  cacheDir: string;
  /** The artifact cache's budget in bytes (default: ANNEAL_CACHE_GB GiB); evictions go to `log`. */
  cacheBytes?: number;
  /** How requests' progress is announced; default: NOTIFY on Postgres, nothing on PGlite. */
  publish?: TryPublish;
  /** Models kept loaded (default ANNEAL_TRY_MODELS or 2). */
  keep?: number;
  log: (line: string) => void;
}

type Loaded = { kind: 'generate'; model: Generator } | { kind: 'classify'; model: Classifier };

/** The last few models used, by content digest; the least recently used one is disposed to make room. */
export class ModelCache {
  private readonly models = new Map<string, Promise<Loaded>>();

  constructor(readonly size: number) {}

  async get(key: string, load: () => Promise<Loaded>): Promise<Loaded> {
    let p = this.models.get(key);
    if (p)
      this.models.delete(key); // moved to the most recent end below
    else {
      const loading = load();
      // A failed load is not kept (unless another has taken its place since).
      loading.catch(() => this.models.get(key) === loading && this.models.delete(key));
      p = loading;
    }
    this.models.set(key, p);
    while (this.models.size > this.size) {
      const [oldest, q] = this.models.entries().next().value as [string, Promise<Loaded>];
      this.models.delete(oldest);
      void q.then((m) => m.model.dispose()).catch(() => {});
    }
    return p;
  }

  keys(): string[] {
    return [...this.models.keys()];
  }

  dispose(): void {
    for (const p of this.models.values()) void p.then((m) => m.model.dispose()).catch(() => {});
    this.models.clear();
  }
}

/** Starts claiming try-it requests on `queue` (one at a time); returns how to stop. */
export async function startTryWorker(queue: Awaited<ReturnType<typeof openQueue>>, o: TryWorkerOptions) {
  const publish = o.publish ?? (o.h.target.kind === 'postgres' ? notifyTry(o.h) : () => {});
  const env = Number(process.env.ANNEAL_TRY_MODELS ?? 2);
  if (!Number.isInteger(env) || env < 1)
    throw new Error(
      `ANNEAL_TRY_MODELS: expected a whole number of models to keep loaded (1 or more), got ${process.env.ANNEAL_TRY_MODELS}`,
    );
  const cache = new ModelCache(o.keep ?? env);
  const id = await queue.work<TryJob>(
    TRY_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      await runTry({ ...o, publish }, cache, job.data.requestId);
    },
  );
  return {
    cache,
    async stop() {
      await queue.offWork(id);
      cache.dispose();
    },
  };
}

/** The error a request fails with when its generated text could not be stored. */
function storeFailed(e: unknown): Error {
  return new Error(`storing the generated text failed: ${String((e as Error)?.message ?? e)}`);
}

/** Runs one request: claims it, loads (or reuses) its model, streams or stores the result; failures are stored. */
export async function runTry(
  o: TryWorkerOptions & { publish: TryPublish },
  cache: ModelCache,
  requestId: string,
): Promise<void> {
  const claimed = await claimTry(o.h, requestId, hostname(), o.publish);
  if (!claimed) return o.log(`try_${requestId}: no longer queued; skipped`);
  const { request, artifact, config } = claimed;
  const kind = request.kind;
  try {
    const loaded = await cache.get(`${kind}:${artifact.digest}`, async () => {
      const got = await downloadCached(artifact.id, o.cacheDir, {
        url: o.apiUrl,
        apiKey: o.apiKey,
        budgetBytes: o.cacheBytes,
        log: o.log,
      });
      try {
        o.log(`try: loading ${artifact.name}:v${artifact.version} (${artifact.id}) for ${kind}`);
        if (kind === 'generate') return { kind, model: await Generator.load(o.rt, got.dir) };
        const data = (config?.data ?? {}) as {
          maxLength?: number;
          truncation?: Partial<Truncation>;
        };
        return {
          kind,
          model: await Classifier.load(o.rt, got.dir, {
            maxLength: data.maxLength,
            truncation: data.truncation,
          }),
        };
      } finally {
        got.release(); // loaded (or failed): the files are no longer read
      }
    });
    if (loaded.kind === 'classify') {
      const [p] = await loaded.model.classify([request.input]);
      const top = p.indexOf(Math.max(...p));
      await endTry(
        o.h,
        requestId,
        { status: 'finished', output: loaded.model.labels[top], probabilities: p },
        o.publish,
      );
    } else {
      const opts = request.options as Partial<TryOptions>;
      // Pieces are announced in batches (at most one statement per 50 ms, or TRY_TEXT_CHUNK of text), each
      // stored before it is announced. A failed store (the database gone, a refused value) is caught at once —
      // never left an unhandled rejection that would end the worker — and stops the generation.
      let index = 0;
      let pending: string[] = [];
      let size = 0;
      let last = 0;
      let failure: { error: unknown } | undefined;
      let chain = Promise.resolve();
      const flush = () => {
        if (!pending.length || failure) return;
        const text = pending.join('');
        const from = index;
        const count = pending.length;
        index += count;
        pending = [];
        size = 0;
        last = Date.now();
        chain = chain
          .then(() => (failure ? undefined : appendTry(o.h, requestId, from, count, text, o.publish)))
          .catch((error) => {
            failure ??= { error };
          });
      };
      const sampling = {
        maxNewTokens: opts.maxNewTokens,
        temperature: opts.temperature,
        topK: opts.topK,
        topP: opts.topP,
        seed: opts.seed,
        stop: opts.stop,
      };
      const onToken = (_row: number, piece: string) => {
        if (failure) throw storeFailed(failure.error);
        pending.push(piece);
        size += piece.length;
        if (size >= TRY_TEXT_CHUNK || Date.now() - last >= 50) flush();
      };
      // A chat request: the input is the user's message, after the system's if any (chat-template.ts renders
      // the model's own template, in a worker thread under limits).
      const system = opts.system ? [{ role: 'system', content: opts.system }] : [];
      const [g] = opts.chat
        ? await loaded.model.chat([[...system, { role: 'user', content: request.input }]], sampling, onToken)
        : await loaded.model.generate([request.input], sampling, onToken);
      flush();
      await chain;
      if (failure) throw storeFailed(failure.error);
      await endTry(
        o.h,
        requestId,
        { status: 'finished', output: g.text, finishReason: g.finishReason },
        o.publish,
      );
    }
    o.log(`try_${requestId}: ${kind} finished`);
  } catch (e) {
    // The reason, for the user — without this machine's cache directory in it.
    const message = String((e as Error).message ?? e)
      .split(o.cacheDir)
      .join('<model>');
    o.log(`try_${requestId}: failed: ${message}`);
    await endTry(o.h, requestId, { status: 'failed', error: message }, o.publish).catch((e2) =>
      o.log(`try_${requestId}: could not store the failure: ${(e2 as Error)?.message ?? e2}`),
    );
  }
}
