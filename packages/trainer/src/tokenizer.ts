// Tokenizers. Encoding and decoding go through Hugging Face's `tokenizers` library (npm `tokenizers`, its
// Rust core), and `tokenizer.json` is the on-disk format, so a GPT-2 or BERT tokenizer from the Hub loads as
// is. The library's Node binding cannot set a trainer's vocabulary size, so training a byte-level BPE (GPT-2's
// scheme) is done here: GPT-2's pre-tokenizer regex and byte-to-unicode table, then greedy pair merges with a
// lazily updated max-heap, deterministic on ties. The result is written as a standard tokenizer.json and
// loaded back through the library.

import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

export const EOS_TOKEN = '<|endoftext|>';

/** GPT-2's pre-tokenizer: contractions, letter runs, digit runs, punctuation runs, whitespace. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible map from bytes to printable unicode characters. */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table = new Array<string>(256);
  bs.forEach((b, i) => {
    table[b] = String.fromCodePoint(cs[i]);
  });
  return table;
}

class MaxHeap {
  private a: [number, string][] = [];
  push(x: [number, string]): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!MaxHeap.less(a[p], a[i])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): [number, string] | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && MaxHeap.less(a[m], a[l])) m = l;
        if (r < a.length && MaxHeap.less(a[m], a[r])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
  /** Higher count first; on equal counts the lexicographically smaller pair first (deterministic). */
  private static less(x: [number, string], y: [number, string]): boolean {
    return x[0] < y[0] || (x[0] === y[0] && x[1] > y[1]);
  }
}

export interface BpeTrainOptions {
  vocabSize: number;
  /** Pairs seen fewer times are never merged. */
  minFrequency?: number;
  specialTokens?: string[];
}

/** Trains a byte-level BPE on texts and returns a tokenizer.json document. */
export function trainByteLevelBpe(texts: Iterable<string>, o: BpeTrainOptions): object {
  const table = bytesToUnicode();
  const enc = new TextEncoder();
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const m of text.matchAll(GPT2_SPLIT)) {
      let w = '';
      for (const b of enc.encode(m[0])) w += table[b];
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  const special = o.specialTokens ?? [EOS_TOKEN];
  const vocab = new Map<string, number>();
  for (const s of special) vocab.set(s, vocab.size);
  for (const ch of [...table].sort()) vocab.set(ch, vocab.size);

  // Words as symbol arrays; pair → count and pair → words containing it.
  const words = [...counts.keys()].map((w) => [...w]);
  const freq = [...counts.values()];
  const pairCount = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const SEP = '\u0000';
  const addPairs = (wi: number, sign: 1 | -1) => {
    const w = words[wi];
    for (let i = 0; i + 1 < w.length; i++) {
      const key = w[i] + SEP + w[i + 1];
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * freq[wi]);
      if (sign > 0) {
        let set = where.get(key);
        if (!set) {
          set = new Set();
          where.set(key, set);
        }
        set.add(wi);
      }
    }
  };
  for (let wi = 0; wi < words.length; wi++) addPairs(wi, 1);
  const heap = new MaxHeap();
  for (const [k, c] of pairCount) heap.push([c, k]);

  const merges: string[] = [];
  const minFreq = o.minFrequency ?? 2;
  while (vocab.size < o.vocabSize) {
    const top = heap.pop();
    if (!top) break;
    const [c, key] = top;
    if (pairCount.get(key) !== c) continue; // stale entry
    if (c < minFreq) break;
    const [a, b] = key.split(SEP);
    const merged = a + b;
    merges.push(`${a} ${b}`);
    if (!vocab.has(merged)) vocab.set(merged, vocab.size);
    const touched = new Set<string>();
    for (const wi of where.get(key) ?? []) {
      const w = words[wi];
      let has = false;
      for (let i = 0; i + 1 < w.length; i++) if (w[i] === a && w[i + 1] === b) has = true;
      if (!has) continue;
      addPairs(wi, -1);
      const next: string[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(w[i]);
      }
      words[wi] = next;
      addPairs(wi, 1);
      for (let i = 0; i + 1 < next.length; i++) touched.add(next[i] + SEP + next[i + 1]);
    }
    pairCount.delete(key);
    for (const k of touched) {
      const n = pairCount.get(k);
      if (n) heap.push([n, k]);
    }
  }

  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
}

/** A loaded tokenizer.json, through Hugging Face's library. */
export class Tokenizer {
  private constructor(private readonly tk: tokenizers.Tokenizer) {}

  static fromJSON(json: string | object): Tokenizer {
    return new Tokenizer(
      tokenizers.Tokenizer.fromString(typeof json === 'string' ? json : JSON.stringify(json)),
    );
  }

  static fromFile(path: string): Tokenizer {
    return Tokenizer.fromJSON(readFileSync(path, 'utf8'));
  }

  get vocabSize(): number {
    return this.tk.getVocabSize(true);
  }

  tokenToIdOrNull(token: string): number | null {
    return this.tk.tokenToId(token) ?? null;
  }

  tokenId(token: string): number {
    const id = this.tk.tokenToId(token);
    if (id === null || id === undefined) throw new Error(`tokenizer has no token ${JSON.stringify(token)}`);
    return id;
  }

  async encode(text: string): Promise<number[]> {
    return (await this.tk.encode(text)).getIds();
  }

  /** addSpecialTokens: false for text that already carries them (a rendered chat template's bos). */
  async encodeBatch(texts: string[], { addSpecialTokens = true } = {}): Promise<number[][]> {
    return (await this.tk.encodeBatch(texts, { addSpecialTokens })).map((e) => e.getIds());
  }

  decode(ids: number[]): Promise<string> {
    return this.tk.decode(ids, false);
  }
}
