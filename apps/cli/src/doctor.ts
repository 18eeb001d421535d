// `anneal doctor`: is this machine ready to train and track? Checks Node, the WebGPU adapter (and that it
// really computes: Dawn's null backend is refused and a probe kernel's output is verified), and the
// database target. Each problem comes with a one-line hint; any problem makes the exit code non-zero.

import { existsSync } from 'node:fs';
import { connect, describeTarget, resolveTarget } from '@anneal/db/client';
import { migrationStatus } from '@anneal/db/migrate';
import { type Gpu, openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { residualForward } from '@anneal/kernels/ops/residual/residual';

export interface Check {
  name: string;
  ok: boolean;
  lines: string[];
  hint?: string;
}

const SHOWN_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxUniformBufferBindingSize',
];
const SHOWN_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'];

export function checkNode(version = process.versions.node): Check {
  const major = Number(version.split('.')[0]);
  return {
    name: 'node',
    ok: major >= 20,
    lines: [`Node ${version}`],
    hint: major >= 20 ? undefined : 'Anneal needs Node >= 20',
  };
}

/** Runs out = a + b on the device and checks it: an adapter that accepts work but computes nothing fails. */
async function probe(gpu: Gpu): Promise<string | null> {
  const rt = new Runtime(gpu);
  const n = 1000;
  const a = Float32Array.from({ length: n }, (_, i) => i + 0.5);
  const b = Float32Array.from({ length: n }, (_, i) => 2 * i);
  const out = rt.upload(new Float32Array(n).fill(Number.NaN), [n], 'probe.out');
  rt.run('probe', (s) => residualForward(s, out, rt.upload(a, [n], 'a'), rt.upload(b, [n], 'b')));
  const got = await rt.read(out);
  for (let i = 0; i < n; i++) {
    if (got[i] !== a[i] + b[i]) return `probe kernel wrote ${got[i]} at ${i}, expected ${a[i] + b[i]}`;
  }
  return null;
}

export async function checkGpu(): Promise<Check> {
  let gpu: Gpu;
  try {
    gpu = await openGpu();
  } catch (e) {
    const err = e as Error & { hint?: string };
    return { name: 'gpu', ok: false, lines: [err.message.split(' — ')[0]], hint: err.hint ?? err.message };
  }
  try {
    const { info } = gpu;
    const lines = [
      `adapter      ${info.description || info.device}`,
      `vendor       ${info.vendor}   architecture ${info.architecture}   device ${info.device}`,
      `software     ${info.software ? 'yes (CPU emulation: correct, slow)' : 'no'}`,
      `subgroups    size ${info.subgroupMinSize}..${info.subgroupMaxSize}`,
      `features     ${SHOWN_FEATURES.map((f) => `${f} ${gpu.adapterFeatures.has(f) ? 'yes' : 'no'}`).join('   ')}`,
      'limits',
      ...SHOWN_LIMITS.map((k) => `  ${k.padEnd(36)} ${gpu.limits[k]}`),
    ];
    const bad = await probe(gpu);
    lines.push(
      bad ? `probe        FAILED: ${bad}` : 'probe        a WGSL kernel ran and its output checked out',
    );
    return {
      name: 'gpu',
      ok: !bad,
      lines,
      hint: bad ? 'this adapter does not compute correctly: pick another with ANNEAL_ADAPTER' : undefined,
    };
  } finally {
    gpu.destroy();
  }
}

export async function checkDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Check> {
  const target = resolveTarget(env);
  const lines = [`target       ${describeTarget(target)}`];
  if (target.kind === 'pglite' && !existsSync(target.dir)) {
    lines.push('status       not created yet: `anneal start` (or `pnpm demo`) creates and migrates it');
    return { name: 'database', ok: true, lines };
  }
  let h: Awaited<ReturnType<typeof connect>>;
  try {
    h = await connect(target);
  } catch (e) {
    lines.push(`status       unreachable: ${(e as Error).message}`);
    return {
      name: 'database',
      ok: false,
      lines,
      hint:
        target.kind === 'postgres'
          ? 'start Postgres or fix DATABASE_URL (unset it to use the embedded database)'
          : `the embedded database at ${target.dir} cannot be opened`,
    };
  }
  try {
    const s = await migrationStatus(h);
    lines.push(`status       reachable; migrations ${s.applied}/${s.committed} applied`);
    if (s.pending.length) lines.push(`pending      ${s.pending.join(', ')}`);
    return {
      name: 'database',
      ok: s.pending.length === 0,
      lines,
      hint: s.pending.length ? 'run `pnpm anneal db migrate`' : undefined,
    };
  } finally {
    await h.close();
  }
}

export async function doctor(print: (line: string) => void = console.log): Promise<boolean> {
  const checks = [checkNode(), await checkGpu(), await checkDatabase()];
  for (const c of checks) {
    print(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`);
    for (const l of c.lines) print(`     ${l}`);
    if (!c.ok && c.hint) print(`     hint: ${c.hint}`);
  }
  return checks.every((c) => c.ok);
}
