import { describe, it } from 'vitest';
import { dot, expectClose, expectGrad, f64, poisoned, randn, testRuntime } from '../../testing.ts';
import { matmulRef } from '../matmul/matmul.reference.ts';
import { matmulBackward } from '../matmul/matmul.ts';
import { biasBackwardRef, biasForwardRef } from './bias.reference.ts';
import { biasBackward, biasForward } from './bias.ts';

// Forward: one correctly rounded add. Backward: column sums of ≤ 300 terms of O(1): ~1e-6 relative.
const ADD = { atol: 0, rtol: 1.2e-7 };
const SUM = { atol: 1e-5, rtol: 1e-5 };

describe('bias and linear backward', () => {
  it.each([
    [1, 1],
    [7, 3],
    [300, 65],
  ])('bias forward and backward, rows=%i N=%i', async (rows, N) => {
    const rt = await testRuntime();
    const x = randn(rows * N, 1);
    const b = randn(N, 2);
    const out = poisoned(rt, [rows, N], 'out');
    const db = poisoned(rt, [N], 'dbias');
    const tx = rt.upload(x, [rows, N], 'x');
    rt.run('bias', (s) => {
      biasForward(s, out, tx, rt.upload(b, [N], 'bias'));
      biasBackward(s, db, tx, { accumulate: false });
    });
    expectClose(`bias.forward rows=${rows} N=${N}`, await rt.read(out), biasForwardRef(f64(x), f64(b)), ADD);
    expectClose(`bias.backward rows=${rows} N=${N}`, await rt.read(db), biasBackwardRef(f64(x), N), SUM);
  });

  it('the Linear backward formulas match finite differences', () => {
    const [BT, C, OC] = [3, 4, 5];
    const inp = f64(randn(BT * C, 1));
    const w = f64(randn(OC * C, 2));
    const b = f64(randn(OC, 3));
    const dout = f64(randn(BT * OC, 4));
    const dims = { M: BT, N: OC, K: C };
    const loss = (x: Float64Array, ww: Float64Array, bb: Float64Array) =>
      dot(matmulRef(x, ww, bb, dims, { transB: true }), dout);
    const FD = { atol: 1e-8, rtol: 1e-7 };
    expectGrad(
      'linear ref dinp',
      matmulRef(dout, w, null, { M: BT, N: C, K: OC }),
      (x) => loss(x, w, b),
      inp,
      FD,
    );
    const dw = matmulRef(dout, inp, null, { M: OC, N: C, K: BT }, { transA: true });
    expectGrad('linear ref dweight', dw, (ww) => loss(inp, ww, b), w, FD);
    expectGrad('linear ref dbias', biasBackwardRef(dout, OC), (bb) => loss(inp, w, bb), b, FD);
  });

  it('matmulBackward gives dinp, dweight, dbias of a Linear layer', async () => {
    const rt = await testRuntime();
    const [BT, C, OC] = [13, 9, 11];
    const inp = randn(BT * C, 1);
    const w = randn(OC * C, 2);
    const dout = randn(BT * OC, 3);
    const t = {
      inp: rt.upload(inp, [BT, C], 'inp'),
      w: rt.upload(w, [OC, C], 'weight'),
      dout: rt.upload(dout, [BT, OC], 'dout'),
      dinp: poisoned(rt, [BT, C], 'dinp'),
      dw: rt.upload(new Float32Array(OC * C), [OC, C], 'dweight'),
      db: rt.upload(new Float32Array(OC), [OC], 'dbias'),
    };
    rt.run('linear backward', (s) =>
      matmulBackward(s, t.dinp, t.dw, t.db, t.dout, t.inp, t.w, { BT, C, OC }),
    );
    const tol = { atol: 1e-5, rtol: 2e-5 };
    expectClose(
      'linear dinp',
      await rt.read(t.dinp),
      matmulRef(f64(dout), f64(w), null, { M: BT, N: C, K: OC }),
      tol,
    );
    const dwRef = matmulRef(f64(dout), f64(inp), null, { M: OC, N: C, K: BT }, { transA: true });
    expectClose('linear dweight', await rt.read(t.dw), dwRef, tol);
    expectClose('linear dbias', await rt.read(t.db), biasBackwardRef(f64(dout), OC), tol);
  });
});
