// safetensors in F32, F16 and BF16: the half-precision encoders against every 16-bit pattern and IEEE's
// rounding rules, and `anneal convert` on a shipped base (half the size, the same model within f16 precision).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  f32ToBf16,
  f32ToF16,
  parseSafetensors,
  readSafetensors,
  serializeSafetensors,
} from './safetensors.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../apps/cli/bin/anneal.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anneal-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every 16-bit pattern written as F16 (or BF16) and read back as f32. */
const decodeAll = (dtype: 'F16' | 'BF16') => {
  const bytes = new Uint8Array(2 * 65536);
  const dv = new DataView(bytes.buffer);
  for (let h = 0; h < 65536; h++) dv.setUint16(2 * h, h, true);
  const header = new TextEncoder().encode(
    JSON.stringify({ t: { dtype, shape: [65536], data_offsets: [0, bytes.length] } }).padEnd(64),
  );
  const buf = new Uint8Array(8 + header.length + bytes.length);
  new DataView(buf.buffer).setBigUint64(0, BigInt(header.length), true);
  buf.set(header, 8);
  buf.set(bytes, 8 + header.length);
  return parseSafetensors(buf).tensors.get('t')!.data;
};

describe('half-precision encoding', () => {
  it('maps every F16 and BF16 value back to its own bits (NaNs to a NaN)', () => {
    for (const [dtype, encode] of [
      ['F16', f32ToF16],
      ['BF16', f32ToBf16],
    ] as const) {
      const values = decodeAll(dtype);
      for (let h = 0; h < 65536; h++) {
        if (Number.isNaN(values[h])) expect(Number.isNaN(values[encode(values[h])])).toBe(true);
        else if (encode(values[h]) !== h)
          expect.fail(`${dtype} 0x${h.toString(16)} came back as 0x${encode(values[h]).toString(16)}`);
      }
    }
  });

  it('rounds to nearest, ties to even, and saturates to infinity past the largest half', () => {
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and its successor: to even (1)
    expect(f32ToF16(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, odd below: up
    expect(f32ToF16(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just above halfway: up
    expect(f32ToF16(1 / 3)).toBe(0x3555);
    expect(f32ToF16(65504)).toBe(0x7bff);
    expect(f32ToF16(65520)).toBe(0x7c00); // rounds past the largest half: infinity
    expect(f32ToF16(-1e6)).toBe(0xfc00);
    expect(f32ToF16(2 ** -24)).toBe(0x0001); // the smallest subnormal
    expect(f32ToF16(2 ** -25)).toBe(0x0000); // half of it: a tie, to even (zero)
    expect(f32ToF16(1.5 * 2 ** -25)).toBe(0x0001);
    expect(f32ToF16(2 ** -14 - 2 ** -25)).toBe(0x0400); // the largest subnormal rounds up into the normals
    expect(f32ToF16(-0)).toBe(0x8000);
    expect(f32ToBf16(1 + 2 ** -8)).toBe(0x3f80); // tie to even
    expect(f32ToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });
});

describe('anneal convert', () => {
  it('stores a shipped base in F16 at half the size, the same weights within F16 precision', async () => {
    const base = join(ROOT, 'bases/gpt-brown');
    const out = join(dir, 'gpt-f16');
    const { stdout } = await promisify(execFile)(process.execPath, [
      BIN,
      'convert',
      base,
      '--dtype',
      'f16',
      '--out',
      out,
    ]);
    expect(stdout).toMatch(/F16, 4\.\d\d MB → 2\.\d\d MB, largest relative change [\d.]+e-4/); // at most 2^-11
    const [a, b] = [join(base, 'model.safetensors'), join(out, 'model.safetensors')];
    expect(statSync(b).size / statSync(a).size).toBeCloseTo(0.5, 2);
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe(
      readFileSync(join(base, 'tokenizer.json'), 'utf8'),
    );
    const [f32, f16] = [readSafetensors(a).tensors, readSafetensors(b).tensors];
    expect([...f16.keys()]).toEqual([...f32.keys()]);
    for (const [name, t] of f32) {
      const h = f16.get(name)!.data;
      for (let i = 0; i < t.data.length; i++) {
        // Normal halves hold 11 significant bits; smaller values keep an absolute error under 2^-25.
        const tol = Math.max(Math.abs(t.data[i]) * 2 ** -11, 2 ** -25);
        if (Math.abs(h[i] - t.data[i]) > tol) expect.fail(`${name}[${i}]: ${t.data[i]} → ${h[i]}`);
      }
    }
    // And back to F32: the halves exactly.
    const wide = serializeSafetensors(f16, {}, 'F32');
    expect(parseSafetensors(wide).tensors.get('wte.weight')!.data).toEqual(f16.get('wte.weight')!.data);
    const bad = await promisify(execFile)(process.execPath, [BIN, 'convert', base, '--dtype', 'f8']).catch(
      (e) => e,
    );
    expect(bad.stderr).toMatch(/--dtype: f32, f16 or bf16, not 'f8'/);
  });
});
