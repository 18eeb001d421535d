// `anneal worker`: trains launched runs from the queue on Postgres (worker.ts), logging through ANNEAL_API_URL.

import { connect } from '@anneal/db/client';
import { migrate } from '@anneal/db/migrate';
import { Command } from 'commander';
import { startWorker } from '../worker.ts';

export const workerCommand = new Command('worker')
  .description(
    'train launched runs from the queue on DATABASE_URL (Postgres), logging through ANNEAL_API_URL with ANNEAL_API_KEY',
  )
  .action(async () => {
    const h = await connect();
    if (h.target.kind === 'pglite') {
      await h.close();
      throw new Error(
        'anneal worker: set DATABASE_URL — on the embedded database, `anneal api` runs the worker itself',
      );
    }
    const apiUrl = process.env.ANNEAL_API_URL;
    const apiKey = process.env.ANNEAL_API_KEY;
    if (!apiUrl || !apiKey)
      throw new Error('anneal worker: set ANNEAL_API_URL and ANNEAL_API_KEY (runs log through the API)');
    await migrate(h);
    const worker = await startWorker({ h, apiUrl, apiKey });
    const stop = async () => {
      await worker.stop();
      await h.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });
