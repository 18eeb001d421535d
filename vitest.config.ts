import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const API = new URL('./apps/api/package.json', import.meta.url);

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Dawn is a native addon: forks isolate it better than worker threads.
    pool: 'forks',
    setupFiles: ['test/setup/gpu.ts'],
    // The JSON report is what scripts/test.mjs counts for the closing `N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
  resolve: {
    // graphql ships CommonJS and ESM builds without an exports map: Node (yoga, Pothos) loads the CommonJS
    // one, Vite would give our files the ESM one — two graphql instances. Ours get the one Node loads.
    alias: [{ find: /^graphql$/, replacement: createRequire(API).resolve('graphql') }],
  },
});
