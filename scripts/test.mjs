// `pnpm test`: lint, typecheck, then every vitest test (kernels on the real adapter, Postgres and PGlite).
// Ends with the plain line `N passed, N failed` (lint and typecheck count as one check each) and exits
// non-zero on any failure, including a run in which no test executed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const REPORT = 'test-results/vitest.json';
const extra = process.argv.slice(2);

let passed = 0;
let failed = 0;
const run = (label, cmd, args) => {
  console.log(`\n── ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
};

// `pnpm test <filter>` runs only the matching vitest files.
const checks = extra.length
  ? []
  : [
      ['lint', ['exec', 'biome', 'check', '.']],
      ['typecheck', ['-r', '--workspace-concurrency=1', 'typecheck']],
    ];
for (const [label, args] of checks) {
  if (run(label, 'pnpm', args)) passed++;
  else failed++;
}

rmSync(REPORT, { force: true });
run('vitest', 'pnpm', ['exec', 'vitest', 'run', ...extra]);
if (existsSync(REPORT)) {
  const r = JSON.parse(readFileSync(REPORT, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A file that crashed before its tests ran reports no test results: count it as a failure.
  for (const f of r.testResults) if (f.status === 'failed' && f.assertionResults.length === 0) failed++;
  if (r.numTotalTests === 0) {
    console.log('vitest ran no test');
    failed++;
  }
} else {
  console.log(`vitest wrote no report (${REPORT})`);
  failed++;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
