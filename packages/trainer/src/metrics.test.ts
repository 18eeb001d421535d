import { describe, expect, it } from 'vitest';
import { accuracy, classificationReport, confusionMatrix, perClass, perplexity, rocAuc } from './metrics.ts';

// Expected values recorded from scikit-learn 1.2 (Debian's python3-sklearn) on the same inputs.
const y = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1];
const p1 = [0.1, 0.8, 0.35, 0.35, 0.9, 0.2, 0.6, 0.35, 0.7, 0.05, 0.5, 0.2]; // ties at 0.35 and 0.2

describe('metrics', () => {
  it('binary classification report matches scikit-learn', () => {
    const probs = p1.flatMap((p) => [1 - p, p]);
    const r = classificationReport(y, probs, 2);
    expect(r.accuracy).toBeCloseTo(0.5833333333333334, 14);
    expect(r.precision).toBeCloseTo(0.75, 14);
    expect(r.recall).toBeCloseTo(0.42857142857142855, 14);
    expect(r.f1).toBeCloseTo(0.5454545454545454, 14);
    expect(r.macroF1).toBeCloseTo(0.5804195804195804, 14);
    expect(r.confusion).toEqual([
      [4, 1],
      [4, 3],
    ]);
    expect(r.rocAuc).toBeCloseTo(0.8142857142857143, 14); // roc_auc_score(y, p1), ties averaged
  });

  it('macro averages over three classes match scikit-learn', () => {
    const s = perClass(confusionMatrix([0, 1, 2, 2, 1, 0, 2, 1], [0, 2, 2, 2, 1, 0, 1, 1], 3));
    const mean = (k: 'f1' | 'precision' | 'recall') => s.reduce((a, c) => a + c[k], 0) / 3;
    expect(mean('f1')).toBeCloseTo(0.7777777777777777, 14);
    expect(mean('precision')).toBeCloseTo(0.7777777777777777, 14);
    expect(mean('recall')).toBeCloseTo(0.7777777777777777, 14);
  });

  it('ROC-AUC edge cases: perfect, inverted, all tied, one class', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('zero division gives 0, like zero_division=0; perplexity is exp(loss)', () => {
    expect(perClass(confusionMatrix([0, 0], [0, 0], 2))[1]).toEqual({
      precision: 0,
      recall: 0,
      f1: 0,
      support: 0,
    });
    expect(accuracy([], [])).toBe(0);
    expect(perplexity(Math.log(50))).toBeCloseTo(50, 10);
    expect(() => accuracy([1], [])).toThrow(/1 labels but 0 predictions/);
  });
});
