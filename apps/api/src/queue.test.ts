// The run queue on both engines: pg-boss installs its schema through DbHandle.execute, and concurrent workers
// never claim the same job.
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { describe, expect, it } from 'vitest';
import { openQueue, RUNS_QUEUE } from './queue.ts';

describe.each(ENGINES)('run queue on %s', (engine) => {
  it('hands each job to exactly one of several concurrent workers', async () => {
    const db = await freshDatabase(engine);
    const queue = await openQueue(db.handle);
    try {
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, i) => queue.send(RUNS_QUEUE, { runId: `r${i}` })),
      );
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      // Four "workers" fetch at the same time until the queue is empty.
      const claimed: string[][] = [[], [], [], []];
      await Promise.all(
        claimed.map(async (mine) => {
          for (;;) {
            const jobs = await queue.fetch<{ runId: string }>(RUNS_QUEUE, { batchSize: 2 });
            if (!jobs?.length) return;
            for (const j of jobs) {
              mine.push(j.data.runId);
              await queue.complete(RUNS_QUEUE, j.id);
            }
          }
        }),
      );
      const all = claimed.flat();
      expect(all.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`).sort());
      expect(new Set(all).size).toBe(12);
    } finally {
      await queue.stop({ graceful: false, close: false });
      await db.drop();
    }
  });
});
