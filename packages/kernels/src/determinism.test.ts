// Determinism across the whole kernel set: one training-step-shaped sequence of every forward and backward
// kernel, run twice on identical inputs, must produce bit-identical outputs everywhere. (Each op's own
// test checks its numbers; this one checks that none of them depends on scheduling.)
import { describe, expect, it } from 'vitest';
import type { Step } from './kernel.ts';
import { attentionBackward, attentionForward } from './ops/attention/attention.ts';
import { biasBackward, biasForward } from './ops/bias/bias.ts';
import { crossentropyBackward, crossentropyForward } from './ops/crossentropy/crossentropy.ts';
import { dropoutBackward, dropoutForward } from './ops/dropout/dropout.ts';
import {
  bucketTokens,
  embeddingBackward,
  embeddingForward,
  uploadBuckets,
} from './ops/embedding/embedding.ts';
import { axpy, fill } from './ops/fill/fill.ts';
import { geluBackward, geluForward } from './ops/gelu/gelu.ts';
import { layernormBackward, layernormForward } from './ops/layernorm/layernorm.ts';
import { matmulBackward, matmulForward } from './ops/matmul/matmul.ts';
import { allocNormScratch, globalNorm } from './ops/norm/norm.ts';
import { adamwStep, sgdStep } from './ops/optim/optim.ts';
import { gatherBackward, gatherForward, meanpoolBackward, meanpoolForward } from './ops/pool/pool.ts';
import { residualBackward, residualForward } from './ops/residual/residual.ts';
import type { Tensor } from './tensor.ts';
import { expectBitEqual, randInt, randn, testRuntime } from './testing.ts';

