// Early termination: Hyperband's rungs run asynchronously (ASHA), with W&B's `early_terminate` settings.
// Rungs sit at min_iter·eta^k steps (or, with max_iter and s, at max_iter/eta^s … max_iter/eta). When a run
// reaches a rung, its metric there — the first value it reported at a step ≥ the rung — is ranked against the
// values every run reached that rung with; it continues only if it is among the best max(1, ⌊n/eta⌋) of those
// n (Optuna's successive-halving rule), else it is pruned.

export interface EarlyTerminate {
  min_iter?: number;
  max_iter?: number;
  s?: number;
  eta: number;
}

/** The rung steps, ascending. */
export function rungs(e: EarlyTerminate): number[] {
  if (e.min_iter !== undefined) {
    const out: number[] = [];
    for (let r = e.min_iter; out.length < 30 && (e.max_iter === undefined || r < e.max_iter); r *= e.eta)
      out.push(r);
    return out;
  }
  const out: number[] = [];
  for (let k = e.s!; k >= 1; k--) out.push(Math.max(1, Math.round(e.max_iter! / e.eta ** k)));
  return [...new Set(out)];
}

/** A run's metric series: (step, value) in step order. */
export type Curve = [step: number, value: number][];

/** The value a curve brings to a rung, or undefined if it has not reached it. */
export function atRung(curve: Curve, rung: number): number | undefined {
  return curve.find(([step]) => step >= rung)?.[1];
}

/** A pruning decision: where the run fell out and against what, so the decision can be shown and checked. */
export type Verdict =
  | { prune: false }
  | {
      prune: true;
      /** The rung (step) at which the run fell out. */
      rung: number;
      /** The run's value there (the first it reported at a step ≥ the rung). */
      value: number;
      /** The worst value that still continues: the keep-th best of the `of` runs at the rung. */
      cutoff: number;
      keep: number;
      of: number;
    };

/**
 * Whether `run` should stop now: at some rung it has reached, its value is outside the best max(1, ⌊n/eta⌋)
 * of the n runs that reached that rung. `goal` orients the metric; NaN counts as worst.
 */
export function shouldPrune(
  curves: Map<string, Curve>,
  run: string,
  e: EarlyTerminate,
  goal: 'minimize' | 'maximize',
): Verdict {
  const mine = curves.get(run);
  if (!mine) return { prune: false };
  const sign = goal === 'minimize' ? 1 : -1;
  const score = (v: number) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : sign * v);
  for (const r of rungs(e)) {
    const v = atRung(mine, r);
    if (v === undefined) break;
    const competing = [...curves.values()]
      .map((c) => atRung(c, r))
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => score(a) - score(b));
    const keep = Math.max(1, Math.floor(competing.length / e.eta));
    const cutoff = competing[keep - 1];
    if (score(v) > score(cutoff))
      return { prune: true, rung: r, value: v, cutoff, keep, of: competing.length };
  }
  return { prune: false };
}

/** A pruning decision in words, as the run records it (`Run.stopDetail`). */
export function describePruning(
  metric: string,
  goal: 'minimize' | 'maximize',
  eta: number,
  v: Extract<Verdict, { prune: true }>,
): string {
  const n = (x: number) => (Number.isNaN(x) ? 'NaN' : String(Number(x.toPrecision(6))));
  return (
    `pruned at rung ${v.rung} (step ≥ ${v.rung}): ${metric} ${n(v.value)}, outside the best ${v.keep} of the ` +
    `${v.of} runs there (${goal}, eta ${eta}; the last of those kept is ${n(v.cutoff)})`
  );
}
