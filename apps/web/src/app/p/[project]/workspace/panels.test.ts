import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  defaultPanels,
  groupCurve,
  groupRuns,
  histogram,
  lineSeries,
  numberOf,
  type PanelRun,
  valueAt,
} from './panels';
import { fromColumns, seriesQuery, seriesRequests } from './useSeries';

const run = (id: string, config: unknown, summary: unknown = {}): PanelRun => ({
  id,
  name: id,
  config,
  summary,
});

describe('workspace panels', () => {
  it('makes one default line panel per metric key family, validation first, capped', () => {
    const ps = defaultPanels(['train/loss', 'val/loss', 'val/acc', 'epoch', 'test/f1']);
    expect(ps.map((p) => p.title)).toEqual(['val/*', 'test/f1', 'train/loss', 'epoch']);
    expect(ps[0]).toMatchObject({ kind: 'line', metrics: ['val/acc', 'val/loss'], x: 'step' });
    expect(defaultPanels(Array.from({ length: 20 }, (_, i) => `k${i}`))).toHaveLength(8);
  });

  it('reads values at config paths, summary keys holding dots or slashes, and non-finite summaries', () => {
    const r = run('a', { optim: { lr: 0.1 }, 'a.b': 2 }, { 'val/loss': 'NaN', 'x.y': 3 });
    expect([valueAt(r, 'config.optim.lr'), valueAt(r, 'config.a.b'), valueAt(r, 'summary.x.y')]).toEqual([
      0.1, 2, 3,
    ]);
    expect(numberOf(valueAt(r, 'summary.val/loss'))).toBeNaN();
    expect(numberOf('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(valueAt(r, 'config.missing.deep')).toBeUndefined();
  });

  it("groups runs by a key and draws a group's mean with its min–max band", () => {
    const groups = groupRuns(
      [run('a', { arch: 's' }), run('b', { arch: 's' }), run('c', { arch: 'l' })],
      'config.arch',
    );
    expect(groups.map((g) => [g.name, g.runs.length])).toEqual([
      ['config.arch=s', 2],
      ['config.arch=l', 1],
    ]);
    const c = groupCurve([
      { xs: [0, 10], ys: [1, 3] },
      { xs: [0, 10], ys: [3, 5] },
    ]);
    expect(c.xs[0]).toBe(0);
    expect(c.xs[c.xs.length - 1]).toBe(10);
    expect([c.ys[0], c.lo?.[0], c.hi?.[0]]).toEqual([2, 1, 3]);
    expect([c.ys.at(-1), c.lo?.at(-1), c.hi?.at(-1)]).toEqual([4, 3, 5]);
    // A NaN in one run is the group's value there (a marker), not a silent gap.
    const n = groupCurve([
      { xs: [0, 1, 2], ys: [1, Number.NaN, 1] },
      { xs: [0, 1, 2], ys: [1, 1, 1] },
    ]);
    expect(n.ys.some(Number.isNaN)).toBe(true);
  });

  it('gives a line panel one series per run and metric, or per group with a band', () => {
    const runs = [run('a', { g: 1 }), run('b', { g: 1 })];
    const s = (id: string, key: string) => ({
      key,
      count: 2,
      buckets: [
        { x: 0, min: 1, max: 1, mean: id === 'a' ? 1 : 3 },
        { x: 5, min: 'NaN', max: 'NaN', mean: key === 'm2' ? 'NaN' : 2 },
      ],
    });
    const each = lineSeries(groupRuns(runs, null), ['m1', 'm2'], s);
    expect(each.map((x) => x.label)).toEqual(['a · m1', 'a · m2', 'b · m1', 'b · m2']);
    expect(each[1].ys[1]).toBeNaN();
    const grouped = lineSeries(groupRuns(runs, 'config.g'), ['m1'], s);
    expect(grouped).toHaveLength(1);
    expect(grouped[0].lo?.[0]).toBe(1);
    expect(grouped[0].hi?.[0]).toBe(3);
  });

  it('bins a histogram and counts non-finite values apart', () => {
    expect(histogram([0, 1, 2, 3, Number.NaN, Number.POSITIVE_INFINITY], 3)).toEqual({
      edges: [0, 1, 2, 3],
      counts: [1, 1, 2],
      nonFinite: 2,
    });
  });

  it('asks for every line panel in one query: one aliased metrics field per x-axis', () => {
    const reqs = seriesRequests([
      { id: 'a', kind: 'line', metrics: ['loss'], x: 'step' },
      { id: 'b', kind: 'line', metrics: ['acc', 'loss'], x: 'step' },
      { id: 'c', kind: 'line', metrics: ['loss'], x: 'metric:epoch' },
      { id: 'd', kind: 'bar', key: 'acc' },
    ]);
    expect(reqs).toEqual([
      { x: 'step', keys: ['acc', 'loss'] },
      { x: 'metric:epoch', keys: ['loss'] },
    ]);
    const { query, variables } = seriesQuery(reqs, 150);
    expect(query).toContain('s0: metrics(keys: $k0, xAxis: step, samples: 150)');
    expect(query).toContain('s1: metrics(keys: $k1, xKey: $x1, samples: 150)');
    expect(query.match(/compare\(/g)).toHaveLength(1);
    expect(variables).toEqual({ k0: ['acc', 'loss'], k1: ['loss'], x1: 'epoch' });
  });

  it("names the table's query without a selection, and both forms are valid against the API's schema", () => {
    const schema = buildSchema(
      readFileSync(new URL('../../../../../../api/schema.graphql', import.meta.url), 'utf8'),
    );
    const reqs = seriesRequests([
      { id: 'a', kind: 'line', metrics: ['loss'], x: 'step' },
      { id: 'c', kind: 'line', metrics: ['loss'], x: 'metric:epoch' },
    ]);
    const byTable = seriesQuery(reqs, 150, true).query;
    expect(byTable).toContain(
      'runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first)',
    );
    expect(byTable).not.toContain('compare(');
    // Every key (the default panels' request, sent before the project's keys are known): no keys argument.
    const every = seriesQuery([{ x: 'step', keys: null }], 150, true);
    expect(every.query).toContain('s0: metrics(xAxis: step, samples: 150)');
    expect(every.variables).toEqual({});
    for (const q of [byTable, seriesQuery(reqs, 150).query, every.query])
      expect(validate(schema, parse(q))).toEqual([]);
  });

  it('reads columns back as buckets, NaN kept', () => {
    expect(
      fromColumns({
        key: 'loss',
        count: 7,
        columns: { x: [0, 5], min: [1, 'NaN'], max: [2, 'NaN'], mean: [1.5, 'NaN'] },
      }),
    ).toEqual({
      key: 'loss',
      count: 7,
      buckets: [
        { x: 0, min: 1, max: 2, mean: 1.5 },
        { x: 5, min: 'NaN', max: 'NaN', mean: 'NaN' },
      ],
    });
  });
});
