// The `anneal` command line.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '@anneal/api/auth';
import { bootstrap } from '@anneal/api/bootstrap';
import { createSharedPubSub } from '@anneal/api/events';
import { defaultDataRoot, withLaunchPaths } from '@anneal/api/launch-paths';
import { openQueue } from '@anneal/api/queue';
import { createApi, listen, startReaper } from '@anneal/api/server';
import { clearAccountFailures } from '@anneal/api/signin';
import { tickSweeps } from '@anneal/api/sweeps';
import { type SpoolStatus, spoolStatus, sync } from '@anneal/client';
import { loadConfigFile, resolveConfig } from '@anneal/config';
import { connect, describeTarget } from '@anneal/db/client';
import { migrate, migrationStatus } from '@anneal/db/migrate';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul } from '@anneal/kernels/ops/matmul/matmul';
import { gptParamSpecs } from '@anneal/trainer/model/gpt';
import {
  loadEncoderCheckpoint,
  loadGPT2Checkpoint,
  saveEncoderCheckpoint,
  saveGPT2Checkpoint,
} from '@anneal/trainer/model/pretrained';
import { initEncoder, initGPT, pretrain } from '@anneal/trainer/pretrain';
import { evaluateModel, runTraining, trackRun } from '@anneal/trainer/run';
import { convertSafetensors } from '@anneal/trainer/safetensors';
import { Command } from 'commander';
import { doctor } from './doctor.ts';
import { startWorker } from './worker.ts';

/** The repository checkout this CLI runs from (the shipped bases, examples and the dashboard live here). */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

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
  .command('train')
  .description('fine-tune a model: anneal train <config.yaml> [--key.path=value …]')
  .argument('<config>', 'YAML run config')
  .argument('[overrides...]', 'config overrides, e.g. --optim.lr=1e-4 --train.maxSteps=100')
  .option(
    '--resume <checkpoint>',
    'continue a run from one of its checkpoints (e.g. runs/<run>/checkpoints/last)',
  )
  .option(
    '--fork',
    "with --resume: track the continuation as a new run forked from the checkpoint's run at its step (that run is left as it was), e.g. to try another learning rate from there",
  )
  .allowUnknownOption()
  .action(async (file: string, overrides: string[], o: { resume?: string; fork?: boolean }) => {
    const config = loadConfigFile(file, overrides);
    const rt = new Runtime(await openGpu());
    let interrupted = false;
    // Ctrl-C: finish the current step, save `last`, exit cleanly. A second Ctrl-C exits at once.
    process.on('SIGINT', () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.log('\ninterrupted: saving a checkpoint after this step (Ctrl-C again to quit now)');
    });
    try {
      await tuneMatmul(rt);
      await tuneAttention(rt);
      await runTraining(rt, config, { shouldStop: () => interrupted, resume: o.resume, fork: o.fork });
    } finally {
      rt.destroy();
    }
    if (interrupted) process.exitCode = 130;
  });

program
  .command('eval')
  .description(
    'evaluate a saved model on the test (or validation) split of a run config: anneal eval <model-dir> <config.yaml>',
  )
  .argument(
    '<model>',
    "a run's model/ directory or a checkpoint (config.json, model.safetensors, tokenizer.json)",
  )
  .argument('<config>', 'the run config whose data, cleaning and split to use')
  .option('--split <name>', 'test or validation', 'test')
  .action(async (modelDir: string, file: string, o: { split: string }) => {
    if (o.split !== 'test' && o.split !== 'validation')
      throw new Error(`--split: expected test or validation, got ${o.split}`);
    const rt = new Runtime(await openGpu());
    try {
      await evaluateModel(rt, loadConfigFile(file), modelDir, o.split);
    } finally {
      rt.destroy();
    }
  });

program
  .command('pretrain')
  .description(
    "train Anneal's own GPT (causal LM) or encoder (masked LM) base from scratch on the Brown corpus (tokenizer included)",
  )
  .option('--arch <gpt|encoder>', 'gpt: causal LM; encoder: BERT-style masked LM', 'gpt')
  .requiredOption(
    '--out <dir>',
    'where the base goes (config.json, model.safetensors, tokenizer.json, anneal.json)',
  )
  .option('--vocab <n>', 'BPE vocabulary size', '2048')
  .option('--layers <n>', 'transformer blocks', '4')
  .option('--heads <n>', 'attention heads', '4')
  .option('--embd <n>', 'model width', '128')
  .option('--context <n>', 'sequence length', '128')
  .option('--steps <n>', 'optimizer steps', '2000')
  .option('--batch-size <n>', 'sequences per step', '16')
  .option('--lr <x>', 'peak learning rate', '3e-3')
  .option('--seed <n>', 'seed for split, tokenizer data, init and shuffles', '42')
  .option('--categories <list>', 'Brown genres, comma-separated letters a–r (default: all)')
  .option('--max-minutes <x>', 'stop early after this many minutes (the steps run are recorded)')
  .action(async (o: Record<string, string>) => {
    const int = (k: string) => {
      const v = Number(o[k]);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`--${k}: expected a positive integer, got ${o[k]}`);
      return v;
    };
    const rt = new Runtime(await openGpu());
    try {
      await tuneMatmul(rt);
      await tuneAttention(rt);
      if (o.arch !== 'gpt' && o.arch !== 'encoder')
        throw new Error(`--arch: expected gpt or encoder, got ${o.arch}`);
      await pretrain(rt, {
        arch: o.arch,
        out: o.out,
        vocab: int('vocab'),
        layers: int('layers'),
        heads: int('heads'),
        embd: int('embd'),
        context: int('context'),
        steps: int('steps'),
        batchSize: int('batchSize'),
        lr: Number(o.lr),
        seed: Number(o.seed),
        categories: o.categories?.split(','),
        maxMinutes: o.maxMinutes ? Number(o.maxMinutes) : undefined,
      });
    } finally {
      rt.destroy();
    }
  });

