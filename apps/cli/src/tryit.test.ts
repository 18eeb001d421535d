// The worker's cache of loaded try-it models (tryit.ts ModelCache): a model is loaded once per key while it is
// among the last `size` used, the least recently used one is disposed to make room, and a load that failed is
// not kept (the next request tries again).
import { describe, expect, it } from 'vitest';
import { ModelCache } from './tryit.ts';

function fake(name: string, disposed: string[]) {
  return { kind: 'generate' as const, model: { name, dispose: () => disposed.push(name) } as never };
}

describe('the try-it model cache', () => {
  it('loads each model once while it is recent, disposing the least recently used', async () => {
    const loads: string[] = [];
    const disposed: string[] = [];
    const cache = new ModelCache(2);
    const get = (k: string) =>
      cache.get(k, async () => {
        loads.push(k);
        return fake(k, disposed);
      });
    const a = await get('a');
    expect(await get('a')).toBe(a);
    await get('b');
    await get('a'); // a is now the most recent: b goes when c comes
    await get('c');
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toEqual(['a', 'b', 'c']);
    expect(disposed).toEqual(['b']);
    expect(cache.keys()).toEqual(['a', 'c']);
    await get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
    cache.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(disposed.sort()).toEqual(['a', 'b', 'b', 'c']);
  });

  it('shares one load between concurrent requests and forgets a load that failed', async () => {
    const cache = new ModelCache(2);
    let n = 0;
    const failing = () =>
      cache.get('x', async () => {
        n++;
        throw new Error('download refused');
      });
    const both = await Promise.allSettled([failing(), failing()]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(n).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.keys()).toEqual([]);
    await expect(failing()).rejects.toThrow('download refused');
    expect(n).toBe(2);
  });
});
