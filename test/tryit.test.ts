// "Try it" end to end on the embedded stack (the API, the queue and a worker on lavapipe): a launched run's
// exported model is tried through tryModel; the worker downloads the artifact into its verified cache, loads it
// and streams the generated text through tryProgress (the same text the Generator gives on the same files and
// options), or stores a classifier's probabilities (those Classifier gives with the run's maxLength). A prompt
// the model's context cannot hold fails with the reason, without the worker's directories in it.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadCached } from '@anneal/client/artifacts';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { Classifier } from '@anneal/trainer/classify';
import { Generator } from '@anneal/trainer/generate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';

describe('try it on a worker', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let rt: Runtime;
  const local = mkdtempSync(join(tmpdir(), 'anneal-tryit-local-'));
  const runs: Record<string, string> = {};

  const TRY = `mutation($run: ID, $input: String!, $options: TryModelOptions) {
    tryModel(run: $run, input: $input, options: $options) { id kind status artifactId } }`;
  const REQUEST = `query($id: ID!) { tryRequest(id: $id) {
    status output tokens probabilities finishReason error host durationMs firstTokenMs } }`;

  /** Every event of a tryProgress subscription, until the stream ends. */
  async function follow(id: string) {
    const query = `subscription { tryProgress(id: "${id}") { status index count text } }`;
    const res = await fetch(`${stack.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${stack.key}` },
    });
    const text = await res.text();
    return [...text.matchAll(/data: (.*)\n/g)]
      .map((m) => JSON.parse(m[1]))
      .filter((e) => e.data)
      .map((e) => e.data.tryProgress as { status: string; index: number; count: number; text: string });
  }

  async function launch(config: Record<string, unknown>) {
    const r = await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
      c: config,
    });
    expect(r.errors).toBeUndefined();
    const id = r.data!.launchRun.id as string;
    const done = await until(async () => {
      const s = (await stack.gql('query($id: ID!) { run(id: $id) { status } }', { id })).data!.run.status;
      return s === 'finished' || s === 'failed';
    }, 180_000);
    expect(done).toBe(true);
    return id;
  }

  beforeAll(async () => {
    stack = await startStack('tryit');
    rt = new Runtime(await openGpu());
    mkdirSync(join(stack.dir, 'data'), { recursive: true });
    const rows = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify(
        i % 2
          ? { text: `win free money now offer ${i}`, label: 1 }
          : { text: `the meeting is at noon ${i}`, label: 0 },
      ),
    );
    writeFileSync(join(stack.dir, 'data', 'spam.jsonl'), `${rows.join('\n')}\n`);
    runs.lm = await launch(stack.lmConfig('try-lm', 2));
    // A chat model: the tiny base with a chat template, which its fine-tuned model keeps (tokenizer_config.json).
    cpSync(join(stack.dir, 'bases', 'tiny'), join(stack.dir, 'bases', 'tiny-chat'), { recursive: true });
    writeFileSync(
      join(stack.dir, 'bases', 'tiny-chat', 'tokenizer_config.json'),
      JSON.stringify({
        chat_template:
          "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}",
      }),
    );
    runs.chat = await launch({ ...stack.lmConfig('try-chat', 1), model: { base: 'bases/tiny-chat' } });
    runs.spam = await launch({
      name: 'try-spam',
      model: { base: 'bases/tiny', task: 'sequence-classification', numLabels: 2 },
      data: { source: { kind: 'jsonl', path: 'spam.jsonl' }, maxLength: 12 },
      train: { batchSize: 4, epochs: 1, maxSteps: 2, evalEvery: 1000, logEvery: 1 },
      output: { dir: 'runs' },
    });
  }, 400_000);
  afterAll(async () => {
    rt?.destroy();
    await stack?.close();
    rmSync(local, { recursive: true, force: true });
  });

  it("streams a run's generated text, the same text the Generator gives on its model", async () => {
    const options = { maxNewTokens: 12, temperature: 0, seed: 1 };
    const r = await stack.gql(TRY, { run: runs.lm, input: 'The jury said', options });
    expect(r.errors).toBeUndefined();
    const t = r.data!.tryModel;
    expect(t).toMatchObject({ kind: 'generate', status: 'queued' });
    const events = await follow(t.id);
    expect(events.at(-1)!.status).toBe('finished');
    // The worker's lease on the downloaded model ended once the model was loaded.
    expect(readdirSync(join(stack.dir, 'cache', '.leases'))).toEqual([]);
    const streamed = events.map((e) => e.text).join('');
    const stored = (await stack.gql(REQUEST, { id: t.id })).data!.tryRequest;
    expect(stored).toMatchObject({ status: 'finished', error: null, finishReason: expect.any(String) });
    expect(stored.output.length).toBeGreaterThan(0);
    // Streamed pieces (in order, none twice) make up the stored text.
    expect(streamed).toBe(stored.output);
    let next = 0;
    for (const e of events.filter((x) => x.count > 0)) {
      expect(e.index).toBe(next);
      next += e.count;
    }
    // The worker ran the run's own model with the request's options: greedy decoding here gives the same.
    const got = await downloadCached(t.artifactId, join(local, 'cache'), {
      url: stack.url,
      apiKey: stack.key,
    });
    const gen = await Generator.load(rt, got.dir).finally(got.release);
    const [want] = await gen.generate(['The jury said'], options);
    gen.dispose();
    expect(stored.output).toBe(want.text);
    expect(stored.finishReason).toBe(want.finishReason);
  }, 180_000);

  it('gives the same sampled text for the same seed, and another for another seed', async () => {
    const ask = async (seed: number) => {
      const t = (
        await stack.gql(TRY, {
          run: runs.lm,
          input: 'She',
          options: { maxNewTokens: 10, temperature: 1, topP: 0.95, seed },
        })
      ).data!.tryModel;
      await follow(t.id);
      return (await stack.gql(REQUEST, { id: t.id })).data!.tryRequest.output as string;
    };
    const a = await ask(7);
    expect(await ask(7)).toBe(a);
    const others = [await ask(8), await ask(9)];
    expect(others.some((o) => o !== a)).toBe(true);
  }, 180_000);

  it("answers a chat through the model's chat template, kept from its base; a model without one fails by name", async () => {
    const options = { maxNewTokens: 8, temperature: 0, chat: true, system: 'Be brief.' };
    const t = (await stack.gql(TRY, { run: runs.chat, input: 'The jury said', options })).data!.tryModel;
    const events = await follow(t.id);
    expect(events.at(-1)!.status).toBe('finished');
    const stored = (await stack.gql(REQUEST, { id: t.id })).data!.tryRequest;
    expect(stored.output.length).toBeGreaterThan(0);
    const { dir } = await downloadCached(t.artifactId, join(local, 'cache'), {
      url: stack.url,
      apiKey: stack.key,
    });
    const gen = await Generator.load(rt, dir);
    const [want] = await gen.generate(['system: Be brief.\nuser: The jury said\nassistant:'], {
      maxNewTokens: 8,
      temperature: 0,
    });
    gen.dispose();
    expect(stored.output).toBe(want.text);

    const plain = (await stack.gql(TRY, { run: runs.lm, input: 'Hello', options: { chat: true } })).data!
      .tryModel;
    expect((await follow(plain.id)).at(-1)!.status).toBe('failed');
    expect((await stack.gql(REQUEST, { id: plain.id })).data!.tryRequest.error).toMatch(
      /has no chat template \(its tokenizer_config.json carries no chat_template\)/,
    );
  }, 180_000);

  it("stores a classifier's class probabilities, as the run's model gives them", async () => {
    const t = (await stack.gql(TRY, { run: runs.spam, input: 'win free money now' })).data!.tryModel;
    expect(t.kind).toBe('classify');
    const events = await follow(t.id);
    expect(events.at(-1)!.status).toBe('finished');
    const stored = (await stack.gql(REQUEST, { id: t.id })).data!.tryRequest;
    expect(stored.probabilities).toHaveLength(2);
    expect(stored.probabilities[0] + stored.probabilities[1]).toBeCloseTo(1, 6);
    expect(stored.output).toBe(String(stored.probabilities[1] > stored.probabilities[0] ? 1 : 0));
    const got = await downloadCached(t.artifactId, join(local, 'cache'), {
      url: stack.url,
      apiKey: stack.key,
    });
    const clf = await Classifier.load(rt, got.dir, { maxLength: 12 }).finally(got.release);
    const [want] = await clf.classify(['win free money now']);
    clf.dispose();
    expect(stored.probabilities[0]).toBeCloseTo(want[0], 6);
    expect(stored.probabilities[1]).toBeCloseTo(want[1], 6);
  }, 180_000);

  it("fails a prompt longer than the model's context with the reason, naming no directory of the worker", async () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const t = (await stack.gql(TRY, { run: runs.lm, input: long })).data!.tryModel;
    const events = await follow(t.id);
    expect(events.at(-1)!.status).toBe('failed');
    const stored = (await stack.gql(REQUEST, { id: t.id })).data!.tryRequest;
    expect(stored.error).toMatch(/context/);
    expect(stored.error).not.toContain(stack.dir);
    expect(stored.output).toBe('');
  }, 180_000);
});
