// GELU, tanh approximation (as GPT-2): out = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), over N.
struct Params { N: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;

const S = 0.7978845608028654; // √(2/π)

// tanh through exp overflows to inf/inf = NaN on some implementations for large |u|; tanh(±15) is ±1 in f32.
fn tanhSafe(u: f32) -> f32 { return tanh(clamp(u, -15.0, 15.0)); }

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i >= p.N) { return; }
  let x = inp[i];
  out[i] = 0.5 * x * (1.0 + tanhSafe(S * (x + 0.044715 * x * x * x)));
}
