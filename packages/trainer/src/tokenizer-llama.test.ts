// Llama-family tokenizer.json files through the same Tokenizer class: a SentencePiece-converted BPE (Llama 2,
// TinyLlama, Mistral: ▁ for spaces, <0xNN> byte fallback, <s> prepended by the post-processor), built here in
// miniature with the exact component types those files use.
import { describe, expect, it } from 'vitest';
import { Tokenizer } from './tokenizer.ts';

function sentencePieceBpe(): object {
  const special = ['<unk>', '<s>', '</s>'];
  const bytes = Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`);
  const pieces = [
    '▁',
    'h',
    'e',
    'l',
    'o',
    'w',
    'r',
    'd',
    'll',
    '▁h',
    '▁he',
    '▁hell',
    '▁hello',
    '▁w',
    '▁wor',
    'or',
  ];
  const merges = ['l l', '▁ h', '▁h e', '▁he ll', '▁hell o', '▁ w', 'o r', '▁w or'];
  const vocab = Object.fromEntries([...special, ...bytes, ...pieces].map((t, i) => [t, i]));
  const added = special.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab,
      merges,
    },
  };
}

describe('SentencePiece-converted (Llama-style) tokenizer.json', () => {
  const tk = Tokenizer.fromJSON(sentencePieceBpe());
  const id = (t: string) => tk.tokenId(t);

  it('prepends <s>, merges ▁-words, and falls back to UTF-8 bytes for unknown characters', async () => {
    const ids = await tk.encode('hello world é');
    expect(ids.slice(0, 3)).toEqual([id('<s>'), id('▁hello'), id('▁wor')]);
    // 'é' is U+00E9: bytes C3 A9, after the ▁ that stands for its space.
    expect(ids.slice(-3)).toEqual([id('▁'), id('<0xC3>'), id('<0xA9>')]);
    expect(ids).not.toContain(id('<unk>'));
  });

  it('decodes back to the text, bytes fused into characters and the leading space stripped', async () => {
    const ids = await tk.encode('hello world é');
    expect(await tk.decode(ids.slice(1))).toBe('hello world é');
  });
});
