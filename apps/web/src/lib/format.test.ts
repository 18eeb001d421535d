import { describe, expect, it } from 'vitest';
import { count, fmt, paramPairs, readable, tickLabels } from './format';
import { groupBySplit, headlineOrder, lowerIsBetter, splitKey } from './splits';

describe('dashboard formatting', () => {
  it('labels chart ticks so neighbouring small values differ, without float noise', () => {
    expect(tickLabels(null, [0.0004, 0.0006, 0.0008, 0.001])).toEqual([
      '0.0004',
      '0.0006',
      '0.0008',
      '0.001',
    ]);
    expect(tickLabels(null, [0.1 + 0.2, 1800, 2.5e-7])).toEqual(['0.3', '1800', '2.5e-7']);
  });

  it('counts with the singular for one and formats table cells', () => {
    expect([count(0, 'run'), count(1, 'run'), count(2, 'point')]).toEqual(['0 runs', '1 run', '2 points']);
    expect([fmt(3), fmt(0.123456), fmt(null)]).toEqual(['3', '0.1235', '']);
  });
});

describe('metric keys by split', () => {
  it('groups train, val, test, other prefixes, then keys without one; the loss first within a split', () => {
    const groups = groupBySplit(
      ['test/f1', 'epoch', 'val/loss', 'system/rss_mb', 'train/lr', 'val/f1', 'train/loss', 'test/loss'].map(
        (k) => [k, k] as [string, string],
      ),
    );
    expect(groups.map((g) => [g.split, g.items.map((i) => i.name)])).toEqual([
      ['train', ['loss', 'lr']],
      ['val', ['loss', 'f1']],
      ['test', ['loss', 'f1']],
      ['system', ['rss_mb']],
      ['', ['epoch']],
    ]);
    expect(splitKey('/odd')).toEqual({ split: '', name: '/odd' });
  });

  it('offers headline metrics first as columns: F1, accuracy, ROC-AUC, perplexity, loss; val, test, train', () => {
    expect(headlineOrder(['epoch', 'train/loss', 'test/f1', 'val/loss', 'val/f1', 'test/accuracy'])).toEqual([
      'val/f1',
      'test/f1',
      'test/accuracy',
      'val/loss',
      'train/loss',
      'epoch',
    ]);
    expect(['val/loss', 'test/perplexity', 'val/f1'].map(lowerIsBetter)).toEqual([true, true, false]);
  });
});

describe('sweep parameters', () => {
  it('shows sweep parameters readably: no 17-digit floats, no raw JSON', () => {
    expect([readable(0.001), readable(0.00031622776601683794), readable(1234567.891), readable(42)]).toEqual([
      '0.001',
      '0.0003162',
      '1235000',
      '42',
    ]);
    expect(readable({ kind: 'adamw', betas: [0.9, 0.9990000000000001] })).toBe(
      '{kind: adamw, betas: [0.9, 0.999]}',
    );
    expect(paramPairs({ 'optim.lr': 0.0031622776601683794, layers: 2, 'optim.kind': 'sgd' })).toEqual([
      ['layers', '2'],
      ['optim.kind', 'sgd'],
      ['optim.lr', '0.003162'],
    ]);
    expect(paramPairs(null)).toEqual([]);
  });
});
