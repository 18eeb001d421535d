// A run's attempts (Run.attempts): each start of the run — the first, a queue retry after a crash, `anneal
// train` resuming it — with its status, times, machine and why it ended. The console is stored per attempt
// (Run.logs(attempt)); the points a retry's rewind removed stay readable on the attempt that rewound.

import { runAttempts } from '@anneal/db/schema/runs';
import { asc, eq, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';
import { historyArgs, pointType } from './metrics.ts';
import { Run, RunStatusEnum } from './run.ts';

type Attempt = typeof runAttempts.$inferSelect;

const RewoundPointRef = pointType(
  'RewoundPoint',
  'A point a rewind removed: the value an earlier attempt logged at this step.',
);

const RunAttemptRef = builder.objectRef<Attempt>('RunAttempt').implement({
  description:
    "One start of a run: the first, a queue retry after a crash, or a resume. The run's status is its latest attempt's.",
  fields: (t) => ({
    number: t.exposeInt('number', { description: '1, 2, …; Run.logs(attempt) reads its console' }),
    status: t.field({ type: RunStatusEnum, resolve: (a) => a.status }),
    startedAt: t.field({ type: 'DateTime', resolve: (a) => a.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.finishedAt }),
    host: t.string({ nullable: true, resolve: (a) => a.host }),
    reason: t.string({
      nullable: true,
      description:
        "Why it ended, where not plainly: 'no heartbeat for 60 s', 'attempt 3 started', a stop's reason or a pruning's detail.",
      resolve: (a) => a.reason,
    }),
    rewound: t.field({
      type: [RewoundPointRef],
      description:
        "The points this attempt's rewind removed (a retry restarts from its checkpoint's step): what earlier attempts had logged from there, by key and step, at most `first` after `afterStep`.",
      args: historyArgs,
      resolve: async (a, args, ctx) => {
        const first = args.first ?? 10_000;
        if (!Number.isInteger(first) || first < 1 || first > 100_000)
          throw badInput('first', `must be an integer in 1..100000, got ${first}`);
        if (!args.keys.length) return [];
        const rows = await ctx.h.rows<{ key: string; step: string; wall_time: Date; value: number | string }>(
          sql`select key, step, wall_time, value from rewound_points
            where run_id = ${a.runId}::uuid and attempt = ${a.number} and step > ${args.afterStep ?? -1}
              and key in (${sql.join(
                args.keys.map((k) => sql`${k}`),
                sql`, `,
              )})
            order by key, step limit ${first}`,
        );
        return rows.map((r) => ({
          key: r.key,
          step: Number(r.step),
          time: new Date(r.wall_time),
          value: Number(r.value),
        }));
      },
    }),
  }),
});

builder.objectField(Run, 'attempts', (t) =>
  t.field({
    type: [RunAttemptRef],
    description: 'Every start of the run, oldest first (none for a run that never started).',
    resolve: (r, _a, ctx) =>
      ctx.h.db.select().from(runAttempts).where(eq(runAttempts.runId, r.id)).orderBy(asc(runAttempts.number)),
  }),
);

builder.objectField(Run, 'attempt', (t) =>
  t.int({
    description:
      "The latest attempt's number (1 until a retry or a resume); Run.logs reads its console by default.",
    resolve: (r) => r.attempt,
  }),
);
