// CTRL's repetition penalty, as Hugging Face's RepetitionPenaltyLogitsProcessor: every token already in the
// row (prompt or generated; seen (R, V) is 1 for those) has its logit divided by the penalty when positive
// and multiplied by it when negative, once however often it occurred. logits (R, V) in place.
struct Params { N: u32, penalty: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> logits: array<f32>;
@group(0) @binding(2) var<storage, read> seen: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N || seen[i] == 0u) { return; }
  let x = logits[i];
  logits[i] = select(x / p.penalty, x * p.penalty, x < 0.0);
}
