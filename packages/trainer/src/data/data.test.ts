import { describe, expect, it } from 'vitest';
import { clean, stripEmailHeaders, stripHtml } from './clean.ts';
import { splitIndices } from './split.ts';

const OPTS = {
  stripEmailHeaders: true,
  stripHtml: true,
  normalizeUnicode: true,
  collapseWhitespace: true,
  minChars: 5,
  dedupe: true,
};

describe('cleaning', () => {
  it('strips headers and HTML, normalises, drops short and duplicate rows, and reports each step', () => {
    const rows = [
      { text: 'From: a@b.c\nSubject: hi\n\nHello   <b>world</b> &amp; all', label: 0 },
      { text: 'Hello world & all', label: 0 }, // a duplicate once cleaned
      { text: 'ｆｕｌｌｗｉｄｔｈ text', label: 1 },
      { text: '  hi ', label: 1 },
      { text: '', label: 1 },
    ];
    const { rows: out, report } = clean(rows, OPTS);
    expect(out.map((r) => r.text)).toEqual(['Hello world & all', 'fullwidth text']);
    expect(report).toEqual([
      { step: 'strip e-mail headers', changed: 1, removed: 0 },
      { step: 'strip HTML', changed: 1, removed: 0 },
      { step: 'normalise Unicode (NFKC)', changed: 1, removed: 0 },
      { step: 'collapse whitespace', changed: 2, removed: 0 },
      { step: 'drop shorter than 5 chars', changed: 0, removed: 2 },
      { step: 'drop duplicates (SHA-256 of text)', changed: 0, removed: 1 },
    ]);
  });

  it('leaves text that is not an e-mail alone; decodes numeric entities and drops scripts', () => {
    expect(stripEmailHeaders('Dear all,\n\nbody')).toBe('Dear all,\n\nbody');
    const mail = 'From: a@b.c\nSubject: Cheap\n  pills now\nTo: d@e.f\n\nbody';
    expect(stripEmailHeaders(mail)).toBe('body');
    expect(stripEmailHeaders(mail, true)).toBe('Cheap pills now\nbody');
    expect(stripHtml('<script>x()</script>a&#33;&#x21;<!-- c -->b')).toBe(' a!! b');
  });
});

describe('split', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30 % positives

  it('is disjoint, complete, sized like train_test_split, and reproducible by seed', () => {
    const s = splitIndices(1000, { validation: 0.1, test: 0.1, seed: 42, labels });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([800, 100, 100]);
    expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(1000);
    expect(splitIndices(1000, { validation: 0.1, test: 0.1, seed: 42, labels })).toEqual(s);
    expect(splitIndices(1000, { validation: 0.1, test: 0.1, seed: 43, labels }).test).not.toEqual(s.test);
  });

  it('stratifies: each part keeps the class ratio', () => {
    const s = splitIndices(1000, { validation: 0.1, test: 0.1, seed: 7, labels });
    for (const part of [s.train, s.validation, s.test]) {
      const pos = part.filter((i) => labels[i] === 1).length;
      expect(pos / part.length).toBeCloseTo(0.3, 2);
    }
  });

  it('rejects fractions that leave nothing to train on', () => {
    expect(() => splitIndices(10, { validation: 0.5, test: 0.5, seed: 1 })).toThrow(/must be < 1/);
  });
});
