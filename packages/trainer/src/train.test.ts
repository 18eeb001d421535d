import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@anneal/config';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectBitEqual, randn } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrainerState } from './checkpoint.ts';
import { gptParamSpecs } from './model/gpt.ts';
import { freezeAllBut } from './params.ts';
import { LMTask, packWindows } from './tasks/lm.ts';
import { type MetricsRecord, Trainer } from './train.ts';

const model = { vocabSize: 31, nPositions: 16, nLayer: 1, nHead: 2, nEmbd: 16, layerNormEps: 1e-5 };
const weights = new Map(
  gptParamSpecs(model).map((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    return [
      s.name,
      s.name.includes('ln_') && s.name.endsWith('weight')
        ? new Float32Array(n).fill(1)
        : randn(n, i + 1, 0.1),
    ];
  }),
);
// A toy corpus with structure to learn: arithmetic progressions mod 30, documents of varying length.
const docs = Array.from({ length: 40 }, (_, d) =>
  Array.from({ length: 20 + (d % 7) }, (_, i) => (d + i * ((d % 3) + 1)) % 30),
);
const windows = packWindows(docs, 8, 30);
const config = resolveConfig({
  model: { base: 'inline' },
  seed: 3,
  optim: { lr: 3e-3, weightDecay: 0.01, maxGradNorm: 1 },
  schedule: { kind: 'cosine', warmupSteps: 3 },
  train: { batchSize: 4, epochs: 3, evalEvery: 5, logEvery: 1 },
});

describe('causal-LM training loop', () => {
  let rt: Runtime;
  let dir: string;
  beforeAll(async () => {
    rt = new Runtime(await openGpu());
    dir = mkdtempSync(join(tmpdir(), 'anneal-train-'));
  });
  afterAll(() => {
    rt.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const make = (extra: { onMetrics?: (m: MetricsRecord) => void; checkpointDir?: string } = {}) => {
    const data = { train: windows.slice(8), validation: windows.slice(0, 8), test: [] };
    const task = new LMTask(rt, model, weights, data, config.train.batchSize);
    return Object.assign(new Trainer({ rt, config, task, ...extra }), { gpt: task.model });
  };

  it('packs documents into T+1 windows separated by EOS', () => {
    expect(
      packWindows(
        [
          [1, 2, 3],
          [4, 5],
        ],
        3,
        9,
      ).map((w) => Array.from(w)),
    ).toEqual([
      [1, 2, 3, 9],
      [9, 4, 5, 9],
    ]);
  });

  it('restores the best weights at the end of the run, whatever ended it (load_best_model_at_end)', async () => {
    // "Best" = the highest validation loss: the first evaluation, since training lowers it.
    const es = { metric: 'val/loss', mode: 'max' as const, patience: 100, restoreBest: true };
    const c = resolveConfig({ ...config, train: { ...config.train, epochs: 1, earlyStopping: es } });
    const data = { train: windows.slice(8), validation: windows.slice(0, 8), test: [] };
    const records: MetricsRecord[] = [];
    const task = new LMTask(rt, model, weights, data, c.train.batchSize);
    const trainer = new Trainer({ rt, config: c, task, onMetrics: (m) => records.push(m) });
    await trainer.run();
    const vals = records.filter((r) => 'val/loss' in r).map((r) => r['val/loss'] as number);
    expect(trainer.restoredStep).toBe(5);
    // The last record re-evaluates the restored weights: the first evaluation's loss again.
    expect(vals.at(-1)).toBe(vals[0]);
    expect(vals.at(-2)).toBeLessThan(vals[0]);
  });

  it('validates the final weights whatever ends the run: a step budget or the last epoch, off the evalEvery grid', async () => {
    const valSteps = async (train: Record<string, unknown>) => {
      const c = resolveConfig({ ...config, train: { ...config.train, ...train } });
      const data = { train: windows.slice(8), validation: windows.slice(0, 8), test: [] };
      const records: MetricsRecord[] = [];
      const task = new LMTask(rt, model, weights, data, c.train.batchSize);
      const trainer = new Trainer({ rt, config: c, task, onMetrics: (m) => records.push(m) });
      await trainer.run();
      return { steps: records.filter((r) => 'val/loss' in r).map((r) => r.step), trainer };
    };
    expect((await valSteps({ maxSteps: 7 })).steps).toEqual([5, 7]);
    const { steps, trainer } = await valSteps({ epochs: 1 });
    expect(trainer.batchesPerEpoch % 5).not.toBe(0);
    expect(steps.at(-1)).toBe(trainer.batchesPerEpoch);
    expect(steps.filter((s) => s === trainer.step)).toHaveLength(1);
  });

  it('reduces validation loss and writes best/last checkpoints with their format', async () => {
    const log: MetricsRecord[] = [];
    const t = make({ onMetrics: (m) => log.push(m), checkpointDir: join(dir, 'ckpt') });
    const before = (await t.evaluate('validation'))['val/loss'];
    await t.run();
    expect(t.metrics['val/loss']).toBeLessThan(before * 0.8);
    expect(log.some((m) => 'train/lr' in m)).toBe(true);
    const st = readTrainerState(join(dir, 'ckpt', 'last'));
    expect(st).toMatchObject({ format: 'anneal.checkpoint', version: 1, step: t.step });
    expect(() => readTrainerState(dir)).toThrow(/not an Anneal checkpoint/);
  });

  it('resumes bit-exactly: 12 steps = 6 steps, save, restore into a fresh trainer, 6 more', async () => {
    const straight = make();
    const lossesA: number[] = [];
    for (let i = 0; i < 12; i++) {
      await straight.run({ until: i + 1 });
      lossesA.push(straight.metrics['train/loss']);
    }
    const first = make();
    const lossesB: number[] = [];
    for (let i = 0; i < 6; i++) {
      await first.run({ until: i + 1 });
      lossesB.push(first.metrics['train/loss']);
    }
    await first.save(join(dir, 'resume'));
    const second = make();
    second.restore(join(dir, 'resume'));
    for (let i = 6; i < 12; i++) {
      await second.run({ until: i + 1 });
      lossesB.push(second.metrics['train/loss']);
    }
    expectBitEqual('resumed loss curve', Float32Array.from(lossesB), Float32Array.from(lossesA));
    const [a, b] = [await straight.gpt.params.readAll(), await second.gpt.params.readAll()];
    for (const [name, v] of a) expectBitEqual(`resumed ${name}`, b.get(name)!, v);
  });

  it('freezing (trainLastBlocks) leaves frozen parameters bit-identical and trains the rest', async () => {
    const specs = freezeAllBut(
      gptParamSpecs(model),
      0,
      model.nLayer,
      (n) => (n.startsWith('h.') ? 0 : null),
      /^ln_f\./,
    );
    const data = { train: windows.slice(8), validation: [], test: [] };
    const task = new LMTask(rt, model, weights, data, config.train.batchSize, specs);
    const t = new Trainer({ rt, config, task });
    await t.run({ until: 3 });
    const after = await task.model.params.readAll();
    for (const s of specs) {
      const same = after.get(s.name)!.every((v, i) => Object.is(v, weights.get(s.name)![i]));
      expect(same, `${s.name} ${s.frozen ? 'frozen' : 'trained'}`).toBe(Boolean(s.frozen));
    }
  });
});
