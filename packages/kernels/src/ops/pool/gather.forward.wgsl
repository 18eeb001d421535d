// Classification-head pooling by position: out[b, c] = h[b, idx[b], c]. h (B, T, C), idx (B) u32, out (B, C).
// idx = 0 everywhere is BERT's first token; idx = last non-pad position is GPT2ForSequenceClassification.
// Params, out, h and main come from pool.forward.common.wgsl.
@group(0) @binding(3) var<storage, read> idx: array<u32>;

fn pooled(b: u32, c: u32) -> f32 {
  return h[(b * p.T + min(idx[b], p.T - 1u)) * p.C + c];
}
