// Console logs: the lines each attempt of a run printed (stdout / stderr, numbered by the client so a replayed
// line is stored once), read forward from a sequence number or from the end.

import type { logLines } from '@anneal/db/schema/runs';
import { sql } from 'drizzle-orm';
import { loadRun } from '../access.ts';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';
import { checkLogLines } from '../limits.ts';
import { pgArray } from '../metrics.ts';
import type { SqlRow } from '../rows.ts';
import { ATTEMPT_ARG, attemptOf, Run } from './run.ts';

type LogLine = Pick<SqlRow<typeof logLines>, 'seq' | 'stream' | 'line' | 'time'>;
const LogLineRef = builder.objectRef<LogLine>('LogLine').implement({
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    stream: t.exposeString('stream'),
    line: t.exposeString('line'),
    time: t.field({ type: 'DateTime', resolve: (l) => new Date(l.time) }),
  }),
});

const LogLineInput = builder.inputType('LogLineInput', {
  fields: (t) => ({
    seq: t.int({ required: true, description: 'client sequence number: a replayed line is stored once' }),
    stream: t.string({ required: false, defaultValue: 'stdout' }),
    line: t.string({ required: true }),
    time: t.field({ type: 'DateTime', required: false }),
  }),
});

builder.objectFields(Run, (t) => ({
  logs: t.field({
    type: [LogLineRef],
    description:
      'Console lines of one attempt in order: the first `first` after `afterSeq` (default 1000), or the last `last` (the end of a long run: its final metrics). At most 10000.',
    args: {
      attempt: t.arg.int({ required: false, description: ATTEMPT_ARG }),
      afterSeq: t.arg.int({ required: false, defaultValue: -1 }),
      first: t.arg.int({ required: false }),
      last: t.arg.int({ required: false }),
    },
    resolve: (r, a, ctx) => {
      if (a.first != null && a.last != null) throw badInput('last', 'give first or last, not both');
      const n = a.last ?? a.first ?? 1000;
      if (n < 0 || n > 10_000)
        throw badInput(a.last != null ? 'last' : 'first', 'must be between 0 and 10000');
      const attempt = attemptOf(r, a.attempt);
      const lines = sql`select seq, stream, line, time from log_lines
          where run_id = ${r.id}::uuid and attempt = ${attempt} and seq > ${a.afterSeq ?? -1}`;
      return ctx.h.rows<LogLine>(
        a.last != null
          ? sql`select * from (${lines} order by seq desc limit ${n}) t order by seq`
          : sql`${lines} order by seq limit ${n}`,
      );
    },
  }),
  logCount: t.int({
    description: 'How many console lines an attempt of the run has.',
    args: { attempt: t.arg.int({ required: false, description: ATTEMPT_ARG }) },
    resolve: async (r, a, ctx) =>
      Number(
        (
          await ctx.h.rows<{ n: number }>(
            sql`select count(*)::int as n from log_lines where run_id = ${r.id}::uuid and attempt = ${attemptOf(r, a.attempt)}`,
          )
        )[0].n,
      ),
  }),
}));

builder.mutationFields((t) => ({
  appendLogs: t.field({
    type: 'Int',
    description:
      "Appends console lines to an attempt (default: the run's latest); returns how many were new ((run, attempt, seq) is unique).",
    args: {
      runId: t.arg.id({ required: true }),
      lines: t.arg({ type: [LogLineInput], required: true }),
      attempt: t.arg.int({ required: false, description: ATTEMPT_ARG }),
    },
    resolve: async (_p, a, ctx) => {
      const run = await loadRun(ctx, String(a.runId), 'member');
      const attempt = attemptOf(run, a.attempt);
      checkLogLines(a.lines);
      if (!a.lines.length) return 0;
      const [{ n }] = await ctx.h.rows<{ n: number }>(sql`with ins as (
          insert into log_lines (run_id, attempt, seq, stream, line, time)
          select ${run.id}::uuid, ${attempt}::int, s, st, l, t from unnest(${pgArray(a.lines.map((l) => String(l.seq)))}::int[],
            ${pgArray(a.lines.map((l) => l.stream ?? 'stdout'))}::text[], ${pgArray(a.lines.map((l) => l.line))}::text[],
            ${pgArray(a.lines.map((l) => (l.time ?? new Date()).toISOString()))}::timestamptz[]) u(s, st, l, t)
          on conflict (run_id, attempt, seq) do nothing returning 1) select count(*)::int as n from ins`);
      return Number(n);
    },
  }),
}));
