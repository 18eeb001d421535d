// Sweep configs in the Weights & Biases format, so existing sweep files work: `method` (grid, random, bayes),
// `metric { name, goal }`, `parameters` (value / values [+ probabilities] / min-max with a distribution /
// nested `parameters`), `run_cap`, `early_terminate { type: hyperband, min_iter | max_iter + s, eta }`, plus
// Anneal's `max_parallel` and `seed`, and W&B's `name`, `description`, `entity`, `project`.
//
// Two kinds of sweep: without `program` or `command` it drives Anneal's trainer, and parameter names are paths
// into the run config (`optim.lr`, or nested parameters { optim: { parameters: { lr: … } } }), checked against
// the trainer's schema; a proposal is a flat map path → value that overrides the sweep's base run config. With a
// `program` or a `command` it is a sweep of any program: parameters have any name, and `anneal agent` processes
// claim the proposals and run the command (agents.ts), W&B's macros (`${env}`, `${interpreter}`, `${program}`,
// `${args}`, `${args_no_hyphens}`, `${args_json}`, `${args_json_file}`) filled in by the agent.

import { mulberry32 } from '@anneal/rng';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const num = z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * What one sweep may ask for (docs/api.md, Limits): a grid's proposals are counted before anything is
 * enumerated, and run_cap / max_parallel bound how many runs a sweep makes in all and per controller tick.
 */
export const SWEEP_LIMITS = { gridProposals: 100_000, runCap: 10_000, maxParallel: 100 } as const;

const DISTRIBUTIONS = [
  'constant',
  'categorical',
  'int_uniform',
  'uniform',
  'q_uniform',
  'log_uniform_values',
  'q_log_uniform_values',
  'log_uniform',
  'normal',
  'q_normal',
  'log_normal',
] as const;

type ParamInput = {
  value?: unknown;
  values?: unknown[];
  probabilities?: number[];
  distribution?: (typeof DISTRIBUTIONS)[number];
  min?: number;
  max?: number;
  mu?: number;
  sigma?: number;
  q?: number;
  parameters?: Record<string, ParamInput>;
};

const Param: z.ZodType<ParamInput> = z.lazy(() =>
  z
    .strictObject({
      value: z.unknown().optional(),
      values: z.array(z.unknown()).min(1).optional(),
      probabilities: z.array(z.number().min(0)).optional(),
      distribution: z.enum(DISTRIBUTIONS).optional(),
      min: num.optional(),
      max: num.optional(),
      mu: num.optional(),
      sigma: z.number().positive().optional(),
      q: z.number().positive().optional(),
      parameters: z.record(z.string(), Param).optional(),
    })
    .superRefine((p, ctx) => {
      const kinds = [
        p.value !== undefined,
        p.values !== undefined,
        p.parameters !== undefined,
        p.min !== undefined || p.max !== undefined || p.mu !== undefined,
      ];
      if (
        kinds.filter(Boolean).length !== 1 &&
        !(p.distribution === 'normal' || p.distribution === 'log_normal' || p.distribution === 'q_normal')
      )
        ctx.addIssue({
          code: 'custom',
          message: 'give exactly one of value, values, min/max (with a distribution) or parameters',
        });
      if (p.probabilities) {
        if (!p.values) ctx.addIssue({ code: 'custom', path: ['probabilities'], message: 'needs values' });
        else if (p.probabilities.length !== p.values.length)
          ctx.addIssue({
            code: 'custom',
            path: ['probabilities'],
            message: `has ${p.probabilities.length} entries for ${p.values.length} values`,
          });
        else if (Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) > 1e-6)
          ctx.addIssue({ code: 'custom', path: ['probabilities'], message: 'must sum to 1' });
      }
      if (p.min !== undefined && p.max !== undefined && !(p.min < p.max))
        ctx.addIssue({ code: 'custom', path: ['max'], message: `must be greater than min (${p.min})` });
      const d = p.distribution;
      if ((d === 'log_uniform_values' || d === 'q_log_uniform_values') && p.min !== undefined && p.min <= 0)
        ctx.addIssue({ code: 'custom', path: ['min'], message: `${d} needs min > 0` });
      if (
        (d === 'int_uniform' || d === undefined) &&
        p.min !== undefined &&
        p.max !== undefined &&
        p.min < p.max &&
        Number.isInteger(p.min) !== Number.isInteger(p.max)
      )
        ctx.addIssue({
          code: 'custom',
          path: ['max'],
          message: 'min and max must both be integers (int_uniform) or give distribution: uniform',
        });
      if (
        d &&
        [
          'uniform',
          'int_uniform',
          'q_uniform',
          'log_uniform_values',
          'q_log_uniform_values',
          'log_uniform',
        ].includes(d) &&
        (p.min === undefined || p.max === undefined)
      )
        ctx.addIssue({ code: 'custom', message: `${d} needs min and max` });
      if (d === 'categorical' && !p.values)
        ctx.addIssue({ code: 'custom', message: 'categorical needs values' });
    }),
);

