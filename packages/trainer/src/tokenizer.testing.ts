// Test helper: a word-level tokenizer over ids 0..n-1 (token i is `t<i>`; `special` renames some ids), so a test
// can write a fixture's ids as text. classify.test.ts, generate.test.ts and generate-llama.test.ts use it.

/** tokenizer.json of a whitespace-split word-level tokenizer: `t<i>` ↔ i, `special[i]` for the ids it names. */
export function wordLevelTokenizerJson(n: number, special: Record<number, string> = {}) {
  const vocab: Record<string, number> = {};
  for (let i = 0; i < n; i++) vocab[special[i] ?? `t${i}`] = i;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: 't0' },
  };
}
