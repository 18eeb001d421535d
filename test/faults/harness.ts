// Processes for the fault-injection tests: `anneal api` / `anneal worker` as child processes on a Postgres
// database, the logging process (logger.ts), and the counts each test asserts and prints. Everything listens
// on 127.0.0.1 only, and every wait is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect } from '@anneal/db/client';
import { BIN, ROOT } from '../stack.ts';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A child process whose output is kept, with a way to wait for a line that matches. */
export class Proc {
  readonly child: ChildProcess;
  out = '';
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>, cwd = ROOT) {
    this.child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (b: Buffer) => {
      this.out += b.toString();
      this.waiters = this.waiters.filter((w) => {
        const m = this.out.match(w.re);
        if (m) w.resolve(m);
        return !m;
      });
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  /** Resolves with the first match of `re` in the output; rejects after `ms` or when the process exits. */
  waitFor(re: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
    const m = this.out.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${this.out}`)), ms);
      void this.exited.then((code) =>
        setTimeout(() => reject(new Error(`exited (${code}) before ${re}; output:\n${this.out}`)), 50),
      );
      this.waiters.push({
        re,
        resolve: (x) => {
          clearTimeout(t);
          resolve(x);
        },
      });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL') {
    this.child.kill(signal);
    return this.exited;
  }
}

/** `anneal api` on `databaseUrl`, listening on `port`; resolves once it serves. */
export async function startApi(
  databaseUrl: string,
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
) {
  const api = new Proc([BIN, 'api', '--port', String(port), '--no-worker'], {
    DATABASE_URL: databaseUrl,
    ANNEAL_DATA_DIR: dataDir,
    ...env,
  });
  await api.waitFor(/Anneal API on /);
  return { api, url: `http://127.0.0.1:${port}`, key: readFileSync(join(dataDir, 'api-key'), 'utf8').trim() };
}

/** `anneal worker` on `databaseUrl`, logging through the API; run directories under `dir`. */
export async function startWorker(databaseUrl: string, apiUrl: string, key: string, dir: string) {
  const worker = new Proc(
    [BIN, 'worker'],
    {
      DATABASE_URL: databaseUrl,
      ANNEAL_API_URL: apiUrl,
      ANNEAL_API_KEY: key,
      ANNEAL_DATA_DIR: join(dir, '.anneal'),
    },
    dir,
  );
  await worker.waitFor(/waiting for runs on /);
  return worker;
}

/** Starts logger.ts against the API; `dataDir` holds its spool. */
export function startLogger(url: string, key: string, dataDir: string, env: Record<string, string> = {}) {
  return new Proc(['--import', 'tsx', join(ROOT, 'test/faults/logger.ts')], {
    ANNEAL_API_URL: url,
    ANNEAL_API_KEY: key,
    ANNEAL_DATA_DIR: dataDir,
    ...env,
  });
}

export interface Tally {
  fault: string;
  sent: number;
  stored: number;
  wrong: number;
  duplicates: number;
  status: string;
}

/**
 * What arrived of a logger run: points stored, points whose value is not the one sent, console lines stored
 * more than once (by content: a line re-sent under a new sequence number would show here) and the status.
 */
export async function tally(databaseUrl: string, runName: string, fault: string, steps: number) {
  const h = await connect({ kind: 'postgres', url: databaseUrl });
  try {
    const [r] = await h.query<{ id: string; status: string }>('select id, status from runs where name = $1', [
      runName,
    ]);
    if (!r) return { fault, sent: steps * 3, stored: 0, wrong: 0, duplicates: 0, status: '(no run)' };
    const [p] = await h.query<{ n: number; wrong: number }>(
      `select count(*)::int as n,
         count(*) filter (where value <> step * 10 + (case key when 'train/a' then 0 when 'train/b' then 1 else 2 end) + 0.25)::int as wrong
       from metric_points where run_id = $1`,
      [r.id],
    );
    const [d] = await h.query<{ dup: number; lines: number }>(
      `select coalesce(sum(n - 1), 0)::int as dup, coalesce(sum(n), 0)::int as lines
       from (select line, count(*) as n from log_lines where run_id = $1 group by line) x`,
      [r.id],
    );
    return {
      fault,
      sent: steps * 3,
      stored: p.n,
      wrong: p.wrong,
      duplicates: d.dup,
      lines: d.lines,
      status: r.status,
    };
  } finally {
    await h.close();
  }
}

/** The table the suite prints: fault, points sent, points stored, duplicates, final status. */
export function printTable(rows: Tally[]) {
  const head = ['fault', 'points sent', 'points stored', 'wrong values', 'duplicates', 'final status'];
  const body = rows.map((r) => [r.fault, r.sent, r.stored, r.wrong, r.duplicates, r.status].map(String));
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  console.log(
    ['', line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...body.map(line), ''].join('\n'),
  );
}
