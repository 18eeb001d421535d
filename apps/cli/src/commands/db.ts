// `anneal db`: database maintenance (today `db migrate`: the committed migrations onto DATABASE_URL or PGlite).

import { connect, describeTarget } from '@anneal/db/client';
import { migrate, migrationStatus } from '@anneal/db/migrate';
import { Command } from 'commander';

export const dbCommand = new Command('db').description('database maintenance');
dbCommand
  .command('migrate')
  .description('apply the committed migrations to DATABASE_URL or the embedded database')
  .action(async () => {
    const h = await connect();
    try {
      await migrate(h);
      const s = await migrationStatus(h);
      console.log(`${describeTarget(h.target)}: ${s.applied}/${s.committed} migrations applied`);
    } finally {
      await h.close();
    }
  });
