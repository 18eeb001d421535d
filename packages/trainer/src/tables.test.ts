// The tables a run logs: a classifier's predictions ordered worst-misclassified first, texts cut whole.
import { describe, expect, it } from 'vitest';
import { cellText, predictionTable, samplesTable, truncateText } from './tables.ts';

describe('predictionTable', () => {
  it('puts the misclassified first, most confidently wrong first, then the right ones least confident first', () => {
    const examples = [
      { text: 'right, sure', label: 0 },
      { text: 'wrong, barely', label: 1 },
      { text: 'right, unsure', label: 2 },
      { text: 'wrong, badly', label: 0 },
      { text: 'wrong, badly too', label: 0 },
    ];
    // (N, K = 3): rows sum to 1.
    const probs = Float64Array.from(
      [
        [0.9, 0.05, 0.05],
        [0.3, 0.25, 0.45],
        [0.3, 0.3, 0.4],
        [0.05, 0.9, 0.05],
        [0.05, 0.05, 0.9],
      ].flat(),
    );
    const t = predictionTable(examples, probs, 3, { maxRows: 10, textChars: 100 });
    expect(t.columns).toEqual(['text', 'label', 'prediction', 'probability', 'p_label', 'correct']);
    expect(t.rows).toEqual([
      ['wrong, badly', 0, 1, 0.9, 0.05, false],
      ['wrong, badly too', 0, 2, 0.9, 0.05, false],
      ['wrong, barely', 1, 2, 0.45, 0.25, false],
      ['right, unsure', 2, 2, 0.4, 0.4, true],
      ['right, sure', 0, 0, 0.9, 0.9, true],
    ]);
    expect(predictionTable(examples, probs, 3, { maxRows: 2, textChars: 5 }).rows).toEqual([
      ['wron…', 0, 1, 0.9, 0.05, false],
      ['wron…', 0, 2, 0.9, 0.05, false],
    ]);
    expect(() => predictionTable(examples, probs.subarray(3), 3, { maxRows: 1, textChars: 1 })).toThrow(
      /12 probabilities for 5 examples × 3 classes/,
    );
  });

  it('cuts text on whole characters and lists samples by prompt', () => {
    expect(truncateText('😀😀😀', 2)).toBe('😀…');
    expect(truncateText('short', 5)).toBe('short');
    // What the API refuses in a cell (NUL, a lone surrogate) is replaced, so the table is not lost for it.
    expect(cellText('a\u0000b\ud800c\udc00d😀')).toBe('a\ufffdb\ufffdc\ufffdd😀');
    expect(samplesTable([{ prompt: 'x\u0000', text: 'y' }]).rows).toEqual([['x\ufffd', 'y']]);
    expect(samplesTable([{ prompt: 'The', text: ' jury said' }])).toEqual({
      columns: ['prompt', 'text'],
      rows: [['The', ' jury said']],
    });
  });
});
