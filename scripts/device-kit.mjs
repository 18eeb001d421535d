#!/usr/bin/env node
// Packs the benchmarks for a machine that has a GPU but no Node toolchain of ours: each bench script is bundled
// into one .mjs (WGSL files stay in the source tree and are found from the working directory), next to a minimal
// `webgpu` package (Linux x64 Dawn only) and an xz-compressed Node binary. Usage, from the repo root:
//   node scripts/device-kit.mjs            → .devkit/ (git-ignored)
//   on the GPU machine, from the repo root: bash .devkit/run.sh   (runs bench:kernels and bench:train)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kit = join(root, '.devkit');
rmSync(kit, { recursive: true, force: true });
mkdirSync(kit, { recursive: true });

// `new URL('./x.wgsl', import.meta.url)` must still point into the source tree after bundling: each module's
// import.meta.url becomes its own path relative to the working directory the bundle is started from.
const sourceUrls = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /packages\/.*\.ts$/ }, (args) => {
      const rel = relative(root, args.path);
      const text = readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(rel)}, globalThis.__annealRoot).href`,
      );
      return { contents: text, loader: 'ts' };
    });
  },
};
const banner =
  "import { pathToFileURL as __p } from 'node:url'; globalThis.__annealRoot = __p(process.cwd() + '/');" +
  "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);";
for (const [name, entry] of [
  ['kernels', 'packages/kernels/bench/kernels.bench.ts'],
  ['train', 'packages/trainer/bench/train.bench.ts'],
]) {
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(kit, `${name}.bench.mjs`),
    external: ['webgpu'],
    banner: { js: banner },
    plugins: [sourceUrls],
    logLevel: 'warning',
  });
}

const webgpu = dirname(createRequire(join(root, 'packages/kernels/package.json')).resolve('webgpu'));
const dst = join(kit, 'node_modules/webgpu');
mkdirSync(join(dst, 'dist/linux-x64'), { recursive: true });
for (const f of ['package.json', 'index.js']) cpSync(join(webgpu, f), join(dst, f));
cpSync(join(webgpu, 'dist/linux-x64/dawn.node'), join(dst, 'dist/linux-x64/dawn.node'));
execFileSync('xz', ['-T0', '-6', '-c', process.execPath], {
  stdio: ['ignore', openSync(join(kit, 'node.xz'), 'w'), 'inherit'],
});
writeFileSync(
  join(kit, 'run.sh'),
  `#!/bin/bash
# Runs from the repo root on the GPU machine. Uses its own node when the machine has none.
set -e
NODE=$(command -v node || true)
if [ -z "$NODE" ]; then xz -dc .devkit/node.xz > /tmp/node && chmod +x /tmp/node; NODE=/tmp/node; fi
export XDG_RUNTIME_DIR=\${XDG_RUNTIME_DIR:-/tmp}
"$NODE" .devkit/kernels.bench.mjs
"$NODE" .devkit/train.bench.mjs
`,
);
console.log(`wrote ${relative(root, kit)}/`);
