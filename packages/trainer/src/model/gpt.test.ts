import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { randn } from '@anneal/kernels/testing';
import { describe, expect, it } from 'vitest';
import { Optimizer } from '../optim.ts';
import { GPT } from './gpt.ts';

describe('GPT', () => {
  it('memorises a short sequence: the loss falls by an order of magnitude in 60 AdamW steps', async () => {
    const rt = new Runtime(await openGpu());
    try {
      const config = { vocabSize: 19, nPositions: 16, nLayer: 2, nHead: 2, nEmbd: 16, layerNormEps: 1e-5 };
      const model = new GPT(rt, config);
      const init = new Map<string, Float32Array>();
      for (const s of model.layout.specs) {
        const n = s.shape.reduce((a, b) => a * b, 1);
        init.set(
          s.name,
          s.name.includes('ln_') && s.name.endsWith('weight')
            ? new Float32Array(n).fill(1)
            : randn(n, init.size + 1, 0.1),
        );
      }
      model.params.write(init);
      const opt = new Optimizer(rt, model.layout, model.params, model.grads, {
        kind: 'adamw',
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0,
      });
      const B = 2;
      const T = 12;
      const seq = Array.from({ length: B * (T + 1) }, (_, i) => (i * 7) % 19);
      const tokens = Uint32Array.from(
        { length: B * T },
        (_, i) => seq[Math.floor(i / T) * (T + 1) + (i % T)],
      );
      const targets = Int32Array.from(
        { length: B * T },
        (_, i) => seq[Math.floor(i / T) * (T + 1) + (i % T) + 1],
      );
      const losses: number[] = [];
      for (let it = 0; it < 60; it++) {
        rt.run('train', (s) => {
          opt.zeroGrad(s);
          model.forward(s, { B, T, tokens, targets });
          model.backward(s);
          opt.update(s, 1e-2, { maxNorm: 1 });
        });
        losses.push(await model.readLoss());
      }
      expect(losses[0]).toBeGreaterThan(2.5); // ≈ ln 19 at initialisation
      expect(losses.at(-1)!).toBeLessThan(losses[0] / 10);
      expect(losses.every(Number.isFinite)).toBe(true);
    } finally {
      rt.destroy();
    }
  });
});
