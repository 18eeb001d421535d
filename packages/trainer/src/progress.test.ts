// The console progress line: its fields, throughput and ETA from the time since training started.
import { describe, expect, it } from 'vitest';
import { progressBar, progressLine } from './progress.ts';

describe('progressLine', () => {
  it('prints step, epoch, every metric, samples per second and the ETA', () => {
    // 16 samples per step, training started at t = 1 s; at t = 5 s step 10 of 100 is done.
    const line = progressLine(16, 1000);
    const m = { step: 10, epoch: 1, 'train/loss': 2.305123, 'train/lr': 3e-4 };
    // 10 steps × 16 samples in 4 s = 40 seq/s; 4 s per 10 steps leaves 90 steps = 36 s.
    expect(line(m, 100, 5000)).toBe(
      'step 10/100  epoch 1  train/loss 2.3051  train/lr 3.00e-4  40.0 seq/s  ETA 36s',
    );
  });

  it('says ETA 0s before the first step instead of dividing by zero', () => {
    const line = progressLine(8, 0);
    expect(line({ step: 0, epoch: 0, 'validation/loss': 5.5 }, 50, 2000)).toBe(
      'step 0/50  epoch 0  validation/loss 5.5000  0.0 seq/s  ETA 0s',
    );
  });
});

describe('progressBar', () => {
  it('fills in proportion, with the count, the rate and the ETA', () => {
    // 512 of 1,024 in 2 s: 256 ex/s, 512 left = 2 s.
    expect(progressBar(512, 1024, 2)).toBe('[##########----------]   512/1,024   50%  256.0 ex/s  ETA 2s');
    expect(progressBar(1024, 1024, 4)).toBe('[####################] 1,024/1,024  100%  256.0 ex/s  ETA 0s');
    expect(progressBar(0, 0, 0)).toBe('[####################] 0/0  100%  0.0 ex/s  ETA 0s');
  });
});
