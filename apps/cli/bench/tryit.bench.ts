// `pnpm bench:tryit`: what a "try it" request costs end to end on this machine's adapter — the embedded stack
// (test/stack.ts: API, queue, a worker) with a model of the shipped gpt-brown's shape, exported by a launched
// run. For a causal LM (greedy, 32 new tokens) and a classifier: the first request (artifact download into the
// verified cache, model load) and the median of later ones (the model cached in the worker's LRU): the whole
// round trip seen by a client (tryModel → the subscription's last event), the wait for a worker, the time to the
// first token, the time on the worker and decode tokens/s. Prints a table and writes bench/results/tryit-*.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJson } from '../../../packages/kernels/bench/harness.ts';
import { startStack, until } from '../../../test/stack.ts';

const N = Number(process.env.BENCH_N ?? 9);
const stack = await startStack('bench-tryit');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function launch(config: Record<string, unknown>) {
  const r = await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
    c: config,
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  const id = r.data!.launchRun.id as string;
  await until(async () => {
    const s = (await stack.gql('query($id: ID!) { run(id: $id) { status } }', { id })).data!.run.status;
    return s === 'finished' || s === 'failed';
  }, 600_000);
  return id;
}

/** One request, followed to its end through the subscription; its stored timing. */
async function ask(run: string, input: string, options: Record<string, unknown> | null) {
  const t0 = performance.now();
  const r = await stack.gql(
    'mutation($run: ID, $input: String!, $o: TryModelOptions) { tryModel(run: $run, input: $input, options: $o) { id } }',
    { run, input, o: options },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  const id = r.data!.tryModel.id as string;
  const q = `subscription { tryProgress(id: "${id}") { status } }`;
  await (
    await fetch(`${stack.url}/graphql?query=${encodeURIComponent(q)}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${stack.key}` },
    })
  ).text();
  const roundTrip = performance.now() - t0;
  const d = (
    await stack.gql(
      'query($id: ID!) { tryRequest(id: $id) { status error tokens queuedMs firstTokenMs durationMs } }',
      { id },
    )
  ).data!.tryRequest;
  if (d.status !== 'finished') throw new Error(`try request ${id}: ${d.status} ${d.error}`);
  return { roundTrip, ...d } as {
    roundTrip: number;
    tokens: number;
    queuedMs: number;
    firstTokenMs: number;
    durationMs: number;
  };
}

try {
  mkdirSync(join(stack.dir, 'data'), { recursive: true });
  writeFileSync(
    join(stack.dir, 'data', 'spam.jsonl'),
    Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ text: i % 2 ? `win money ${i}` : `lunch at noon ${i}`, label: i % 2 }),
    ).join('\n'),
  );
  const lm = await launch(stack.lmConfig('bench-lm', 1));
  const spam = await launch({
    name: 'bench-spam',
    model: { base: 'bases/tiny', task: 'sequence-classification', numLabels: 2 },
    data: { source: { kind: 'jsonl', path: 'spam.jsonl' }, maxLength: 64 },
    train: { batchSize: 4, epochs: 1, maxSteps: 1, evalEvery: 1000 },
    output: { dir: 'runs' },
  });
  const rows: Record<string, number | string>[] = [];
  for (const [name, run, input, options] of [
    ['generate', lm, 'The jury said that the', { maxNewTokens: 32, temperature: 0 }],
    ['classify', spam, 'win money now, claim your prize', null],
  ] as const) {
    const cold = await ask(run, input, options);
    const warm = [];
    for (let i = 0; i < N; i++) warm.push(await ask(run, input, options));
    const decode = warm
      .filter((w) => w.tokens > 1)
      .map((w) => ((w.tokens - 1) * 1000) / Math.max(1e-9, w.durationMs - w.firstTokenMs));
    rows.push({
      kind: name,
      coldRoundTripMs: cold.roundTrip,
      coldWorkerMs: cold.durationMs,
      roundTripMs: median(warm.map((w) => w.roundTrip)),
      queuedMs: median(warm.map((w) => w.queuedMs)),
      firstTokenMs: median(warm.map((w) => w.firstTokenMs)),
      workerMs: median(warm.map((w) => w.durationMs)),
      tokens: warm[0].tokens,
      decodeTokensPerS: decode.length ? median(decode) : 0,
    });
  }
  const adapter = (await stack.gql(`query($id: ID!) { run(id: $id) { gpu } }`, { id: lm })).data!.run.gpu;
  console.log(
    `\ntry it, end to end (model of gpt-brown's shape; median of ${N} cached requests after a cold one)`,
  );
  console.log('kind      cold ms  round trip ms  queued ms  first token ms  worker ms  tokens  decode tok/s');
  for (const r of rows)
    console.log(
      [
        String(r.kind).padEnd(9),
        Number(r.coldRoundTripMs).toFixed(0).padStart(7),
        Number(r.roundTripMs).toFixed(0).padStart(14),
        Number(r.queuedMs).toFixed(0).padStart(10),
        Number(r.firstTokenMs).toFixed(0).padStart(15),
        Number(r.workerMs).toFixed(0).padStart(10),
        String(r.tokens).padStart(7),
        Number(r.decodeTokensPerS).toFixed(1).padStart(13),
      ].join(' '),
    );
  console.log(`\nwrote ${writeJson('tryit', { n: N, adapter, rows })}`);
} finally {
  await stack.close();
}