program
  .command('init')
  .description(
    'a from-scratch twin of a base (GPT or encoder): same architecture and tokenizer, fresh initialisation',
  )
  .requiredOption('--like <dir>', 'the base to copy the architecture and tokenizer from')
  .requiredOption('--out <dir>', 'where the new base goes')
  .option('--seed <n>', 'initialisation seed', '42')
  .action((o: { like: string; out: string; seed: string }) => {
    const seed = Number(o.seed);
    const type = (JSON.parse(readFileSync(join(o.like, 'config.json'), 'utf8')) as { model_type?: string })
      .model_type;
    mkdirSync(o.out, { recursive: true });
    if (type === 'bert') {
      const { config } = loadEncoderCheckpoint(o.like, { head: 'mlm' });
      saveEncoderCheckpoint(o.out, config, initEncoder(config, seed));
      console.log(
        `${o.out}: ${config.nLayer} layers × ${config.hidden} encoder, freshly initialised (seed ${seed})`,
      );
    } else {
      const { config } = loadGPT2Checkpoint(o.like, gptParamSpecs);
      const specs = gptParamSpecs(config);
      saveGPT2Checkpoint(
        o.out,
        config,
        initGPT(config, seed),
        new Map(specs.map((sp) => [sp.name, sp.shape])),
      );
      console.log(
        `${o.out}: ${config.nLayer} layers × ${config.nEmbd} GPT, freshly initialised (seed ${seed})`,
      );
    }
    copyFileSync(join(o.like, 'tokenizer.json'), join(o.out, 'tokenizer.json'));
  });

program
  .command('convert')
  .description(
    "store a model's weights in another dtype: anneal convert <model-dir> --dtype f16 (half the size; it loads as before)",
  )
  .argument('<model>', 'a model directory (config.json, model.safetensors, tokenizer.json)')
  .requiredOption('--dtype <dtype>', 'f32, f16 or bf16')
  .option('--out <dir>', 'write a converted copy of the directory here instead of converting in place')
  .action((dir: string, o: { dtype: string; out?: string }) => {
    const dtype = ({ f32: 'F32', f16: 'F16', bf16: 'BF16' } as const)[o.dtype.toLowerCase() as 'f32'];
    if (!dtype) throw new Error(`--dtype: f32, f16 or bf16, not '${o.dtype}'`);
    const src = join(dir, 'model.safetensors');
    if (!existsSync(src)) throw new Error(`${dir}: no model.safetensors`);
    const out = o.out ?? dir;
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      for (const f of readdirSync(dir))
        if (f !== 'model.safetensors' && statSync(join(dir, f)).isFile())
          copyFileSync(join(dir, f), join(o.out, f));
    }
    const r = convertSafetensors(src, join(out, 'model.safetensors'), dtype);
    const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
    console.log(
      `${join(out, 'model.safetensors')}: ${dtype}, ${mb(r.before)} → ${mb(r.after)}, largest relative change ${r.maxRel.toExponential(2)}`,
    );
  });

