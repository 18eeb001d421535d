import { describe, it } from 'vitest';
import {
  expectBitEqual,
  expectClose,
  expectGrad,
  f64,
  poisoned,
  randInt,
  randn,
  testRuntime,
} from '../../testing.ts';
import { crossentropyBackwardRef, crossentropyRef } from './crossentropy.reference.ts';
import { crossentropyBackward, crossentropyForward, IGNORE_INDEX } from './crossentropy.ts';

// logsumexp in f32 over V terms: max-shifted, so relative error ~1e-6·log(V); losses are O(1–10).
const LOSS = { atol: 1e-5, rtol: 1e-5 };
// Gradients are probabilities (≤ 1) times scale: f32 exp is accurate to a few ulp.
const GRAD = { atol: 1e-6, rtol: 1e-5 };

describe('crossentropy', () => {
  it('reference backward matches finite differences', () => {
    const [N, V] = [3, 6];
    const logits = f64(randn(N * V, 1, 3));
    const targets = Int32Array.from([2, IGNORE_INDEX, 5]);
    const scale = 0.5;
    const loss = (x: Float64Array) =>
      crossentropyRef(x, targets, N, V).losses.reduce((a, b) => a + b, 0) * scale;
    expectGrad('crossentropy ref', crossentropyBackwardRef(logits, targets, N, V, scale), loss, logits, {
      atol: 1e-7,
      rtol: 1e-6,
    });
  });

  // [N, V, logit scale]: one row, one class, odd V, V larger than the workgroup, a GPT-2-sized vocabulary
  // row, and large logits (×50) that overflow exp without the max shift.
  it.each([
    [1, 1, 1],
    [3, 7, 2],
    [9, 129, 2],
    [4, 50257, 3],
    [16, 300, 50],
  ])('forward and backward on the GPU, N=%i V=%i scale=%i', async (N, V, scale) => {
    const rt = await testRuntime();
    const logits = randn(N * V, V, scale);
    const targets = Int32Array.from(randInt(N, N + V, V));
    if (N > 2) targets[1] = IGNORE_INDEX;
    const counted = targets.filter((t) => t !== IGNORE_INDEX).length;
    const tl = rt.upload(logits, [N, V], 'logits');
    const tt = rt.upload(targets, [N], 'targets', 'i32');
    const losses = poisoned(rt, [N], 'losses');
    const lse = poisoned(rt, [N], 'lse');
    const dlogits = poisoned(rt, [N, V], 'dlogits');
    rt.run('ce', (s) => {
      crossentropyForward(s, losses, lse, tl, tt, { N, V });
      crossentropyBackward(s, dlogits, tl, lse, tt, { N, V, scale: 1 / counted });
    });
    const ref = crossentropyRef(f64(logits), targets, N, V);
    const what = `crossentropy N=${N} V=${V}`;
    expectClose(`${what} forward`, await rt.read(losses), ref.losses, LOSS);
    const d = await rt.read(dlogits);
    expectClose(
      `${what} backward`,
      d,
      crossentropyBackwardRef(f64(logits), targets, N, V, 1 / counted),
      GRAD,
    );
    rt.run('ce again', (s) => crossentropyBackward(s, dlogits, tl, lse, tt, { N, V, scale: 1 / counted }));
    expectBitEqual(`${what} determinism`, await rt.read(dlogits), d);
  });
});
