// A run's attempts (Run.attempts): each start of the run — the first, a queue retry after a crash, `anneal
// train` resuming it — with its status, times, machine and why it ended. The console is stored per attempt
// (Run.logs(attempt)); the points a retry's rewind removed stay readable on the attempt that rewound.

import { rewoundPoints, runAttempts } from '@anneal/db/schema/runs';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
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
        // Drizzle maps the columns (bigint step and float8 value, NaN and ±Infinity included) as for any read.
        return ctx.h.db
          .select({
            key: rewoundPoints.key,
            step: rewoundPoints.step,
            time: rewoundPoints.wallTime,
            value: rewoundPoints.value,
          })
          .from(rewoundPoints)
          .where(
            and(
              eq(rewoundPoints.runId, a.runId),
              eq(rewoundPoints.attempt, a.number),
              gt(rewoundPoints.step, args.afterStep ?? -1),
              inArray(rewoundPoints.key, args.keys),
            ),
          )
          .orderBy(asc(rewoundPoints.key), asc(rewoundPoints.step))
          .limit(first);
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
