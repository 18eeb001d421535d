// Shared by the golden tests: the training the PyTorch fixtures record, replayed on our kernels.
import type { Runtime } from '@anneal/kernels/kernel';
import { Optimizer } from '../optim.ts';
import type { TrainableModel } from '../train.ts';

/**
 * Losses of `steps` AdamW steps on one batch, as the fixture scripts train: β = (0.9, 0.999), ε = 1e-8, decay
 * on the decayed group, gradients clipped to global norm 1 before each update.
 */
export async function adamwLosses<B>(
  rt: Runtime,
  model: TrainableModel<B>,
  batch: B,
  { lr, weightDecay, steps = 10 }: { lr: number; weightDecay: number; steps?: number },
): Promise<number[]> {
  const opt = new Optimizer(rt, model.layout, model.params, model.grads, {
    kind: 'adamw',
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay,
  });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    rt.run('adamw', (s) => {
      opt.zeroGrad(s);
      model.forward(s, batch);
      model.backward(s);
      opt.update(s, lr, { maxNorm: 1 });
    });
    losses.push(await model.readLoss());
  }
  return losses;
}
