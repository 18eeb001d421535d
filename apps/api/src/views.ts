// A saved view's spec, validated with zod before it is stored: the workspace's chart panels and the runs
// table's state (filter, grouping, columns, sort). A bad spec is a BAD_INPUT naming the field
// (`spec.panels[1].metrics: …`), so a client can point at it; nothing unvalidated reaches the table.
import { z } from 'zod';
import { badInput } from './errors.ts';
import { checkJson, checkName } from './limits.ts';

/** A view's spec as JSON, in bytes; view names in characters; panels per view. */
export const VIEW_LIMITS = { specBytes: 256 << 10, nameLength: 120, panels: 48, metricsPerPanel: 12 };

/** A metric key, or a run attribute / config.* / summary.* path. */
const key = z.string().min(1, 'must not be empty').max(256, 'at most 256 characters');
const base = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1 to 40 letters, digits, _ or -'),
  title: z.string().max(200, 'at most 200 characters').optional(),
};
const yRange = z.number().refine(Number.isFinite, 'must be a finite number').nullable().optional();

/** line: metrics over step, wall time, relative time or another metric ("metric:<key>"). */
const line = z.strictObject({
  ...base,
  kind: z.literal('line'),
  metrics: z
    .array(key)
    .min(1, 'needs at least one metric')
    .max(VIEW_LIMITS.metricsPerPanel, `at most ${VIEW_LIMITS.metricsPerPanel} metrics`),
  x: z
    .string()
    .refine(
      (x) => ['step', 'wallTime', 'relativeTime'].includes(x) || /^metric:.{1,256}$/.test(x),
      'must be step, wallTime, relativeTime or metric:<key>',
    ),
  smoothing: z.number().min(0, 'must be in [0, 0.999]').max(0.999, 'must be in [0, 0.999]').default(0),
  logX: z.boolean().default(false),
  logY: z.boolean().default(false),
  yMin: yRange,
  yMax: yRange,
});
/** scatter: one config.* / summary.* path against another. */
const scatter = z.strictObject({
  ...base,
  kind: z.literal('scatter'),
  x: key,
  y: key,
  logX: z.boolean().default(false),
  logY: z.boolean().default(false),
});
/** parallel coordinates over chosen config.* / summary.* paths, coloured by the last. */
const parcoords = z.strictObject({
  ...base,
  kind: z.literal('parcoords'),
  keys: z.array(key).min(2, 'needs at least two keys').max(30, 'at most 30 keys'),
});
/** bar: one summary value per run (or group). */
const bar = z.strictObject({ ...base, kind: z.literal('bar'), key, logY: z.boolean().default(false) });
/** histogram of one summary value over the visible runs. */
const histogram = z.strictObject({
  ...base,
  kind: z.literal('histogram'),
  key,
  bins: z
    .number()
    .int('must be an integer')
    .min(1, 'must be in 1..200')
    .max(200, 'must be in 1..200')
    .default(20),
});

export const PanelSpec = z.discriminatedUnion('kind', [line, scatter, parcoords, bar, histogram], {
  error: 'kind must be line, scatter, parcoords, bar or histogram',
});
export type PanelSpec = z.infer<typeof PanelSpec>;

export const ViewSpec = z.strictObject({
  panels: z.array(PanelSpec).max(VIEW_LIMITS.panels, `at most ${VIEW_LIMITS.panels} panels`),
  table: z
    .strictObject({
      filter: z.string().max(20_000, 'at most 20000 characters').default(''),
      group: z.string().max(256).nullable().default(null),
      cols: z.array(key).max(200, 'at most 200 columns').nullable().default(null),
      sort: z.string().max(256).default('createdAt'),
      dir: z.enum(['ASC', 'DESC']).default('DESC'),
    })
    .default({ filter: '', group: null, cols: null, sort: 'createdAt', dir: 'DESC' }),
});
export type ViewSpec = z.infer<typeof ViewSpec>;

/** `spec.panels[1].metrics` from a zod issue path. */
function pathOf(path: PropertyKey[]): string {
  let out = 'spec';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

/** The spec, validated and with defaults filled; BAD_INPUT naming the first wrong field otherwise. */
export function parseViewSpec(raw: unknown): ViewSpec {
  // Iteratively, before anything recurses over it: nesting, NUL and lone surrogates (which jsonb refuses), each
  // named by its path, and the size.
  checkJson(raw ?? null, 'spec', VIEW_LIMITS.specBytes);
  const r = ViewSpec.safeParse(raw);
  if (r.success) {
    const ids = new Set<string>();
    for (const [i, p] of r.data.panels.entries()) {
      if (ids.has(p.id)) throw badInput(`spec.panels[${i}].id`, `'${p.id}' is used by another panel`);
      ids.add(p.id);
    }
    return r.data;
  }
  const issue = r.error.issues[0];
  throw badInput(pathOf(issue.path), issue.message);
}

/** A view's name: trimmed, 1..120 characters, no control characters. */
export function checkViewName(name: string): string {
  const n = name.trim();
  // As every other name: no control, invisible or bidi character (a name that reads as another), no lone surrogate.
  checkName(n, 'name', VIEW_LIMITS.nameLength, 1);
  return n;
}