describe('determinism', () => {
  it('every kernel gives bit-identical outputs on a second run', async () => {
    const rt = await testRuntime();
    const [B, T, C, NH, V] = [2, 19, 24, 3, 37];
    const BT = B * T;
    const tokens = randInt(BT, 1, V);
    const targets = Int32Array.from(randInt(BT, 2, V));
    const up = (n: number, seed: number, label: string, shape = [n]) =>
      rt.upload(randn(n, seed), shape, label);
    const inputs = {
      tokens: rt.upload(tokens, [B, T], 'tokens', 'u32'),
      targets: rt.upload(targets, [BT], 'targets', 'i32'),
      mask: rt.upload(
        Uint32Array.from({ length: BT }, (_, i) => (i % T < T - 2 ? 1 : 0)),
        [B, T],
        'mask',
        'u32',
      ),
      idx: rt.upload(Uint32Array.from([0, T - 1]), [B], 'idx', 'u32'),
      wte: up(V * C, 3, 'wte'),
      wpe: up(T * C, 4, 'wpe'),
      lnw: up(C, 5, 'ln.w'),
      lnb: up(C, 6, 'ln.b'),
      wqkv: up(3 * C * C, 7, 'w.qkv'),
      bqkv: up(3 * C, 8, 'b.qkv'),
      wout: up(V * C, 9, 'w.out'),
    };
    const buckets = uploadBuckets(rt, bucketTokens(tokens));
    const outputs: Record<string, Tensor> = {};
    const o = (name: string, n: number) => {
      outputs[name] ??= rt.empty([n], name);
      return outputs[name];
    };

    const step = (s: Step) => {
      const x = o('x', BT * C);
      embeddingForward(s, x, inputs.tokens, inputs.wte, inputs.wpe, { B, T, C });
      layernormForward(s, o('ln', BT * C), o('mean', BT), o('rstd', BT), x, inputs.lnw, inputs.lnb, {
        N: BT,
        C,
      });
      matmulForward(s, o('qkv', BT * 3 * C), o('ln', BT * C), inputs.wqkv, inputs.bqkv, { BT, C, OC: 3 * C });
      const dims = { B, T, C, NH, causal: true };
      attentionForward(s, o('att', BT * C), o('lse', B * NH * T), o('qkv', BT * 3 * C), inputs.mask, dims);
      geluForward(s, o('gelu', BT * C), o('att', BT * C));
      dropoutForward(s, o('drop', BT * C), o('gelu', BT * C), { p: 0.1, seed: 7 });
      residualForward(s, o('res', BT * C), o('drop', BT * C), x);
      biasForward(s, o('biased', BT * C), o('res', BT * C), inputs.lnb);
      matmulForward(s, o('logits', BT * V), o('biased', BT * C), inputs.wout, null, { BT, C, OC: V });
      crossentropyForward(s, o('losses', BT), o('lseV', BT), o('logits', BT * V), inputs.targets, {
        N: BT,
        V,
      });
      gatherForward(s, o('cls', B * C), o('res', BT * C), inputs.idx, { B, T, C });
      meanpoolForward(s, o('pool', B * C), o('res', BT * C), inputs.mask, { B, T, C });
      // backward
      for (const g of ['dwte', 'dwpe', 'dlnw', 'dlnb', 'dwqkv', 'dbqkv', 'dwout', 'dbias']) {
        const n = { dwte: V * C, dwpe: T * C, dwqkv: 3 * C * C, dbqkv: 3 * C, dwout: V * C }[g] ?? C;
        fill(s, o(g, n), 0);
      }
      crossentropyBackward(s, o('dlogits', BT * V), o('logits', BT * V), o('lseV', BT), inputs.targets, {
        N: BT,
        V,
        scale: 1 / BT,
      });
      matmulBackward(
        s,
        o('dbiased', BT * C),
        o('dwout', V * C),
        null,
        o('dlogits', BT * V),
        o('biased', BT * C),
        inputs.wout,
        {
          BT,
          C,
          OC: V,
        },
      );
      biasBackward(s, o('dbias', C), o('dbiased', BT * C));
      gatherBackward(s, o('dres', BT * C), o('cls', B * C), inputs.idx, { B, T, C });
      meanpoolBackward(
        s,
        o('dres', BT * C),
        o('pool', B * C),
        inputs.mask,
        { B, T, C },
        { accumulate: true },
      );
      axpy(s, o('dres', BT * C), o('dbiased', BT * C));
      fill(s, o('dx', BT * C), 0);
      residualBackward(s, o('ddrop', BT * C), o('dx', BT * C), o('dres', BT * C), { accumulate: false });
      dropoutBackward(s, o('dgelu', BT * C), o('ddrop', BT * C), { p: 0.1, seed: 7 });
      geluBackward(s, o('datt', BT * C), o('att', BT * C), o('dgelu', BT * C));
      attentionBackward(
        s,
        o('dqkv', BT * 3 * C),
        o('D', B * NH * T),
        o('datt', BT * C),
        o('qkv', BT * 3 * C),
        o('att', BT * C),
        o('lse', B * NH * T),
        inputs.mask,
        dims,
      );
      matmulBackward(
        s,
        o('dln', BT * C),
        o('dwqkv', 3 * C * C),
        o('dbqkv', 3 * C),
        o('dqkv', BT * 3 * C),
        o('ln', BT * C),
        inputs.wqkv,
        {
          BT,
          C,
          OC: 3 * C,
        },
      );
      layernormBackward(
        s,
        o('dx', BT * C),
        o('dlnw', C),
        o('dlnb', C),
        o('dln', BT * C),
        x,
        inputs.lnw,
        o('mean', BT),
        o('rstd', BT),
        {
          N: BT,
          C,
        },
      );
      embeddingBackward(s, o('dwte', V * C), o('dwpe', T * C), o('dx', BT * C), buckets, { B, T, C });
      const grads = [o('dwte', V * C), o('dwpe', T * C), o('dwqkv', 3 * C * C)];
      globalNorm(s, norm.out, norm.partial, grads, { maxNorm: 1 });
      adamwStep(s, o('p1', V * C), o('m1', V * C), o('v1', V * C), grads[0], norm.out, {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0.1,
        step: 3,
      });
      sgdStep(s, o('p2', T * C), o('buf2', T * C), grads[1], norm.out, {
        lr: 0.1,
        momentum: 0.9,
        dampening: 0,
        weightDecay: 0,
        nesterov: true,
        step: 2,
      });
    };
    const norm = allocNormScratch(rt, [
      rt.empty([V * C], 'a'),
      rt.empty([T * C], 'b'),
      rt.empty([3 * C * C], 'c'),
    ]);
    const stateful = ['p1', 'm1', 'v1', 'p2', 'buf2'];
    const reset = () => {
      for (const [i, name] of stateful.entries()) {
        const t = o(name, name.endsWith('2') ? T * C : V * C);
        rt.write(t, randn(t.size, 50 + i));
      }
    };

    reset();
    rt.run('first', step);
    const first: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(outputs)) first[name] = (await rt.read(t)) as Float32Array;
    first.norm = (await rt.read(norm.out)) as Float32Array;
    reset();
    rt.run('second', step);
    for (const [name, t] of Object.entries(outputs))
      expectBitEqual(`determinism ${name}`, await rt.read(t), first[name]);
    expectBitEqual('determinism norm', await rt.read(norm.out), first.norm);
    // Sanity: the step produced real numbers, not an all-zero or NaN run.
    expect(first.losses.every(Number.isFinite) && first.losses.some((v) => v > 0)).toBe(true);
    expect(first.dwqkv.some((v) => v !== 0) && first.dwqkv.every(Number.isFinite)).toBe(true);
  });
});