program
  .command('api')
  .description(
    'serve the tracking API (GraphQL on /graphql, SSE subscriptions, /health) on DATABASE_URL or the embedded database, ' +
      'with the run queue; on the embedded database it also runs a worker (launched runs train here). The first start ' +
      'creates an admin, a `default` project and an API key',
  )
  .option('--port <n>', 'port (ANNEAL_PORT)', process.env.ANNEAL_PORT ?? '4000')
  .option('--host <addr>', 'interface to listen on', '127.0.0.1')
  .option('--no-worker', 'do not train launched runs in this process')
  .option('--web [port]', 'also serve the dashboard (apps/web, built by setup) on this port', false)
  .action(async (o: { port: string; host: string; worker: boolean; web: string | boolean }) => {
    const dataDir = process.env.ANNEAL_DATA_DIR ?? '.anneal';
    const h = await connect();
    await migrate(h);
    const boot = await bootstrap(h, dataDir);
    if (boot.key)
      console.log(
        `first start: created admin@localhost (password ${boot.password}), project "default" and an API key (saved to ${dataDir}/api-key):\n  ${boot.key}`,
      );
    const queue = await openQueue(h);
    // Live events reach every API process on the same Postgres (LISTEN/NOTIFY).
    const pubsub = await createSharedPubSub(h);
    // PGlite serves one process: launched runs train here. On Postgres, `anneal worker` processes can share it.
    const embedded = h.target.kind === 'pglite';
    const api = createApi({
      handle: h,
      pubsub,
      queue,
      bases: join(REPO, 'bases'),
      // Where runs' pages are: the dashboard this process serves, else ANNEAL_WEB_URL (one served elsewhere).
      dashboardUrl: o.web
        ? `http://${o.host}:${o.web === true ? 3000 : Number(o.web)}`
        : (process.env.ANNEAL_WEB_URL ?? null),
      // Single-user mode on this machine: the browser is signed in as the local admin (loopback only).
      localSignIn: embedded && /^(127\.|localhost$|::1$)/.test(o.host),
    });

    const { server, url } = await listen(api, Number(o.port), o.host);
    console.log(`${describeTarget(h.target)}\nAnneal API on ${url}/graphql`);
    // Runs whose heartbeat lapsed (ANNEAL_HEARTBEAT_LAPSE_S, default 60 s) are marked crashed.
    const reaper = startReaper({
      handle: h,
      queue,
      pubsub,
      onError: (e) => console.error(`reaper: ${e.message}`),
    });
    // The sweep controller: stateless, so this loop (or one in another API process) resumes any sweep.
    // Its proposals follow the launch rules too (a parameter cannot point model.base or a data path elsewhere).
    const validateConfig = withLaunchPaths((c: unknown) => resolveConfig(c, 'config'), {
      basesDir: join(REPO, 'bases'),
      dataRoot: defaultDataRoot(),
    });
    let ticking = false;
    const controller = setInterval(() => {
      if (ticking) return;
      ticking = true;
      void tickSweeps({ h, queue, validateConfig })
        .catch((e: Error) => console.error(`sweeps: ${e.message}`))
        .finally(() => {
          ticking = false;
        });
    }, 2000);
    const worker =
      o.worker && embedded
        ? await startWorker({ h, apiUrl: url, apiKey: readFileSync(join(dataDir, 'api-key'), 'utf8').trim() })
        : null;
    const dashboard = o.web ? startDashboard(url, o.web === true ? 3000 : Number(o.web), o.host) : null;
    const stop = async () => {
      dashboard?.kill();
      reaper.stop();
      clearInterval(controller);
      await worker?.stop();
      await queue.stop({ graceful: false, close: false });
      server.close();
      await h.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('start')
  .description(
    'everything on one machine: the API, its worker and sweep controller, and the dashboard on :3000',
  )
  .option('--port <n>', 'API port', process.env.ANNEAL_PORT ?? '4000')
  .option('--web-port <n>', 'dashboard port', '3000')
  .action(async (o: { port: string; webPort: string }) => {
    await program.parseAsync(['api', '--port', o.port, '--web', o.webPort], { from: 'user' });
  });

program
  .command('worker')
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

program
  .command('passwd')
  .description(
    'set a new random password for a user of DATABASE_URL or the embedded database (lifting a sign-in lockout), and print it',
  )
  .argument('[email]', 'the user', 'admin@localhost')
  .action(async (email: string) => {
    const h = await connect();
    try {
      const password = randomBytes(12).toString('base64url');
      const rows = await h.query<{ id: string }>(
        'update users set password_hash = $1 where email = $2 returning id',
        [await hashPassword(password), email.trim().toLowerCase()],
      );
      if (!rows.length) throw new Error(`passwd: no user ${email}`);
      await h.query('delete from sessions where user_id = $1', [rows[0].id]); // signed-in browsers sign in again
      await clearAccountFailures(h, email); // and a lockout from failed sign-ins is lifted
      console.log(`${email}: new password ${password}`);
    } finally {
      await h.close();
    }
  });

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

program
  .command('sync')
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

program
  .command('demo')
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

/** `next start` for apps/web as a child process, talking to the API at `api`. */
function startDashboard(api: string, port: number, host: string) {
  const web = join(REPO, 'apps/web');
  if (!existsSync(join(web, '.next', 'BUILD_ID'))) {
    console.log('dashboard: not built — run ./scripts/setup.sh (or pnpm --filter @anneal/web build)');
    return null;
  }
  const next = createRequire(join(web, 'package.json')).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', host], {
    cwd: web,
    env: { ...process.env, ANNEAL_API_URL: api, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  console.log(`dashboard on http://${host}:${port} (sign in as admin@localhost)`);
  return child;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Expected failures (bad config, missing files, unknown user) are one line naming what was wrong; set
  // ANNEAL_DEBUG=1 for the stack.
  console.error(process.env.ANNEAL_DEBUG ? e : `anneal: ${(e as Error).message}`);
  process.exitCode = 1;
}