/** W&B's macro for the sweep's program in `command` (a literal: the agent replaces it). */
const PROGRAM_MACRO = '$' + '{program}';

export const SweepConfig = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    method: z.enum(['grid', 'random', 'bayes']),
    metric: z.strictObject({
      name: z.string().min(1),
      goal: z.enum(['minimize', 'maximize']).default('minimize'),
      target: num.optional(),
    }),
    parameters: z
      .record(z.string(), Param)
      .refine((p) => Object.keys(p).length > 0, 'needs at least one parameter'),
    run_cap: z.number().int().positive().max(SWEEP_LIMITS.runCap).optional(),
    early_terminate: z
      .strictObject({
        type: z.literal('hyperband'),
        min_iter: z.number().int().positive().optional(),
        max_iter: z.number().int().positive().optional(),
        s: z.number().int().positive().optional(),
        eta: z.number().int().min(2).default(3),
        strict: z.boolean().optional(),
      })
      .refine(
        (e) => e.min_iter !== undefined || (e.max_iter !== undefined && e.s !== undefined),
        'needs min_iter, or max_iter and s',
      )
      .optional(),
    max_parallel: z.number().int().positive().max(SWEEP_LIMITS.maxParallel).default(1),
    seed: z.number().int().nonnegative().default(0),
    // A sweep of any program: what `anneal agent` runs for each proposal (W&B's keys and macros).
    program: z.string().min(1).max(4096).optional(),
    command: z
      .array(z.union([z.string().max(4096), z.number()]).transform(String))
      .min(1)
      .max(256)
      .optional(),
    entity: z.string().optional(),
    project: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.command?.includes(PROGRAM_MACRO) && !c.program)
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: `uses ${PROGRAM_MACRO} but the sweep has no program`,
      });
  });
export type SweepConfig = z.infer<typeof SweepConfig>;

/** Whether agents run this sweep's proposals (a program or a command), rather than Anneal's trainer. */
export const isProgramSweep = (cfg: Pick<SweepConfig, 'program' | 'command'>): boolean =>
  cfg.program !== undefined || cfg.command !== undefined;

