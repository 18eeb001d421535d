// `anneal sync`: delivers spooled tracking data (the client's spool) to the API; `--status` only lists it.

import { join } from 'node:path';
import { type SpoolStatus, spoolStatus, sync } from '@anneal/client';
import { Command } from 'commander';

/** `anneal sync --status`: a table of spooled runs, then the files that hold what was not delivered. */
function printSpoolStatus(runs: SpoolStatus[]): void {
  if (!runs.length) {
    console.log('no spooled runs');
    return;
  }
  const cols = ['run', 'spooled', 'delivered', 'pending', 'rejected', 'moved aside', 'corrupt lines'];
  const rows = runs.map((r) =>
    [r.run, r.spooled, r.delivered, r.pending, r.rejected, r.movedAside, r.corrupt].map(String),
  );
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
  for (const row of [cols, ...rows])
    console.log(
      row
        .map((x, i) => x.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
  for (const r of runs) {
    console.log(`${r.run}: spool ${r.spoolFile}`);
    if (r.rejected) console.log(`  rejected (with reasons): ${r.rejectedFile}`);
    if (r.movedAside) console.log(`  moved aside: ${r.failedFile}`);
  }
}

export const syncCommand = new Command('sync')
  .description('deliver spooled tracking data (offline runs, or runs cut off from the API) to ANNEAL_API_URL')
  .option('--spool <dir>', 'spool directory (default <ANNEAL_DATA_DIR or .anneal>/spool)')
  .option(
    '--status',
    'deliver nothing: list each spooled run (operations spooled, delivered, pending, rejected, moved aside) and its files',
  )
  .action(async (o: { spool?: string; status?: boolean }) => {
    if (o.status) {
      printSpoolStatus(spoolStatus(o.spool ?? join(process.env.ANNEAL_DATA_DIR ?? '.anneal', 'spool')));
      return;
    }
    const results = await sync({ spoolDir: o.spool });
    for (const r of results)
      console.log(
        `${r.run}: ${r.error ? `not synced: ${r.error}` : r.delivered ? 'delivered' : `${r.pending} operations still pending`}`,
      );
    if (!results.length) console.log('nothing to sync');
    if (results.some((r) => !r.delivered)) process.exitCode = 1;
  });
