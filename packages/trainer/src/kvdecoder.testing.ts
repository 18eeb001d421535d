// Test helper for the KV-cache decoders (generate.test.ts, generate-llama.test.ts): teacher forcing.

import type { Runtime } from '@anneal/kernels/kernel';
import type { KVDecoder } from './kvdecoder.ts';

/**
 * Prefills row i with the first `rows[i].prefill` tokens of `seqs[rows[i].seq]`, then decodes the rest of each
 * sequence one token a step (rows that finish sit out), and returns, per row, the logits read after each step
 * with the position they predict from — so a test compares them with the full forward at every position.
 */
export async function teacherForcedLogits(
  rt: Runtime,
  dec: KVDecoder,
  seqs: number[][],
  rows: { seq: number; prefill: number }[],
  V: number,
): Promise<{ pos: number; logits: Float32Array }[][]> {
  dec.prefill(rows.map((r) => seqs[r.seq].slice(0, r.prefill)));
  const got = rows.map(() => [] as { pos: number; logits: Float32Array }[]);
  const record = async () => {
    const logits = await dec.readLogits();
    rows.forEach((r, i) => {
      const pos = dec.lengths[i] - 1;
      if (pos < seqs[r.seq].length && got[i].at(-1)?.pos !== pos)
        got[i].push({ pos, logits: logits.slice(i * V, (i + 1) * V) });
    });
  };
  await record();
  for (;;) {
    const active = rows.map((r, i) => dec.lengths[i] < seqs[r.seq].length);
    if (!active.some(Boolean)) break;
    const tokens = rows.map((r, i) => (active[i] ? seqs[r.seq][dec.lengths[i]] : 0));
    rt.run('teacher-forced decode', (s) => dec.decode(s, tokens, active));
    await record();
  }
  return got;
}
