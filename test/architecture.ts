// The package graph, checked: every workspace member's package.json and every import in its src/ must follow the arrows below (apps → packages, never back; libraries only downward). test/architecture.test.ts
// runs it on this repository and on planted violations.
//
// What counts as an edge: an `@anneal/<name>` entry in dependencies / devDependencies / peerDependencies, an
// import specifier `@anneal/<name>[/…]` (static, dynamic, `export … from`, `import type` — read with the
// TypeScript scanner, not a regex), and a relative import that leaves the member's directory (reaching into
// another member's files behind its package.json). An import of a member not declared in package.json is
// reported too: the graph must be visible in the manifests. Benchmarks (bench/) are left out: they share one
// harness (packages/kernels/bench/harness.ts) and the web benchmark drives the API, by design.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Which workspace members each one may use (by package name). `*`: any member (the composition root). */
export const ALLOWED: Record<string, readonly string[] | '*'> = {
  '@anneal/rng': [],
  '@anneal/config': [],
  '@anneal/db': [],
  '@anneal/client': [],
  '@anneal/kernels': ['@anneal/rng'],
  '@anneal/trainer': ['@anneal/kernels', '@anneal/config', '@anneal/client', '@anneal/rng'],
  '@anneal/api': ['@anneal/db', '@anneal/config', '@anneal/rng'],
  '@anneal/cli': '*',
  '@anneal/web': [],
};

/**
 * Edges only tests may take (devDependencies, `*.test.ts`): the client's tests log to a real API server in
 * their own process (on a fresh PGlite), which is what proves the wire format. Nothing the client ships
 * imports the API.
 */
export const TEST_ONLY: Record<string, readonly string[]> = {
  '@anneal/client': ['@anneal/api', '@anneal/db'],
};

export interface Member {
  name: string;
  dir: string;
  /** apps/* or packages/*. */
  kind: 'app' | 'package';
}

export interface Graph {
  allowed: Record<string, readonly string[] | '*'>;
  testOnly: Record<string, readonly string[]>;
}

const SCOPE = '@anneal/';
const CODE = /\.(ts|tsx|mts|js|mjs)$/;
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

export function members(root: string): Member[] {
  const out: Member[] = [];
  for (const [folder, kind] of [
    ['apps', 'app'],
    ['packages', 'package'],
  ] as const) {
    if (!existsSync(join(root, folder))) continue;
    for (const d of readdirSync(join(root, folder)).sort()) {
      const pkg = join(root, folder, d, 'package.json');
      if (existsSync(pkg))
        out.push({ name: JSON.parse(readFileSync(pkg, 'utf8')).name, dir: join(root, folder, d), kind });
    }
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (e === 'node_modules' || e === '.next' || e.startsWith('.')) continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (CODE.test(e) && !e.endsWith('.d.ts')) out.push(p);
    }
  };
  if (existsSync(join(dir, 'src'))) walk(join(dir, 'src'));
  return out;
}

/** The member an `@anneal/…` specifier names (`@anneal/api/server` → `@anneal/api`), else null. */
const memberOf = (spec: string) => (spec.startsWith(SCOPE) ? spec.split('/').slice(0, 2).join('/') : null);

/** Every violation of the graph under `root`, one line each (empty: the graph holds). */
export function checkArchitecture(root: string, graph: Graph = { allowed: ALLOWED, testOnly: TEST_ONLY }) {
  const all = members(root);
  const byName = new Map(all.map((m) => [m.name, m]));
  const problems: string[] = [];
  const describe = (to: string) => {
    const m = byName.get(to);
    return m ? `${to} (${m.kind === 'app' ? 'an app' : 'a package'})` : to;
  };
  const may = (from: Member, to: string, test: boolean) => {
    const allowed = graph.allowed[from.name];
    if (allowed === '*' || allowed?.includes(to)) return true;
    return test && (graph.testOnly[from.name] ?? []).includes(to);
  };
  const why = (from: Member, to: string) =>
    from.kind === 'package' && byName.get(to)?.kind === 'app'
      ? 'a package must not depend on an app'
      : `${from.name} may use only ${formatAllowed(graph.allowed[from.name])}`;

  for (const m of all) {
    const rel = relative(root, m.dir);
    if (!(m.name in graph.allowed)) {
      problems.push(`${rel}: ${m.name} has no place in the package graph (test/architecture.ts ALLOWED)`);
      continue;
    }
    const pkg = JSON.parse(readFileSync(join(m.dir, 'package.json'), 'utf8'));
    const declared = new Set<string>();
    for (const field of ['dependencies', 'peerDependencies', 'devDependencies'] as const)
      for (const dep of Object.keys(pkg[field] ?? {})) {
        if (!byName.has(dep)) continue;
        declared.add(dep);
        if (!may(m, dep, field === 'devDependencies'))
          problems.push(`${rel}/package.json: ${field} has ${describe(dep)}: ${why(m, dep)}`);
      }
    for (const file of sources(m.dir)) {
      const where = relative(root, file);
      const test = isTest(file);
      for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles) {
        const to = memberOf(spec);
        if (to) {
          if (!byName.has(to)) problems.push(`${where}: imports ${spec}, which no workspace member provides`);
          else if (to === m.name) continue;
          else if (!may(m, to, test))
            problems.push(`${where}: imports ${spec} from ${describe(to)}: ${why(m, to)}`);
          else if (!declared.has(to))
            problems.push(`${where}: imports ${spec}, not declared in ${rel}/package.json`);
        } else if (spec.startsWith('.')) {
          const target = resolve(file, '..', spec);
          if (target !== m.dir && !target.startsWith(m.dir + sep))
            problems.push(
              `${where}: imports ${spec}, outside ${rel} (use the other member's package name and exports)`,
            );
        }
      }
    }
  }
  return problems;
}

function formatAllowed(a: readonly string[] | '*' | undefined) {
  if (a === '*') return 'any member';
  return a?.length ? a.join(', ') : 'no other workspace member';
}
