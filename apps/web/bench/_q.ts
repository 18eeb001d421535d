import { bootstrap } from '@anneal/api/bootstrap';
import { querySeries } from '@anneal/api/metrics';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { seedWorkspace, WS_KEYS } from './seed-workspace.ts';
const db = await freshDatabase('pglite');
await bootstrap(db.handle);
const [{ id: project }] = await db.handle.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
let t = performance.now();
const ws = await seedWorkspace(db.handle, project);
console.log('seed ms', performance.now() - t);
const ids = (await db.handle.rows<{ id: string }>(sql`select id from runs where project_id = ${ws}::uuid`)).map((r) => r.id);
for (const samples of [150, 150, 300]) {
  t = performance.now();
  const s = await querySeries(db.handle, ids, { keys: WS_KEYS, xAxis: 'step', samples });
  console.log('samples', samples, 'series', s.length, 'buckets', s[0].buckets.length, 'ms', (performance.now() - t).toFixed(0));
}
await db.drop();
