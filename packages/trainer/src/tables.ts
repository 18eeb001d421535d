// The tables a training run logs to its tracked run (@anneal/client logTable): a classifier's test predictions,
// worst-misclassified first, and a causal LM's samples at an evaluation. Pure functions over what evaluation
// and generation computed; run.ts and train.ts decide when to log them (config `eval`, docs/training.md).

import type { TableInput } from '@anneal/client';

/** Tracker keys: the run page looks for these. */
export const PREDICTIONS_KEY = 'test/predictions';
export const SAMPLES_KEY = 'samples';

/** `text` cut to `max` characters (whole UTF-16 pairs), with an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Text as a table cell can hold it: NUL and lone UTF-16 surrogates (which the API refuses, and which would
 * cost the whole table) become U+FFFD.
 */
export function cellText(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is replaced
    /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/**
 * A classifier's predictions on labelled examples as a table — text (cut to `textChars`), label, prediction,
 * probability (of the prediction), p_label (of the true label), correct — the misclassified first, most
 * confidently wrong first (lowest p_label), then the right ones least confident first; ties in example order.
 * At most `maxRows` rows. `probs` is (N, K) row-major, in the examples' order.
 */
export function predictionTable(
  examples: { text: string; label: number }[],
  probs: Float64Array,
  K: number,
  { maxRows, textChars }: { maxRows: number; textChars: number },
): TableInput {
  if (probs.length !== examples.length * K)
    throw new Error(
      `predictionTable: ${probs.length} probabilities for ${examples.length} examples × ${K} classes`,
    );
  const rows = examples.map((e, i) => {
    const p = probs.subarray(i * K, (i + 1) * K);
    let prediction = 0;
    for (let k = 1; k < K; k++) if (p[k] > p[prediction]) prediction = k;
    return { i, e, prediction, probability: p[prediction], pLabel: p[e.label] };
  });
  rows.sort(
    (a, b) =>
      Number(a.prediction === a.e.label) - Number(b.prediction === b.e.label) ||
      a.pLabel - b.pLabel ||
      a.i - b.i,
  );
  return {
    columns: ['text', 'label', 'prediction', 'probability', 'p_label', 'correct'],
    rows: rows
      .slice(0, maxRows)
      .map((r) => [
        cellText(truncateText(r.e.text, textChars)),
        r.e.label,
        r.prediction,
        round(r.probability),
        round(r.pLabel),
        r.prediction === r.e.label,
      ]),
  };
}

/** Samples as a table: one row per prompt and completion. */
export function samplesTable(samples: { prompt: string; text: string }[]): TableInput {
  return { columns: ['prompt', 'text'], rows: samples.map((s) => [cellText(s.prompt), cellText(s.text)]) };
}

/** Probabilities to 6 significant digits: what a reader compares, and a smaller table. */
const round = (p: number) => Number(p.toPrecision(6));
