// A training loop's logging, as a separate process the fault tests can outlive: STEPS steps of three metrics
// and a console line each, every INTERVAL_MS, then a summary and finish. Prints `step N` as it goes (the tests
// inject their fault at a given step) and, last, `delivered: true|false` — whether the client delivered
// everything before FINISH_TIMEOUT_MS. Values are a function of (key, step) so the test can check each one.
import { Run } from '@anneal/client';

const steps = Number(process.env.STEPS ?? 300);
const interval = Number(process.env.INTERVAL_MS ?? 20);
const finishTimeout = Number(process.env.FINISH_TIMEOUT_MS ?? 120_000);

export const value = (k: number, step: number) => step * 10 + k + 0.25;

const run = Run.init({ project: 'default', name: process.env.RUN_NAME ?? 'faults', config: { steps } });
console.log(`run ${run.id}`);
for (let step = 0; step < steps; step++) {
  run.log({ 'train/a': value(0, step), 'train/b': value(1, step), 'train/c': value(2, step) }, step);
  run.logs([`line for step ${step}`]);
  console.log(`step ${step}`);
  await new Promise((r) => setTimeout(r, interval));
}
run.summary({ steps });
const delivered = await run.finish('finished', undefined, finishTimeout);
console.log(`delivered: ${delivered}`);
process.exit(delivered ? 0 : 1);
