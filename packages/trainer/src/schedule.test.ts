import { describe, expect, it } from 'vitest';
import { EarlyStopping, lrMultiplier, ReduceLROnPlateau } from './schedule.ts';

describe('learning-rate schedules', () => {
  it('linear warm-up then linear decay, as transformers.get_linear_schedule_with_warmup', () => {
    const s = { kind: 'linear', warmupSteps: 4, totalSteps: 12 } as const;
    expect([0, 1, 2, 4, 8, 12, 20].map((k) => lrMultiplier(s, k))).toEqual([0, 0.25, 0.5, 1, 0.5, 0, 0]);
  });

  it('cosine decay with a floor, as get_cosine_schedule_with_warmup (plus min lr)', () => {
    const s = { kind: 'cosine', warmupSteps: 2, totalSteps: 10 } as const;
    expect(lrMultiplier(s, 1)).toBe(0.5);
    expect(lrMultiplier(s, 2)).toBe(1);
    expect(lrMultiplier(s, 6)).toBeCloseTo(0.5, 12);
    expect(lrMultiplier(s, 10)).toBeCloseTo(0, 12);
    expect(lrMultiplier({ ...s, minLrRatio: 0.1 }, 10)).toBeCloseTo(0.1, 12);
  });

  it('step decay, as torch StepLR', () => {
    const s = { kind: 'step', stepSize: 3, gamma: 0.5 } as const;
    expect([0, 2, 3, 5, 6, 9].map((k) => lrMultiplier(s, k))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
  });

  it('ReduceLROnPlateau reproduces PyTorch on a recorded sequence', () => {
    // torch.optim.lr_scheduler.ReduceLROnPlateau(opt(lr=1), mode='min', factor=0.5, patience=2,
    // threshold=0.1, threshold_mode='rel', cooldown=1, min_lr=0.2) stepped on these losses gave these lrs
    // (recorded with Debian's python3-torch 1.13):
    const losses = [10, 9.5, 9.4, 9.3, 9.2, 9.1, 9.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0];
    const lrs = [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2];
    const p = new ReduceLROnPlateau(1, { factor: 0.5, patience: 2, threshold: 0.1, cooldown: 1, minLr: 0.2 });
    expect(losses.map((l) => p.step(l))).toEqual(lrs);
  });

  it('ReduceLROnPlateau in max mode with an absolute threshold', () => {
    const p = new ReduceLROnPlateau(0.1, {
      mode: 'max',
      thresholdMode: 'abs',
      threshold: 0.01,
      patience: 0,
      factor: 0.1,
    });
    expect([0.5, 0.505, 0.6, 0.6].map((a) => p.step(a))).toEqual(
      [0.1, 0.01, 0.01, 0.001].map((x) => expect.closeTo(x, 12)),
    );
  });

  it('early stopping waits `patience` evaluations past the best, with min_delta', () => {
    const e = new EarlyStopping({ mode: 'max', patience: 2, minDelta: 0.01 });
    const seen = [0.5, 0.6, 0.605, 0.61, 0.62].map((v, i) => [e.update(v, i), e.shouldStop]);
    expect(seen).toEqual([
      [true, false],
      [true, false],
      [false, false],
      [false, true],
      [true, false],
    ]);
    expect(e.bestStep).toBe(4);
  });
});
