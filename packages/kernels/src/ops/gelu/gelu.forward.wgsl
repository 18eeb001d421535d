// GELU over N: the tanh approximation (GPT-2's gelu_new) out = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))),
// or with exact = 1 the erf form (BERT's gelu) out = x·Φ(x) = 0.5·x·(1 + erf(x/√2)).
struct Params { N: u32, exact: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N) { return; }
  let x = inp[i];
  if (p.exact == 1u) { out[i] = 0.5 * x * (1.0 + erfApprox(x * 0.7071067811865476)); return; }
  out[i] = 0.5 * x * (1.0 + tanhSafe(S * (x + 0.044715 * x * x * x)));
}
