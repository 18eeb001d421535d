// The console line a training run prints for each metrics record:
//   step 120/600  epoch 1  train/loss 2.3051  train/lr 3.00e-04  41.2 seq/s  ETA 93s
// with throughput (steps so far × samples per step) and ETA averaged over the time since this process began
// training. Deliberately plain text: the same lines go to the tracker as the run's console.

import type { MetricsRecord } from './train.ts';

/** Formats records as progress lines; `t0` (performance.now()) is when training started. */
export function progressLine(samplesPerStep: number, t0: number) {
  return (m: MetricsRecord, totalSteps: number, now: number): string => {
    const secs = (now - t0) / 1000;
    const exPerS = (m.step * samplesPerStep) / Math.max(secs, 1e-9);
    const eta = m.step ? (secs / m.step) * (totalSteps - m.step) : 0;
    const fields = Object.entries(m)
      .filter(([k]) => k.includes('/'))
      .map(([k, v]) => `${k} ${k.endsWith('lr') ? v.toExponential(2) : v.toFixed(4)}`);
    return `step ${m.step}/${totalSteps}  epoch ${m.epoch}  ${fields.join('  ')}  ${exPerS.toFixed(1)} seq/s  ETA ${eta.toFixed(0)}s`;
  };
}

/**
 * A progress bar for work over `total` items (anneal predict):
 *   [##########----------]  512/1,024  50%  812.4 ex/s  ETA 1s
 * `secs`: seconds since the work began.
 */
export function progressBar(done: number, total: number, secs: number, width = 20): string {
  const frac = total ? Math.min(1, done / total) : 1;
  const filled = Math.round(frac * width);
  const rate = done / Math.max(secs, 1e-9);
  const eta = rate > 0 ? (total - done) / rate : 0;
  const n = (x: number) => x.toLocaleString('en');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${n(done).padStart(n(total).length)}/${n(total)}  ${(frac * 100).toFixed(0).padStart(3)}%  ${rate.toFixed(1)} ex/s  ETA ${eta.toFixed(0)}s`;
}
