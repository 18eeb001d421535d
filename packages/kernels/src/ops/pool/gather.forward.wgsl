// Classification-head pooling by position: out[b, c] = h[b, idx[b], c]. h (B, T, C), idx (B) u32, out (B, C).
// idx = 0 everywhere is BERT's first token; idx = last non-pad position is GPT2ForSequenceClassification.
struct Params { B: u32, T: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> h: array<f32>;
@group(0) @binding(3) var<storage, read> idx: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= p.B * p.C) { return; }
  let b = i / p.C;
  out[i] = h[(b * p.T + min(idx[b], p.T - 1u)) * p.C + i % p.C];
}
