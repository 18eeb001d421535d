// The training loop, for any task: seeded epoch shuffles, gradient accumulation, clipping, learning-rate
// schedules (including ReduceLROnPlateau on a validation metric), evaluation every N steps and at epoch end,
// early stopping with best-weights restore, `best` and `last` checkpoints, and bit-exact resume
// (train 20 = train 10, stop, resume, train 10, on the same adapter). A Task supplies the model, batches and
// evaluation: causal LM (tasks/lm.ts) or sequence classification (tasks/classification.ts).

import type { TrainConfig } from '@anneal/config';
import type { Runtime, Step } from '@anneal/kernels/kernel';
import { tuneSeenMatmuls } from '@anneal/kernels/ops/matmul/matmul';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  readOptimizerState,
  readTrainerState,
  writeCheckpoint,
} from './checkpoint.ts';
import { seededRandom, shuffle } from './data/split.ts';
import { Optimizer } from './optim.ts';
import type { Layout, PackedSet } from './params.ts';
import { EarlyStopping, lrMultiplier, ReduceLROnPlateau, type StepSchedule } from './schedule.ts';

/** What the loop needs from a model. */
export interface TrainableModel<B> {
  readonly layout: Layout;
  readonly params: PackedSet;
  readonly grads: PackedSet;
  forward(s: Step, batch: B): void;
  backward(s: Step): void;
  readLoss(): Promise<number>;
}

export type NamedTensors = Map<string, { shape: number[]; data: Float32Array }>;

/**
 * A model as Hugging Face files: config.json's contents and model.safetensors' tensors; with LoRA also the
 * adapters alone, PEFT-style (adapter_config.json + adapter_model.safetensors).
 */
export interface HFModel {
  config: unknown;
  tensors: NamedTensors;
  adapter?: { config: unknown; tensors: NamedTensors };
}

export interface Task<B> {
  readonly model: TrainableModel<B>;
  /** Training examples (windows, sequences) per epoch. */
  readonly trainSize: number;
  /** A batch from training example indices; `seed` drives any augmentation (fixed per step: resumable). */
  batch(indices: number[], seed: number): B;
  /** Metrics on a split, without prefix: { loss, perplexity } or { loss, accuracy, f1, rocAuc, … }. */
  evaluate(split: 'validation' | 'test'): Promise<Record<string, number>>;
  readonly splitSizes: { validation: number; test: number };
  /** The model as Hugging Face files: config.json contents and named tensors with shapes. */
  toHF(weights: Map<string, Float32Array>): HFModel;
  /** Reads weights back from a checkpoint directory written through toHF. */
  fromHF(dir: string): Map<string, Float32Array>;
}

export interface MetricsRecord {
  step: number;
  epoch: number;
  [key: string]: number;
}

export interface TrainerOptions<B> {
  rt: Runtime;
  config: TrainConfig;
  task: Task<B>;
  /** Called for each logged record (train every logEvery steps, val at each evaluation). */
  onMetrics?: (m: MetricsRecord) => void;
  /**
   * Awaited after each evaluation's metrics are recorded, with the weights evaluated still in place (samples
   * generated at each evaluation: run.ts).
   */
  onEvaluate?: (split: 'validation' | 'test', step: number) => Promise<void>;
  /** Where `best` and `last` checkpoints go; none when omitted. */
  checkpointDir?: string;
  /** Polled after every optimizer step (Ctrl-C): true stops the run, which then saves `last`. */
  shouldStop?: () => boolean;
}

export class Trainer<B> {
  /** Why `run` ended before its step budget, when it did: 'time' is train.maxMinutes. */
  stoppedBy: 'time' | null = null;
  /** The step whose weights were restored at the end (train.earlyStopping.restoreBest), if not the last. */
  restoredStep: number | null = null;
  readonly opt: Optimizer;
  step = 0;
  epoch = 0;
  position = 0;
  private plateau: ReduceLROnPlateau | null;
  private early: EarlyStopping | null;
  private bestWeights: Map<string, Float32Array> | null = null;
  /** The step of the last validation, so a run's final weights are validated once, whatever ends it. */
  private validatedAt = -1;
  /** Whether the matmul variants were tuned for this model's shapes (see tuneForModel). */
  private tuned = false;
  metrics: Record<string, number> = {};

  constructor(readonly o: TrainerOptions<B>) {
    const c = o.config;
    const m = o.task.model;
    this.opt = new Optimizer(o.rt, m.layout, m.params, m.grads, {
      ...(c.optim.kind === 'adamw'
        ? {
            kind: 'adamw',
            beta1: c.optim.beta1,
            beta2: c.optim.beta2,
            eps: c.optim.eps,
            weightDecay: c.optim.weightDecay,
          }
        : {
            kind: 'sgd',
            momentum: c.optim.momentum,
            dampening: 0,
            nesterov: c.optim.nesterov,
            weightDecay: c.optim.weightDecay,
          }),
    });
    const s = c.schedule;
    this.plateau =
      s.kind === 'plateau'
        ? new ReduceLROnPlateau(c.optim.lr, {
            mode: c.train.earlyStopping?.mode ?? 'min',
            factor: s.factor,
            patience: s.patience,
            threshold: s.threshold,
            thresholdMode: s.thresholdMode,
            cooldown: s.cooldown,
            minLr: s.minLr,
          })
        : null;
    const es = c.train.earlyStopping;
    this.early = es
      ? new EarlyStopping({ mode: es.mode, patience: es.patience, minDelta: es.minDelta })
      : null;
  }

