// `anneal agent <sweep id> [--count N]`: runs the trials of a sweep of any program, as `wandb agent` and
// `python -m anneal agent` (clients/python/anneal/agent.py) do, with the same behaviour: each trial is claimed
// with claimSweepRun (atomic on the server: agents on several machines never get the same proposal), its command
// built from the sweep's `command` (agent/macros.ts) and run with ANNEAL_SWEEP_ID, ANNEAL_RUN_ID,
// ANNEAL_RUN_ATTEMPT, ANNEAL_SWEEP_PARAMS, ANNEAL_SWEEP_PARAM_PATH and ANNEAL_PROJECT set, so the SDK inside
// (`anneal.init()`, or the TypeScript client) joins the claimed run, which records the script's console. The
// metric is what the script logs; a trial the controller prunes shows `stopRequested` on the agent's heartbeat,
// and the agent sends SIGTERM, then SIGKILL after --grace seconds, and finishes the run pruned (or stopped).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError } from 'commander';
import { buildCommand } from '../agent/macros.ts';

const CLAIM = `mutation($id: ID!, $host: String) { claimSweepRun(sweepId: $id, host: $host) {
  runId project attempt params command program sweepState } }`;
// The agent beats for its trial (the script's own SDK beats too once it is up) and learns of a stop from it.
const BEAT = 'mutation($id: ID!) { heartbeat(runId: $id) { status stopRequested stopReason } }';
const RUN_STATE = 'query($id: ID!) { run(id: $id) { status stopRequested stopReason } }';
const FINISH = 'mutation($id: ID!, $s: RunStatus) { finishRun(runId: $id, status: $s) { id } }';

interface Claim {
  runId: string | null;
  project: string | null;
  attempt: number | null;
  params: Record<string, unknown> | null;
  command: unknown[] | null;
  program: string | null;
  sweepState: string;
}

/** The API could not be reached, or answered with a transient failure: the trial goes on regardless. */
class Unreachable extends Error {}

interface Api {
  url: string;
  key: string;
}

async function graphql<T>(
  api: Api,
  query: string,
  variables: Record<string, unknown>,
  timeoutS = 30,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutS * 1000),
    });
  } catch (e) {
    throw new Unreachable(`agent: the API at ${api.url} is unreachable: ${(e as Error).message}`);
  }
  if ([429, 502, 503, 504].includes(res.status))
    throw new Unreachable(`agent: the API answered HTTP ${res.status}`);
  const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
  if (!body) throw new Error(`agent: the API answered HTTP ${res.status} without JSON`);
  if (body.errors?.length) throw new Error(`agent: ${body.errors[0].message}`);
  return body.data as T;
}

async function finish(api: Api, runId: string, status: string): Promise<void> {
  await graphql(api, FINISH, { id: runId, s: status }, 10).catch(() => {});
}

const exited = (proc: ChildProcess) =>
  new Promise<number>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.exitCode ?? 128);
    else proc.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

/** SIGTERM, then SIGKILL when it has not ended after `graceS` seconds. */
async function stopChild(proc: ChildProcess, graceS: number): Promise<number> {
  const done = exited(proc);
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceS * 1000);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

export interface AgentOptions {
  count?: number;
  graceS: number;
  pollS: number;
  idleS: number;
  /** Set by SIGINT/SIGTERM to the agent: the running trial is stopped and no other is claimed. */
  signal: AbortSignal;
}

