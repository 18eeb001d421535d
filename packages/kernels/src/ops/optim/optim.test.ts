import { describe, expect, it } from 'vitest';
import { expectBitEqual, expectClose, f64, randn, testRuntime } from '../../testing.ts';
import { axpy, fill } from '../fill/fill.ts';
import { allocNormScratch, globalNorm } from '../norm/norm.ts';
import { adamwRef, normRef, sgdRef } from './optim.reference.ts';
import { adamwStep, sgdStep } from './optim.ts';

// Each f32 step rounds a handful of operations (~1e-7 relative each) and the errors compound over the
// trajectory; 10 steps stay within 2e-5 relative of float64. Absolute 1e-6 for parameters crossing zero.
const TRAJ = { atol: 1e-6, rtol: 2e-5 };

describe('optimizers', () => {
  // lr = 0.5 makes a missing or wrong bias correction obvious: step 1 moves each weight by ≈ lr·sign(g)
  // with correction, ≈ 3.2·lr without. Weight decay and clipping are on in the second case.
  it.each([
    { lr: 0.5, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxNorm: 0 },
    { lr: 1e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, maxNorm: 1 },
  ])('AdamW trajectory of 10 steps matches float64 (%o)', async (hp) => {
    const rt = await testRuntime();
    const N = 1037;
    const p0 = randn(N, 1);
    const param = rt.upload(p0, [N], 'param');
    const m = rt.upload(new Float32Array(N), [N], 'm');
    const v = rt.upload(new Float32Array(N), [N], 'v');
    const grad = rt.empty([N], 'grad');
    const { partial, out } = allocNormScratch(rt, [grad]);
    const ref = { p: f64(p0), m: new Float64Array(N), v: new Float64Array(N) };
    for (let step = 1; step <= 10; step++) {
      const g = randn(N, 100 + step, 0.5);
      rt.write(grad, g);
      const h = { ...hp, step };
      rt.run('adamw', (s) => {
        globalNorm(s, out, partial, [grad], { maxNorm: hp.maxNorm });
        adamwStep(s, param, m, v, grad, out, h);
      });
      const norm = normRef([g]);
      const clip = hp.maxNorm > 0 ? Math.min(1, hp.maxNorm / (norm + 1e-6)) : 1;
      adamwRef(ref.p, ref.m, ref.v, g, clip, h);
    }
    expectClose('adamw trajectory param', await rt.read(param), ref.p, TRAJ);
    expectClose('adamw trajectory m', await rt.read(m), ref.m, TRAJ);
    expectClose('adamw trajectory v', await rt.read(v), ref.v, TRAJ);
  });

  it.each([
    { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false },
    { lr: 0.05, momentum: 0.8, dampening: 0, weightDecay: 0.01, nesterov: true },
    { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
  ])('SGD trajectory of 10 steps matches float64 (%o)', async (hp) => {
    const rt = await testRuntime();
    const N = 515;
    const p0 = randn(N, 2);
    const param = rt.upload(p0, [N], 'param');
    const buf = rt.upload(new Float32Array(N), [N], 'buf');
    const grad = rt.empty([N], 'grad');
    const noClip = rt.upload([0, 1], [2], 'noclip');
    const ref = { p: f64(p0), b: new Float64Array(N) };
    for (let step = 1; step <= 10; step++) {
      const g = randn(N, 200 + step);
      rt.write(grad, g);
      rt.run('sgd', (s) => sgdStep(s, param, buf, grad, noClip, { ...hp, step }));
      sgdRef(ref.p, ref.b, g, 1, { ...hp, step });
    }
    expectClose('sgd trajectory', await rt.read(param), ref.p, TRAJ);
  });

  it('global norm over several tensors is exact to f32 and bit-identical across runs', async () => {
    const rt = await testRuntime();
    // Sizes: 1 element, odd, exactly one chunk, several chunks plus a remainder.
    const data = [randn(1, 1), randn(333, 2), randn(4096, 3), randn(3 * 4096 + 17, 4, 10)];
    const ts = data.map((d, i) => rt.upload(d, [d.length], `g${i}`));
    const { partial, out } = allocNormScratch(rt, ts);
    rt.run('norm', (s) => globalNorm(s, out, partial, ts, { maxNorm: 5 }));
    const first = await rt.read(out);
    const norm = normRef(data);
    // Sums of ~16k squares in f32 with tree reductions: ~1e-6 relative.
    expectClose('norm', [first[0]], [norm], { atol: 0, rtol: 5e-6 });
    expectClose('clip coefficient', [first[1]], [5 / (norm + 1e-6)], { atol: 0, rtol: 5e-6 });
    rt.run('norm again', (s) => globalNorm(s, out, partial, ts, { maxNorm: 5 }));
    expectBitEqual('norm determinism', await rt.read(out), first);
    rt.run('no clip', (s) => globalNorm(s, out, partial, ts, { maxNorm: 1e9 }));
    expect((await rt.read(out))[1]).toBe(1);
  });

  it('fill zeroes and axpy accumulates', async () => {
    const rt = await testRuntime();
    const N = 300;
    const x = randn(N, 5);
    const y = randn(N, 6);
    const tx = rt.upload(x, [N], 'x');
    const ty = rt.upload(y, [N], 'y');
    const tz = rt.upload(y, [N], 'z');
    rt.run('fill axpy', (s) => {
      axpy(s, ty, tx, 0.5);
      fill(s, tz, 0);
    });
    expectClose(
      'axpy',
      await rt.read(ty),
      f64(y).map((v, i) => v + 0.5 * x[i]),
      { atol: 0, rtol: 1.2e-7 },
    );
    expect(Array.from(await rt.read(tz)).every((v) => v === 0)).toBe(true);
  });
});
