// `anneal start`: everything on one machine — `anneal api --web` with the worker and the dashboard on :3000.

import { Command } from 'commander';
import { serveApi } from './api.ts';

export const startCommand = new Command('start')
  .description(
    'everything on one machine: the API, its worker and sweep controller, and the dashboard on :3000',
  )
  .option('--port <n>', 'API port', process.env.ANNEAL_PORT ?? '4000')
  .option('--web-port <n>', 'dashboard port', '3000')
  .action(async (o: { port: string; webPort: string }) => {
    await serveApi({ port: o.port, host: '127.0.0.1', worker: true, web: o.webPort });
  });
