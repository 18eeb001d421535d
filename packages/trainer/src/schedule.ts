// Learning-rate schedules. Step-based schedules follow Hugging Face's get_*_schedule_with_warmup lambdas
// (step counted from 0; warm-up rises linearly from 0) and PyTorch's StepLR; ReduceLROnPlateau follows
// torch.optim.lr_scheduler.ReduceLROnPlateau exactly (mode, factor, patience, threshold and its mode,
// cooldown, min_lr, eps). Schedules only produce numbers: the optimizer reads lr from a uniform, so a
// schedule never recompiles a kernel.

export type StepSchedule =
  | { kind: 'constant'; warmupSteps?: number }
  | { kind: 'linear'; warmupSteps: number; totalSteps: number }
  | { kind: 'cosine'; warmupSteps: number; totalSteps: number; minLrRatio?: number }
  | { kind: 'step'; stepSize: number; gamma: number };

/** Multiplier of the base learning rate at optimizer step `step` (0-based). */
export function lrMultiplier(s: StepSchedule, step: number): number {
  const warm = 'warmupSteps' in s ? (s.warmupSteps ?? 0) : 0;
  if (s.kind !== 'step' && step < warm) return step / Math.max(1, warm);
  switch (s.kind) {
    case 'constant':
      return 1;
    case 'linear':
      return Math.max(0, (s.totalSteps - step) / Math.max(1, s.totalSteps - warm));
    case 'cosine': {
      const progress = Math.min(1, (step - warm) / Math.max(1, s.totalSteps - warm));
      const floor = s.minLrRatio ?? 0;
      return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'step':
      return s.gamma ** Math.floor(step / s.stepSize);
  }
}

export interface PlateauOptions {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLr: number;
  eps: number;
}

export const PLATEAU_DEFAULTS: PlateauOptions = {
  mode: 'min',
  factor: 0.1,
  patience: 10,
  threshold: 1e-4,
  thresholdMode: 'rel',
  cooldown: 0,
  minLr: 0,
  eps: 1e-8,
};

export interface PlateauState {
  lr: number;
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
}

/** torch.optim.lr_scheduler.ReduceLROnPlateau, one parameter group. State is plain data (checkpointed). */
export class ReduceLROnPlateau {
  readonly o: PlateauOptions;
  state: PlateauState;

  constructor(lr: number, options: Partial<PlateauOptions> = {}) {
    this.o = { ...PLATEAU_DEFAULTS, ...options };
    if (this.o.factor >= 1) throw new Error('ReduceLROnPlateau: factor must be < 1');
    this.state = {
      lr,
      best: this.o.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY,
      numBadEpochs: 0,
      cooldownCounter: 0,
    };
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode, threshold } = this.o;
    if (mode === 'min' && thresholdMode === 'rel') return a < best * (1 - threshold);
    if (mode === 'min') return a < best - threshold;
    if (thresholdMode === 'rel') return a > best * (1 + threshold);
    return a > best + threshold;
  }

  /** Reports one evaluation of the monitored metric; returns the learning rate to use from now on. */
  step(metric: number): number {
    const st = this.state;
    if (this.isBetter(metric, st.best)) {
      st.best = metric;
      st.numBadEpochs = 0;
    } else {
      st.numBadEpochs++;
    }
    if (st.cooldownCounter > 0) {
      st.cooldownCounter--;
      st.numBadEpochs = 0; // ignore bad epochs in cooldown
    }
    if (st.numBadEpochs > this.o.patience) {
      const next = Math.max(st.lr * this.o.factor, this.o.minLr);
      if (st.lr - next > this.o.eps) st.lr = next;
      st.cooldownCounter = this.o.cooldown;
      st.numBadEpochs = 0;
    }
    return st.lr;
  }
}

export interface EarlyStoppingOptions {
  mode: 'min' | 'max';
  patience: number;
  /** An improvement must exceed this (absolute), as Keras's and HF's min_delta / threshold. */
  minDelta: number;
}

/** Early stopping on a monitored metric: stop after `patience` evaluations without an improvement. */
export class EarlyStopping {
  best: number;
  bestStep = -1;
  bad = 0;

  constructor(readonly o: EarlyStoppingOptions) {
    this.best = o.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Returns whether this evaluation is the new best. */
  update(value: number, step: number): boolean {
    const improved =
      this.o.mode === 'min' ? value < this.best - this.o.minDelta : value > this.best + this.o.minDelta;
    if (improved) {
      this.best = value;
      this.bestStep = step;
      this.bad = 0;
    } else {
      this.bad++;
    }
    return improved;
  }

  get shouldStop(): boolean {
    return this.bad >= this.o.patience;
  }
}
