// The package graph (test/architecture.ts) holds on this repository, and the checker catches each kind of
// violation when one is planted in a small workspace of its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArchitecture } from './architecture.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the package graph', () => {
  it('holds: no package imports an app, libraries depend only downward, every import is declared', () => {
    expect(checkArchitecture(ROOT)).toEqual([]);
  });
});

describe('the package graph checker', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A workspace of a few members; `files` maps paths to contents (objects are written as JSON). */
  function workspace(files: Record<string, string | object>) {
    const root = mkdtempSync(join(tmpdir(), 'anneal-arch-'));
    dirs.push(root);
    const pkg = (name: string, deps: Record<string, string> = {}, devDeps: Record<string, string> = {}) => ({
      name,
      dependencies: deps,
      devDependencies: devDeps,
    });
    const base: Record<string, string | object> = {
      'packages/kernels/package.json': pkg('@anneal/kernels'),
      'packages/kernels/src/kernel.ts': 'export const k = 1;\n',
      'packages/db/package.json': pkg('@anneal/db'),
      'packages/client/package.json': pkg('@anneal/client'),
      'packages/trainer/package.json': pkg('@anneal/trainer', { '@anneal/kernels': 'workspace:*' }),
      'packages/trainer/src/train.ts': "import { k } from '@anneal/kernels/kernel';\nexport const t = k;\n",
      'apps/api/package.json': pkg('@anneal/api', { '@anneal/db': 'workspace:*' }),
      'apps/api/src/server.ts': "import type { X } from '@anneal/db/client';\nexport type Y = X;\n",
      'apps/cli/package.json': pkg('@anneal/cli', {
        '@anneal/api': 'workspace:*',
        '@anneal/trainer': 'workspace:*',
      }),
      'apps/cli/src/main.ts': "await import('@anneal/api/server');\nexport * from '@anneal/trainer/train';\n",
    };
    for (const [path, content] of Object.entries({ ...base, ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return root;
  }

  it('passes a workspace that follows the graph (the composition root may use everything)', () => {
    expect(checkArchitecture(workspace({}))).toEqual([]);
  });

  it('fails a package importing an app, whatever the import form', () => {
    for (const line of [
      "import { createApi } from '@anneal/api/server';",
      "import type { Api } from '@anneal/api/server';",
      "export { createApi } from '@anneal/api/server';",
      "const m = await import('@anneal/api/server');",
    ]) {
      const root = workspace({ 'packages/trainer/src/worker.ts': `${line}\n` });
      expect(checkArchitecture(root), line).toEqual([
        'packages/trainer/src/worker.ts: imports @anneal/api/server from @anneal/api (an app): a package must not depend on an app',
      ]);
    }
  });

  it('fails a library depending upward in package.json, and an undeclared import', () => {
    const root = workspace({
      'packages/trainer/package.json': {
        name: '@anneal/trainer',
        dependencies: { '@anneal/kernels': 'workspace:*', '@anneal/db': 'workspace:*' },
      },
      'packages/kernels/src/ops.ts': "import { t } from '@anneal/trainer/train';\n",
    });
    expect(checkArchitecture(root)).toEqual([
      'packages/kernels/src/ops.ts: imports @anneal/trainer/train from @anneal/trainer (a package): @anneal/kernels may use only @anneal/rng',
      'packages/trainer/package.json: dependencies has @anneal/db (a package): @anneal/trainer may use only @anneal/kernels, @anneal/config, @anneal/client, @anneal/rng',
    ]);
    const undeclared = workspace({ 'packages/trainer/src/log.ts': "import '@anneal/client';\n" });
    expect(checkArchitecture(undeclared)).toEqual([
      'packages/trainer/src/log.ts: imports @anneal/client, not declared in packages/trainer/package.json',
    ]);
  });

  it("fails a relative import into another member's files, an app's dependency on the CLI, and an unplaced member", () => {
    const root = workspace({
      'packages/trainer/src/worker.ts': "import { createApi } from '../../../apps/api/src/server.ts';\n",
      'apps/api/package.json': {
        name: '@anneal/api',
        dependencies: { '@anneal/db': 'workspace:*' },
        devDependencies: { '@anneal/cli': 'workspace:*' },
      },
      'packages/extra/package.json': { name: '@anneal/extra' },
    });
    expect(checkArchitecture(root)).toEqual([
      'apps/api/package.json: devDependencies has @anneal/cli (an app): @anneal/api may use only @anneal/db, @anneal/config, @anneal/rng',
      'packages/extra: @anneal/extra has no place in the package graph (test/architecture.ts ALLOWED)',
      "packages/trainer/src/worker.ts: imports ../../../apps/api/src/server.ts, outside packages/trainer (use the other member's package name and exports)",
    ]);
  });

  it("lets only a test take a test-only edge (the client's tests against a real API)", () => {
    const client = { name: '@anneal/client', devDependencies: { '@anneal/api': 'workspace:*' } };
    const ok = workspace({
      'packages/client/package.json': client,
      'packages/client/src/client.test.ts': "import { createApi } from '@anneal/api/server';\n",
    });
    expect(checkArchitecture(ok)).toEqual([]);
    const shipped = workspace({
      'packages/client/package.json': client,
      'packages/client/src/index.ts': "import { createApi } from '@anneal/api/server';\n",
    });
    expect(checkArchitecture(shipped)).toEqual([
      'packages/client/src/index.ts: imports @anneal/api/server from @anneal/api (an app): a package must not depend on an app',
    ]);
  });
});
