// A trainer sweep's listed values checked when the sweep is created, not when the controller reaches them: each
// constant and each of a parameter's `values` is set into the first proposal's config and validated like a
// launched run's (the config schema, so a swept `name` with `..` or `/`, and the launch path rules, so a swept
// `data.source.path` or `output.dir`). Distributions propose numbers, which the schema's ranges bound.
import { applyParams, propose } from './sweeps/controller.ts';
import { dimensions, type SweepConfig } from './sweeps/space.ts';

/** Throws the validator's issues (paths of the run config) for the first listed value it refuses. */
export function checkSweptValues(
  cfg: SweepConfig,
  baseConfig: Record<string, unknown>,
  validate: (config: unknown) => Record<string, unknown>,
): void {
  const first = propose(cfg, 0, []);
  for (const d of dimensions(cfg.parameters)) {
    const listed = d.kind === 'constant' ? [d.value] : d.kind === 'categorical' ? d.values : [];
    for (const value of listed) validate(applyParams(baseConfig, { ...first, [d.path]: value }));
  }
}
