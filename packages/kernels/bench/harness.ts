// Benchmark plumbing shared by the bench scripts: median timing, a printed table, a JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Row {
  kernel: string;
  shape: string;
  impl: string;
  variant?: string;
  medianMs: number;
  /** GFLOP/s or GB/s, with the unit */
  rate?: number;
  unit?: 'GFLOP/s' | 'GB/s';
  note?: string;
}

/** Median of `reps` timings of an async thunk after `warmup` untimed calls. */
export async function median(fn: () => Promise<void>, reps = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const cols = ['kernel', 'shape', 'impl', 'variant', 'median ms', 'rate', 'note'];
  const cells = rows.map((r) => [
    r.kernel,
    r.shape,
    r.impl,
    r.variant ?? '',
    r.medianMs.toFixed(3),
    r.rate !== undefined ? `${r.rate.toFixed(2)} ${r.unit}` : '',
    r.note ?? '',
  ]);
  const w = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ');
  console.log(line(cols));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of cells) console.log(line(r));
}

export function writeJson(name: string, data: unknown): string {
  const dir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