  get batchesPerEpoch(): number {
    return Math.floor(this.o.task.trainSize / this.o.config.train.batchSize);
  }

  get totalSteps(): number {
    const c = this.o.config;
    const byEpochs = Math.floor((this.batchesPerEpoch * c.train.epochs) / c.optim.gradAccumSteps);
    return c.train.maxSteps ? Math.min(c.train.maxSteps, byEpochs) : byEpochs;
  }

  private schedule(): StepSchedule {
    const s = this.o.config.schedule;
    const total = this.totalSteps;
    switch (s.kind) {
      case 'linear':
        return { kind: 'linear', warmupSteps: s.warmupSteps, totalSteps: total };
      case 'cosine':
        return { kind: 'cosine', warmupSteps: s.warmupSteps, totalSteps: total, minLrRatio: s.minLrRatio };
      case 'step':
        return { kind: 'step', stepSize: s.stepSize, gamma: s.gamma };
      default:
        return { kind: 'constant', warmupSteps: s.warmupSteps };
    }
  }

  private currentLr(): number {
    if (this.plateau) {
      const warm = this.o.config.schedule.warmupSteps;
      return this.step < warm ? (this.plateau.state.lr * this.step) / warm : this.plateau.state.lr;
    }
    return this.o.config.optim.lr * lrMultiplier(this.schedule(), this.step);
  }

  /** The epoch's window order: a pure function of (seed, epoch), so resuming needs no RNG state. */
  private order(epoch: number): number[] {
    const rand = seededRandom((this.o.config.seed * 1000003 + epoch) >>> 0);
    return shuffle(
      Array.from({ length: this.o.task.trainSize }, (_, i) => i),
      rand,
    );
  }

  /**
   * Picks the matmul variant for every product a training step runs, measured on exactly those shapes (cached
   * per adapter: see @anneal/kernels autotune.ts): one step is recorded to learn the shapes and never
   * submitted. Done before the first step of every `run`, so a resumed run makes the same choices (from the
   * cache) as the run it resumes.
   */
  private async tuneForModel(idx: number[]): Promise<void> {
    const model = this.o.task.model;
    const s = this.o.rt.step('shapes');
    model.forward(s, this.o.task.batch(idx, 0));
    model.backward(s);
    s.finish(); // hands the uniform chunks back; the command buffer is dropped unsubmitted
    await tuneSeenMatmuls(this.o.rt);
  }

  /** Trains until the step budget, the epochs, early stopping, or `until` steps (for tests and resume). */
  async run({ until = Number.POSITIVE_INFINITY }: { until?: number } = {}): Promise<Record<string, number>> {
    const c = this.o.config;
    const { batchSize, evalEvery, logEvery } = c.train;
    const accum = c.optim.gradAccumSteps;
    const total = this.totalSteps;
    let order = this.order(this.epoch);
    const deadline = c.train.maxMinutes
      ? performance.now() + c.train.maxMinutes * 60_000
      : Number.POSITIVE_INFINITY;
    if (!this.tuned && this.position + accum <= this.batchesPerEpoch) {
      this.tuned = true;
      await this.tuneForModel(order.slice(this.position * batchSize, (this.position + 1) * batchSize));
    }
    while (this.step < total && this.step < until && this.epoch < c.train.epochs) {
      if (this.position + accum > this.batchesPerEpoch) {
        await this.endEpoch();
        if (this.early?.shouldStop) break;
        order = this.order(this.epoch);
        continue;
      }
      const lr = this.currentLr();
      let lossSum = 0;
      for (let micro = 0; micro < accum; micro++) {
        const idx = order.slice(this.position * batchSize, (this.position + 1) * batchSize);
        const b = this.o.task.batch(idx, (c.seed * 2654435761 + this.step * 131 + micro) >>> 0);
        const model = this.o.task.model;
        this.o.rt.run('train', (s) => {
          if (micro === 0) this.opt.zeroGrad(s);
          model.forward(s, b);
          model.backward(s);
          // Accumulated gradients are sums of per-micro-batch means: the step uses lr / accum.
          if (micro === accum - 1) this.opt.update(s, lr / accum, { maxNorm: c.optim.maxGradNorm * accum });
        });
        lossSum += await model.readLoss();
        this.position++;
      }
      this.step++;
      this.metrics['train/loss'] = lossSum / accum;
      this.metrics['train/lr'] = lr;
      if (this.step % logEvery === 0 || this.step === 1)
        this.emit({ 'train/loss': lossSum / accum, 'train/lr': lr });
      if (this.step % evalEvery === 0) await this.validate();
      if (this.early?.shouldStop || this.o.shouldStop?.()) break;
      if (performance.now() > deadline) {
        this.stoppedBy = 'time';
        break;
      }
    }
    // A run that ends at its step budget, its last epoch or its time budget is validated at its last step
    // (also when that is no multiple of evalEvery), so early stopping's best and the summary see it.
    if ((this.step >= total || this.stoppedBy === 'time') && this.validatedAt !== this.step)
      await this.validate();
    // `last` is the trained state (a resume continues from it); the returned model is the best one.
    if (this.o.checkpointDir) await this.save(`${this.o.checkpointDir}/last`);
    const finished =
      this.step >= total ||
      this.epoch >= c.train.epochs ||
      this.early?.shouldStop ||
      this.stoppedBy === 'time';
    // Like Hugging Face's load_best_model_at_end: whatever ended the run, the best weights come back.
    if (
      finished &&
      c.train.earlyStopping?.restoreBest &&
      this.bestWeights &&
      this.early?.bestStep !== this.step
    ) {
      this.o.task.model.params.write(this.bestWeights);
      this.restoredStep = this.early!.bestStep;
      await this.evaluate('validation'); // val/* now describe the weights that are kept
    }
    return this.metrics;
  }

