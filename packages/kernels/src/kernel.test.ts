// The runtime's checks that need no GPU: every op's uniform spec agrees with its WGSL `struct Params`, and a
// spec that disagrees is refused when it is defined, naming the kernel and the field.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defineKernel, opKernel, paramsStruct } from './kernel.ts';

const OPS = new URL('./ops/', import.meta.url);

describe('defineKernel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-kernel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const wgsl = (name: string, struct: string) => {
    const file = join(dir, name);
    writeFileSync(
      file,
      `// a comment naming struct Params { X: f32 } is not the declaration\n${struct}\n@compute @workgroup_size(64) fn main() {}\n`,
    );
    return pathToFileURL(file);
  };

  it('loads every op module: each spec matches its WGSL struct Params', async () => {
    const modules = readdirSync(OPS, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !/\.(test|reference)\.ts$/.test(f),
    );
    expect(modules.length).toBeGreaterThan(10);
    for (const m of modules) await import(new URL(m, OPS).href);
  });

  it('reads the fields of struct Params in order, past comments', () => {
    const code = '// struct Params { no: u32 }\nstruct Params {\n  N: u32, lr: f32, // rate\n  k: i32,\n}';
    expect(paramsStruct('t', code)).toEqual([
      ['N', 'u32'],
      ['lr', 'f32'],
      ['k', 'i32'],
    ]);
  });

  it.each([
    [
      'a type differs',
      'struct Params { N: u32, lr: u32 }',
      /field 1 of struct Params is lr: u32 in the WGSL but lr: f32/,
    ],
    [
      'the order differs',
      'struct Params { lr: f32, N: u32 }',
      /field 0 of struct Params is lr: f32 in the WGSL but N: u32/,
    ],
    [
      'the WGSL has a field more',
      'struct Params { N: u32, lr: f32, k: u32 }',
      /field 2 of struct Params is k: u32 in the WGSL but missing/,
    ],
    [
      'the spec has a field more',
      'struct Params { N: u32 }',
      /field 1 of struct Params is missing in the WGSL but lr: f32/,
    ],
    ['there is no struct Params', 'struct Other { N: u32 }', /the WGSL declares no struct Params/],
  ])('refuses a spec when %s', (_what, struct, message) => {
    const source = wgsl(`k${Math.random().toString(36).slice(2)}.wgsl`, struct);
    expect(() => defineKernel({ name: 'test.mismatch', source, params: { N: 'u32', lr: 'f32' } })).toThrow(
      new RegExp(`kernel test\\.mismatch: ${message.source}`),
    );
  });

  // Shared declarations (attention's, matmul's, layernorm's passes) keep struct Params in an include: the check
  // reads the source with its includes, so a mismatch there is refused as well.
  it('checks a struct Params that lives in an include', () => {
    const source = wgsl('main-only.wgsl', '// Params comes from the include');
    const include = [wgsl('shared.wgsl', 'struct Params { N: u32, lr: u32 }')];
    expect(() =>
      defineKernel({ name: 'test.inc', source, params: { N: 'u32', lr: 'f32' }, include }),
    ).toThrow(/kernel test\.inc: field 1 of struct Params is lr: u32 in the WGSL but lr: f32/);
    const ok = defineKernel({ name: 'test.inc', source, params: { N: 'u32', lr: 'u32' }, include });
    expect(ok.code.indexOf('Params comes from the include')).toBeLessThan(
      ok.code.indexOf('struct Params { N: u32, lr: u32 }'),
    );
  });

  it('opKernel reads <name>.wgsl beside the module it is given', () => {
    writeFileSync(join(dir, 'test.beside.wgsl'), 'struct Params { N: u32 }\n');
    const k = opKernel(pathToFileURL(join(dir, 'op.ts')).href, 'test.beside', { N: 'u32' });
    expect(k.name).toBe('test.beside');
    expect(k.code).toMatch(/^struct Params \{ N: u32 \}/);
  });

  it('accepts a matching spec and appends the shared gridIndex', () => {
    const source = wgsl('ok.wgsl', 'struct Params { N: u32, lr: f32 }');
    const k = defineKernel({ name: 'test.ok', source, params: { N: 'u32', lr: 'f32' } });
    expect(k.params).toEqual([
      ['N', 'u32'],
      ['lr', 'f32'],
    ]);
    expect(k.code).toMatch(/fn gridIndex\(gid: vec3u, nwg: vec3u, wg: u32\) -> u32/);
  });
});
