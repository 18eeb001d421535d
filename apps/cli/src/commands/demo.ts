// `anneal demo`: the README's quick start in one process — doctor, the embedded database, the tracking API,
// a few fine-tuning steps of the shipped GPT base on SpamAssassin logging to it, and the run read back.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { loadConfigFile } from '@anneal/config';
import { connect, describeTarget } from '@anneal/db/client';
import { migrate, migrationStatus } from '@anneal/db/migrate';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul } from '@anneal/kernels/ops/matmul/matmul';
import { runTraining, trackRun } from '@anneal/trainer/run';
import { Command } from 'commander';
import { doctor } from '../doctor.ts';
import { REPO } from '../repo.ts';

export const demoCommand = new Command('demo')
  .description(
    'the main job on the embedded database (grows as the product lands): check the machine, migrate, start the tracking ' +
      'API, fine-tune the shipped GPT base on SpamAssassin for a few steps logging to it, and query the result',
  )
  .option('--steps <n>', 'fine-tuning steps', '30')
  .action(async (o: { steps: string }) => {
    const steps = Number(o.steps);
    if (!Number.isInteger(steps) || steps <= 0)
      throw new Error(`--steps: expected a positive integer, got ${o.steps}`);
    const ok = await doctor();
    if (!ok) {
      process.exitCode = 1;
      return;
    }
    const dataDir = process.env.ANNEAL_DATA_DIR ?? '.anneal';
    const h = await connect();
    await migrate(h);
    const s = await migrationStatus(h);
    console.log(`\n${describeTarget(h.target)} ready: ${s.applied}/${s.committed} migrations applied`);
    // The tracking API in this process, on a free port: the run below logs to it like any client would.
    const boot = await bootstrap(h, dataDir);
    if (boot.key)
      console.log(
        `first start: created admin@localhost (password ${boot.password}), project "default" and an API key (${dataDir}/api-key)`,
      );
    const { server, url } = await listen(createApi({ handle: h }), 0);
    const apiKey = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
    console.log(`tracking API on ${url}/graphql`);
    const example = join(REPO, 'examples/spam-gpt.yaml');
    const config = loadConfigFile(example, [
      `--model.base=${join(REPO, 'bases/gpt-brown')}`,
      `--train.maxSteps=${steps}`,
      `--train.evalEvery=${steps}`,
      `--output.dir=${join(dataDir, 'runs')}`,
      '--name=demo-spam',
    ]);
    console.log(
      `\nfine-tuning ${config.model.base} on SpamAssassin for ${steps} steps (examples/spam-gpt.yaml)`,
    );
    const rt = new Runtime(await openGpu());
    try {
      await tuneMatmul(rt);
      await tuneAttention(rt);
      const tracker = trackRun(rt, config, { url, apiKey });
      await runTraining(rt, config, { tracker });
      // Read it back the way a notebook or the dashboard would.
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          query: `{ runs(project: "default", first: 5) { totalCount edges { node { id name status summary
                   metrics(keys: ["train/loss"], samples: 10) { count } } } } }`,
        }),
      });
      const { data } = (await res.json()) as {
        data: {
          runs: {
            totalCount: number;
            edges: {
              node: {
                id: string;
                name: string;
                status: string;
                summary: Record<string, number>;
                metrics: { count: number }[];
              };
            }[];
          };
        };
      };
      console.log(`\nproject "default" now holds ${data.runs.totalCount} run(s); latest:`);
      for (const { node } of data.runs.edges.slice(0, 5))
        console.log(
          `  ${node.id}  ${node.name}  ${node.status}  test/f1 ${node.summary['test/f1']?.toFixed(3) ?? '—'}  ${node.metrics[0]?.count ?? 0} train/loss points`,
        );
      const latest = data.runs.edges[0]?.node.id;
      if (latest)
        console.log(
          `\nsee it in the dashboard: pnpm anneal start, then http://127.0.0.1:3000/r/${latest} (signed in as the local admin)`,
        );
    } finally {
      rt.destroy();
      await new Promise((r) => server.close(r));
      await h.close();
    }
  });