  private async endEpoch(): Promise<void> {
    await this.validate();
    this.epoch++;
    this.position = 0;
  }

  /** Evaluates a split and records its metrics as `val/…` or `test/…`. */
  async evaluate(split: 'validation' | 'test'): Promise<Record<string, number>> {
    const prefix = split === 'validation' ? 'val' : 'test';
    const raw = await this.o.task.evaluate(split);
    const record = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${prefix}/${k}`, v]));
    Object.assign(this.metrics, record);
    this.emit(record);
    await this.o.onEvaluate?.(split, this.step);
    return record;
  }

  private async validate(): Promise<void> {
    if (!this.o.task.splitSizes.validation) return;
    this.validatedAt = this.step;
    await this.evaluate('validation');
    const es = this.o.config.train.earlyStopping;
    const key = es?.metric ?? 'val/loss';
    const monitored = this.metrics[key];
    if (monitored === undefined)
      throw new Error(
        `train.earlyStopping.metric: no metric '${key}' (have ${Object.keys(this.metrics).join(', ')})`,
      );
    if (this.plateau) this.plateau.step(monitored);
    const improved = this.early ? this.early.update(monitored, this.step) : true;
    if (improved && es?.restoreBest) this.bestWeights = await this.o.task.model.params.readAll();
    if (this.o.checkpointDir) {
      await this.save(`${this.o.checkpointDir}/last`);
      if (improved) await this.save(`${this.o.checkpointDir}/best`);
    }
  }

  private emit(values: Record<string, number>): void {
    this.o.onMetrics?.({ step: this.step, epoch: this.epoch, ...values });
  }

  async save(dir: string): Promise<void> {
    const model = this.o.task.model;
    const hf = this.o.task.toHF(await model.params.readAll());
    const optimizer = new Map<string, Float32Array>();
    for (const [n, d] of await this.opt.m.readAll()) optimizer.set(`m.${n}`, d);
    if (this.opt.v) for (const [n, d] of await this.opt.v.readAll()) optimizer.set(`v.${n}`, d);
    writeCheckpoint(dir, {
      state: {
        format: CHECKPOINT_FORMAT,
        version: CHECKPOINT_VERSION,
        config: this.o.config,
        step: this.step,
        epoch: this.epoch,
        dataPosition: this.position,
        optimizerStep: this.opt.step,
        lr: this.plateau?.state.lr ?? this.currentLr(),
        scheduler: this.plateau?.state ?? null,
        earlyStopping: this.early
          ? { best: this.early.best, bestStep: this.early.bestStep, bad: this.early.bad }
          : null,
        metrics: this.metrics,
      },
      hfConfig: hf.config,
      adapter: hf.adapter,
      weights: new Map([...hf.tensors].map(([n, t]) => [n, t.data])),
      shapes: new Map([
        ...[...hf.tensors].map(([n, t]) => [n, t.shape] as const),
        ...model.layout.specs.map((s) => [s.name, s.shape] as const),
      ]),
      optimizer,
    });
  }

  /** Restores weights, optimizer moments and counters from a checkpoint written by `save`. */
  restore(dir: string): void {
    const st = readTrainerState(dir);
    this.o.task.model.params.write(this.o.task.fromHF(dir));
    const opt = readOptimizerState(dir);
    const pick = (prefix: string) =>
      new Map([...opt].filter(([n]) => n.startsWith(prefix)).map(([n, d]) => [n.slice(2), d]));
    this.opt.m.write(pick('m.'));
    this.opt.v?.write(pick('v.'));
    this.opt.step = st.optimizerStep;
    this.step = st.step;
    this.epoch = st.epoch;
    this.position = st.dataPosition;
    this.metrics = { ...st.metrics };
    if (this.plateau && st.scheduler) this.plateau.state = st.scheduler as typeof this.plateau.state;
    if (this.early && st.earlyStopping) Object.assign(this.early, st.earlyStopping);
  }
}