/** Runs one claimed trial to its end; returns the child's exit code (0 when the agent stopped it). */
async function runTrial(api: Api, sweepId: string, claim: Claim & { runId: string }, o: AgentOptions) {
  const params = claim.params ?? {};
  const dir = mkdtempSync(join(tmpdir(), `anneal-${claim.runId}-`));
  const jsonFile = join(dir, 'params.json');
  writeFileSync(jsonFile, JSON.stringify(params));
  const cmd = buildCommand(claim.command, claim.program, params, {
    jsonFile,
    interpreter: process.env.ANNEAL_PYTHON ?? 'python3',
    env: process.platform === 'win32' ? [] : ['/usr/bin/env'],
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANNEAL_API_URL: api.url,
    ANNEAL_API_KEY: api.key,
    ANNEAL_SWEEP_ID: sweepId,
    ANNEAL_RUN_ID: claim.runId,
    ANNEAL_SWEEP_PARAMS: JSON.stringify(params),
    ANNEAL_SWEEP_PARAM_PATH: jsonFile,
  };
  if (claim.project) env.ANNEAL_PROJECT = claim.project;
  if (claim.attempt !== null && claim.attempt !== undefined) env.ANNEAL_RUN_ATTEMPT = String(claim.attempt);
  console.log(`anneal agent: ${claim.runId}: ${cmd.join(' ')}`);
  try {
    // The child's console goes straight through; the SDK inside records it as the run's console.
    const proc = spawn(cmd[0], cmd.slice(1), { env, stdio: 'inherit' });
    const started = await new Promise<Error | null>((resolve) => {
      proc.once('spawn', () => resolve(null));
      proc.once('error', resolve);
    });
    if (started) {
      console.error(`anneal agent: ${claim.runId}: cannot start ${cmd[0]}: ${started.message}`);
      await finish(api, claim.runId, 'failed');
      return 127;
    }
    const done = exited(proc);
    for (;;) {
      const ended = await Promise.race([
        done,
        sleep(o.pollS * 1000, null, { signal: o.signal }).catch(() => null),
      ]);
      if (ended !== null) return ended;
      if (o.signal.aborted) {
        // The agent itself is interrupted: stop its trial too rather than orphan it.
        await stopChild(proc, o.graceS);
        await finish(api, claim.runId, 'stopped');
        return 0;
      }
      const state = await graphql<{ heartbeat: { stopRequested: boolean; stopReason: string | null } }>(
        api,
        BEAT,
        { id: claim.runId },
        10,
      ).catch(() => null); // the API is away, or refused the beat: the trial goes on
      if (state?.heartbeat.stopRequested) {
        const reason = state.heartbeat.stopReason ?? 'user';
        console.log(`anneal agent: ${claim.runId}: stopping it (${reason})`);
        await stopChild(proc, o.graceS);
        await finish(api, claim.runId, reason === 'pruned' ? 'pruned' : 'stopped');
        return 0;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs trials until the sweep is done (or `count` trials); returns how many ran. */
export async function agent(api: Api, sweepId: string, o: AgentOptions): Promise<number> {
  let ran = 0;
  while ((o.count === undefined || ran < o.count) && !o.signal.aborted) {
    const { claimSweepRun: claim } = await graphql<{ claimSweepRun: Claim }>(api, CLAIM, {
      id: sweepId,
      host: hostname(),
    });
    if (!claim.runId) {
      if (claim.sweepState === 'finished' || claim.sweepState === 'cancelled') break;
      // Paused, or every allowed trial is running: wait for a slot.
      await sleep(o.idleS * 1000, null, { signal: o.signal }).catch(() => {});
      continue;
    }
    const runId = claim.runId;
    const code = await runTrial(api, sweepId, { ...claim, runId }, o);
    if (code !== 0) {
      // A script that died without finishing its run: say so on the run.
      const state = await graphql<{ run: { status: string } | null }>(
        api,
        RUN_STATE,
        { id: runId },
        10,
      ).catch(() => null);
      if (state?.run?.status === 'running') await finish(api, runId, 'failed');
    }
    ran++;
  }
  return ran;
}

/** ANNEAL_API_KEY, else the key `anneal api` wrote to <ANNEAL_DATA_DIR or .anneal>/api-key (as the Python SDK reads it). */
function defaultKey(): string {
  if (process.env.ANNEAL_API_KEY) return process.env.ANNEAL_API_KEY;
  try {
    return readFileSync(join(process.env.ANNEAL_DATA_DIR ?? '.anneal', 'api-key'), 'utf8').trim();
  } catch {
    return '';
  }
}

function positive(name: string, integer: boolean) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(
        `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`,
      );
    return n;
  };
}

export const agentCommand = new Command('agent')
  .description(
    "run the trials of a sweep with a program or command (W&B sweep files): claims proposals from ANNEAL_API_URL, runs the sweep's command for each, stops pruned trials",
  )
  .argument('<sweep>', 'the sweep id')
  .option('--count <n>', 'run at most N trials, then exit', positive('--count', true))
  .option('--grace <seconds>', 'after SIGTERM, wait this long before SIGKILL', positive('--grace', false), 10)
  .option(
    '--poll <seconds>',
    'how often to beat for the trial and check for a stop',
    positive('--poll', false),
    2,
  )
  .action(async (sweep: string, o: { count?: number; grace: number; poll: number }) => {
    const url = (process.env.ANNEAL_API_URL ?? '').replace(/\/$/, '');
    if (!url)
      throw new Error('agent: set ANNEAL_API_URL (and ANNEAL_API_KEY) to the API that holds the sweep');
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const ran = await agent({ url, key: defaultKey() }, sweep, {
        count: o.count,
        graceS: o.grace,
        pollS: o.poll,
        idleS: 2,
        signal: stop.signal,
      });
      console.log(`anneal agent: ran ${ran} trial(s)`);
      if (stop.signal.aborted) process.exitCode = 130;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