export class SweepConfigError extends Error {
  constructor(readonly issues: { path: string; message: string; keys?: string[] }[]) {
    super(issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '));
  }
}

/** Parses a sweep config given as an object, JSON or YAML text; errors name the path and the reason. */
export function parseSweepConfig(input: unknown): SweepConfig {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = parseYaml(input); // YAML is a superset of JSON
    } catch (e) {
      throw new SweepConfigError([
        { path: '', message: `not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}` },
      ]);
    }
  }
  const r = SweepConfig.safeParse(raw);
  if (!r.success)
    throw new SweepConfigError(
      r.error.issues.map((i) => ({
        path: i.path.join('.'),
        message:
          i.code === 'unrecognized_keys'
            ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`
            : i.message,
        ...(i.code === 'unrecognized_keys' ? { keys: i.keys } : {}),
      })),
    );
  const grid = gridIssues(r.data);
  if (grid.length) throw new SweepConfigError(grid);
  return r.data;
}

/**
 * A grid's size, from the parameters' value counts alone: an oversize grid (or one over a continuous range)
 * is refused before anything — a proposal, a run — is made from it. Checked once the config is otherwise
 * valid, so a bad range reports its own mistake first.
 */
function gridIssues(c: SweepConfig): { path: string; message: string }[] {
  if (c.method !== 'grid') return [];
  let size: number;
  try {
    size = gridSize(dimensions(c.parameters));
  } catch (e) {
    if (e instanceof SweepConfigError) return e.issues;
    throw e;
  }
  return Number.isFinite(size)
    ? []
    : [
        {
          path: 'parameters',
          message: `a grid of more than ${SWEEP_LIMITS.gridProposals.toLocaleString('en')} proposals (the product of the parameters' value counts); use fewer values, or random or bayes with a run_cap`,
        },
      ];
}

/** One dimension of the search space, after nesting is flattened and distributions are inferred. */
export type Dim =
  | { path: string; kind: 'constant'; value: unknown }
  | { path: string; kind: 'categorical'; values: unknown[]; probabilities?: number[] }
  | { path: string; kind: 'int'; min: number; max: number }
  | { path: string; kind: 'float'; min: number; max: number; log: boolean; q?: number }
  | { path: string; kind: 'normal'; mu: number; sigma: number; log: boolean; q?: number };

/** The search space: one Dim per leaf parameter, paths joined with '.'. */
export function dimensions(params: Record<string, ParamInput>, prefix = ''): Dim[] {
  const out: Dim[] = [];
  for (const [name, p] of Object.entries(params)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (p.parameters) {
      out.push(...dimensions(p.parameters, path));
      continue;
    }
    if (p.value !== undefined || p.distribution === 'constant') {
      out.push({ path, kind: 'constant', value: p.value });
      continue;
    }
    if (p.values) {
      out.push({
        path,
        kind: 'categorical',
        values: p.values,
        ...(p.probabilities ? { probabilities: p.probabilities } : {}),
      });
      continue;
    }
    const d =
      p.distribution ??
      (Number.isInteger(p.min) && Number.isInteger(p.max)
        ? 'int_uniform'
        : p.mu !== undefined
          ? 'normal'
          : 'uniform');
    const min = p.min as number;
    const max = p.max as number;
    switch (d) {
      case 'int_uniform':
        out.push({ path, kind: 'int', min, max });
        break;
      case 'uniform':
        out.push({ path, kind: 'float', min, max, log: false });
        break;
      case 'q_uniform':
        out.push({ path, kind: 'float', min, max, log: false, q: p.q ?? 1 });
        break;
      case 'log_uniform_values':
        out.push({ path, kind: 'float', min, max, log: true });
        break;
      case 'q_log_uniform_values':
        out.push({ path, kind: 'float', min, max, log: true, q: p.q ?? 1 });
        break;
      case 'log_uniform': // W&B: min and max are natural logs of the bounds
        out.push({ path, kind: 'float', min: Math.exp(min), max: Math.exp(max), log: true });
        break;
      case 'normal':
      case 'q_normal':
      case 'log_normal':
        out.push({
          path,
          kind: 'normal',
          mu: p.mu ?? 0,
          sigma: p.sigma ?? 1,
          log: d === 'log_normal',
          ...(d === 'q_normal' ? { q: p.q ?? 1 } : {}),
        });
        break;
      default:
        throw new SweepConfigError([
          { path: `parameters.${path}.distribution`, message: `${d} cannot be sampled` },
        ]);
    }
  }
  return out;
}

export type Proposal = Record<string, unknown>;

/** How many values a dimension takes in a grid, without listing them; a dimension a grid cannot enumerate throws. */
export function gridCount(d: Dim): number {
  if (d.kind === 'constant') return 1;
  if (d.kind === 'categorical') return d.values.length;
  if (d.kind === 'int') return Math.floor(d.max - d.min) + 1;
  if (d.kind === 'float' && d.q && !d.log) {
    const n = Math.floor(d.max / d.q) - Math.ceil(d.min / d.q) + 1;
    if (n >= 1) return n;
    throw new SweepConfigError([
      { path: `parameters.${d.path}.q`, message: `no multiple of q (${d.q}) lies between min and max` },
    ]);
  }
  throw new SweepConfigError([
    {
      path: `parameters.${d.path}`,
      message: 'grid search needs value or values (or integer min/max, or q_uniform)',
    },
  ]);
}

/**
 * The number of proposals of a grid: the product of the dimensions' counts, computed without enumerating
 * anything and capped — a product past `limit` is returned as Infinity, so no count ever overflows.
 */
export function gridSize(dims: Dim[], limit: number = SWEEP_LIMITS.gridProposals): number {
  let size = 1;
  for (const d of dims) {
    size *= gridCount(d);
    if (size > limit) return Number.POSITIVE_INFINITY;
  }
  return size;
}

/** The i-th value of a dimension in a grid (0 ≤ i < gridCount(d)). */
function gridValue(d: Dim, i: number): unknown {
  if (d.kind === 'constant') return d.value;
  if (d.kind === 'categorical') return d.values[i];
  if (d.kind === 'int') return d.min + i;
  // Multiples of q, as random search quantizes; 12 significant digits drop 0.30000000000000004's noise.
  if (d.kind === 'float' && d.q) return Number(((Math.ceil(d.min / d.q) + i) * d.q).toPrecision(12));
  return gridCount(d); // throws: not enumerable
}

/**
 * The n-th combination of a grid (the last parameter varies fastest), computed from n as a mixed-radix
 * number: nothing else is built, so a proposal costs the same whatever the grid's size. Undefined past the end.
 */
export function gridProposal(dims: Dim[], n: number): Proposal | undefined {
  const counts = dims.map(gridCount);
  if (n < 0 || n >= gridSize(dims, Number.MAX_SAFE_INTEGER)) return undefined;
  const out: Proposal = {};
  let rest = n;
  for (let k = dims.length - 1; k >= 0; k--) {
    out[dims[k].path] = gridValue(dims[k], rest % counts[k]);
    rest = Math.floor(rest / counts[k]);
  }
  // Keys in the order of the dimensions, as the sweep file lists them.
  return Object.fromEntries(dims.map((d) => [d.path, out[d.path]]));
}

/** Every combination, in order; for grids known to be small (tests, a sweep under the size limit). */
export function gridProposals(dims: Dim[]): Proposal[] {
  const size = gridSize(dims);
  if (!Number.isFinite(size))
    throw new SweepConfigError([
      { path: 'parameters', message: `a grid of more than ${SWEEP_LIMITS.gridProposals} proposals` },
    ]);
  return Array.from({ length: size }, (_, n) => gridProposal(dims, n)!);
}

/** The sweep's `seed` makes every proposal reproducible (mulberry32, as the trainer's shuffles). */
export const rng = mulberry32;

/** A standard normal draw (Box–Muller). */
export function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** The index a uniform draw u falls into when [0, 1) is cut in pieces of the given weights (summing to 1). */
export function pick(weights: number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length - 1; i++) {
    acc += weights[i];
    if (u < acc) return i;
  }
  return weights.length - 1;
}

const quantize = (x: number, q?: number) => (q ? Math.round(x / q) * q : x);

/** One value of a dimension drawn from its prior. */
export function sampleDim(d: Dim, rand: () => number): unknown {
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'categorical': {
      if (!d.probabilities) return d.values[Math.floor(rand() * d.values.length)];
      return d.values[pick(d.probabilities, rand())];
    }
    case 'int':
      return d.min + Math.floor(rand() * (d.max - d.min + 1));
    case 'float': {
      const x = d.log
        ? Math.exp(Math.log(d.min) + rand() * (Math.log(d.max) - Math.log(d.min)))
        : d.min + rand() * (d.max - d.min);
      return Math.min(d.max, Math.max(d.min, quantize(x, d.q)));
    }
    case 'normal': {
      const x = d.mu + d.sigma * gauss(rand);
      return quantize(d.log ? Math.exp(x) : x, d.q);
    }
  }
}

/** The n-th random proposal of a sweep: a pure function of (seed, n), so a restarted controller repeats none. */
export function randomProposal(dims: Dim[], seed: number, n: number): Proposal {
  const rand = rng((seed * 1_000_003 + n * 7919 + 1) >>> 0);
  return Object.fromEntries(dims.map((d) => [d.path, sampleDim(d, rand)]));
}
