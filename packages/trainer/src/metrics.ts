// Evaluation metrics, with scikit-learn's definitions: accuracy, confusion matrix, precision / recall / F1
// per class, binary (positive class 1) and macro-averaged (zero_division = 0), exact ROC-AUC from sorted
// scores with ties at their average rank (= roc_auc_score), and perplexity = exp(mean cross-entropy).

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return yTrue.length ? ok / yTrue.length : 0;
}

/** cm[t][p] = count of examples with true class t predicted as p. */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): number[][] {
  check(yTrue, yPred);
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) cm[yTrue[i]][yPred[i]]++;
  return cm;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function perClass(cm: number[][]): ClassScores[] {
  return cm.map((row, k) => {
    const tp = row[k];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, r) => a + r[k], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/**
 * Exact area under the ROC curve for binary labels (1 = positive) and real-valued scores: the Mann-Whitney
 * statistic with tied scores at their average rank. NaN when only one class is present (as sklearn raises).
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  check(yTrue, scores);
  const idx = Array.from({ length: yTrue.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1; // 1-based average rank of the tie group
    for (let k = i; k <= j; k++) {
      if (yTrue[idx[k]] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = yTrue.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface ClassificationReport {
  accuracy: number;
  /** Binary scores of class 1 when there are two classes. */
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  macroPrecision: number;
  macroRecall: number;
  /** ROC-AUC of class 1's probability (binary), NaN if a class is missing. */
  rocAuc: number;
  confusion: number[][];
}

/** Everything for a classification evaluation; probs (N, K) row-major are the softmax outputs. */
export function classificationReport(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  numClasses: number,
): ClassificationReport {
  const n = yTrue.length;
  if (probs.length !== n * numClasses)
    throw new Error(`probs: expected ${n}×${numClasses} values, got ${probs.length}`);
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++)
      if (probs[i * numClasses + k] > probs[i * numClasses + best]) best = k;
    pred[i] = best;
  }
  const confusion = confusionMatrix(yTrue, pred, numClasses);
  const scores = perClass(confusion);
  const mean = (f: (s: ClassScores) => number) => scores.reduce((a, s) => a + f(s), 0) / numClasses;
  const positive =
    numClasses === 2
      ? scores[1]
      : { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
  const p1 = numClasses === 2 ? Float64Array.from({ length: n }, (_, i) => probs[i * 2 + 1]) : null;
  return {
    accuracy: accuracy(yTrue, pred),
    precision: positive.precision,
    recall: positive.recall,
    f1: positive.f1,
    macroF1: mean((s) => s.f1),
    macroPrecision: mean((s) => s.precision),
    macroRecall: mean((s) => s.recall),
    rocAuc: p1 ? rocAuc(yTrue, p1) : Number.NaN,
    confusion,
  };
}

export function perplexity(meanCrossEntropy: number): number {
  return Math.exp(meanCrossEntropy);
}

function check(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`metrics: ${a.length} labels but ${b.length} predictions`);
}
