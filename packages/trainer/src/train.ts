// The training loop for causal language modelling on our GPT: packed token windows, a loader that
// reshuffles each epoch from the seed, gradient accumulation, clipping, learning-rate schedules (including
// ReduceLROnPlateau on validation loss), evaluation every N steps and at epoch end, early stopping with
// best-weights restore, `best` and `last` checkpoints, and bit-exact resume (train 20 = train 10, stop,
// resume, train 10, on the same adapter).

import type { Runtime } from '@anneal/kernels/kernel';
import { IGNORE_INDEX } from '@anneal/kernels/ops/crossentropy/crossentropy';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  readOptimizerState,
  readTrainerState,
  writeCheckpoint,
} from './checkpoint.ts';
import type { TrainConfig } from './config.ts';
import { seededRandom, shuffle } from './data/split.ts';
import { GPT, type GPTConfig } from './model/gpt.ts';
import { gptConfigToHF } from './model/pretrained.ts';
import { Optimizer } from './optim.ts';
import { EarlyStopping, lrMultiplier, ReduceLROnPlateau, type StepSchedule } from './schedule.ts';

/** Non-overlapping windows of T + 1 tokens over the concatenation of documents separated by `eos`. */
export function packWindows(docs: ArrayLike<number>[], T: number, eos: number): Uint32Array[] {
  const stream: number[] = [];
  for (const d of docs) {
    for (let i = 0; i < d.length; i++) stream.push(d[i]);
    stream.push(eos);
  }
  const out: Uint32Array[] = [];
  for (let i = 0; i + T + 1 <= stream.length; i += T) out.push(Uint32Array.from(stream.slice(i, i + T + 1)));
  return out;
}

export interface MetricsRecord {
  step: number;
  epoch: number;
  [key: string]: number;
}

export interface LMTrainerOptions {
  rt: Runtime;
  config: TrainConfig;
  model: GPTConfig;
  weights: Map<string, Float32Array>;
  train: Uint32Array[];
  validation: Uint32Array[];
  /** Called for each logged record (train every logEvery steps, val at each evaluation). */
  onMetrics?: (m: MetricsRecord) => void;
  /** Where `best` and `last` checkpoints go; none when omitted. */
  checkpointDir?: string;
  /** Polled after every optimizer step (Ctrl-C): true stops the run, which then saves `last`. */
  shouldStop?: () => boolean;
}

export class LMTrainer {
  readonly gpt: GPT;
  readonly opt: Optimizer;
  step = 0;
  epoch = 0;
  position = 0;
  lr: number;
  private plateau: ReduceLROnPlateau | null;
  private early: EarlyStopping | null;
  private bestWeights: Map<string, Float32Array> | null = null;
  metrics: Record<string, number> = {};

  constructor(readonly o: LMTrainerOptions) {
    const c = o.config;
    this.gpt = new GPT(o.rt, o.model);
    this.gpt.params.write(o.weights);
    this.opt = new Optimizer(o.rt, this.gpt.layout, this.gpt.params, this.gpt.grads, {
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
    this.lr = c.optim.lr;
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
    return Math.floor(this.o.train.length / this.o.config.train.batchSize);
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
      Array.from({ length: this.o.train.length }, (_, i) => i),
      rand,
    );
  }

  private batch(windows: Uint32Array[]) {
    const B = windows.length;
    const T = windows[0].length - 1;
    const tokens = new Uint32Array(B * T);
    const targets = new Int32Array(B * T).fill(IGNORE_INDEX);
    windows.forEach((w, b) => {
      tokens.set(w.subarray(0, T), b * T);
      for (let t = 0; t < T; t++) targets[b * T + t] = w[t + 1];
    });
    return { B, T, tokens, targets };
  }

  /** Mean next-token loss over windows (the validation split unless given). */
  async evaluate(windows: Uint32Array[] = this.o.validation): Promise<number> {
    const { batchSize } = this.o.config.train;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < windows.length; i += batchSize) {
      const b = this.batch(windows.slice(i, i + batchSize));
      this.o.rt.run('eval', (s) => this.gpt.forward(s, b));
      const loss = await this.gpt.readLoss();
      sum += loss * b.B;
      n += b.B;
    }
    return n ? sum / n : Number.NaN;
  }

  /** Trains until the step budget, the epochs, early stopping, or `until` steps (for tests and resume). */
  async run({ until = Number.POSITIVE_INFINITY }: { until?: number } = {}): Promise<Record<string, number>> {
    const c = this.o.config;
    const { batchSize, evalEvery, logEvery } = c.train;
    const accum = c.optim.gradAccumSteps;
    const total = this.totalSteps;
    let order = this.order(this.epoch);
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
        const b = this.batch(idx.map((i) => this.o.train[i]));
        this.o.rt.run('train', (s) => {
          if (micro === 0) this.opt.zeroGrad(s);
          this.gpt.forward(s, b);
          this.gpt.backward(s);
          // Accumulated gradients are sums of per-micro-batch means: the step uses lr / accum.
          if (micro === accum - 1) this.opt.update(s, lr / accum, { maxNorm: c.optim.maxGradNorm * accum });
        });
        lossSum += await this.gpt.readLoss();
        this.position++;
      }
      this.step++;
      this.metrics['train/loss'] = lossSum / accum;
      this.metrics['train/lr'] = lr;
      if (this.step % logEvery === 0 || this.step === 1)
        this.emit({ 'train/loss': lossSum / accum, 'train/lr': lr });
      if (this.step % evalEvery === 0) await this.validate();
      if (this.early?.shouldStop || this.o.shouldStop?.()) break;
    }
    if (this.early?.shouldStop && c.train.earlyStopping?.restoreBest && this.bestWeights)
      this.gpt.params.write(this.bestWeights);
    if (this.o.checkpointDir) await this.save(`${this.o.checkpointDir}/last`);
    return this.metrics;
  }

  private async endEpoch(): Promise<void> {
    await this.validate();
    this.epoch++;
    this.position = 0;
  }

  private async validate(): Promise<void> {
    if (!this.o.validation.length) return;
    const loss = await this.evaluate();
    const record = { 'val/loss': loss, 'val/perplexity': Math.exp(loss) };
    Object.assign(this.metrics, record);
    this.emit(record);
    const es = this.o.config.train.earlyStopping;
    const monitored = this.metrics[es?.metric ?? 'val/loss'];
    if (this.plateau) this.plateau.step(monitored);
    const improved = this.early ? this.early.update(monitored, this.step) : true;
    if (improved && es?.restoreBest) this.bestWeights = await this.gpt.params.readAll();
    if (this.o.checkpointDir) {
      await this.save(`${this.o.checkpointDir}/last`);
      if (improved) await this.save(`${this.o.checkpointDir}/best`);
    }
  }

  private emit(values: Record<string, number>): void {
    this.o.onMetrics?.({ step: this.step, epoch: this.epoch, ...values });
  }

  async save(dir: string): Promise<void> {
    const weights = await this.gpt.params.readAll();
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
      hfConfig: gptConfigToHF(this.o.model),
      weights,
      shapes: new Map(this.gpt.layout.specs.map((s) => [s.name, s.shape])),
      optimizer,
    });
  }

  /** Restores weights, optimizer moments and counters from a checkpoint written by `save`. */
  restore(dir: string, weights: Map<string, Float32Array>): void {
    const st = readTrainerState(dir);
    this.gpt.params.write(weights);
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
