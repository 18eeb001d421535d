// The `anneal` command line.
import { connect, describeTarget } from '@anneal/db/client';
import { migrate, migrationStatus } from '@anneal/db/migrate';
import { Command } from 'commander';
import { doctor } from './doctor.ts';

const program = new Command('anneal').description(
  'Fine-tune language models on WebGPU and track the experiments',
);

program
  .command('doctor')
  .description(
    'check Node, the WebGPU adapter and the database; exit non-zero with a hint if something is missing',
  )
  .action(async () => {
    process.exitCode = (await doctor()) ? 0 : 1;
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
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

program
  .command('demo')
  .description('the main job on the embedded database (grows as the product lands)')
  .action(async () => {
    const ok = await doctor();
    if (!ok) {
      process.exitCode = 1;
      return;
    }
    const h = await connect();
    try {
      await migrate(h);
      const s = await migrationStatus(h);
      console.log(`\n${describeTarget(h.target)} ready: ${s.applied}/${s.committed} migrations applied`);
    } finally {
      await h.close();
    }
  });

await program.parseAsync(process.argv);
