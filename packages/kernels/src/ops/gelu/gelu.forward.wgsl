// GELU over N: the tanh approximation (GPT-2's gelu_new) out = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))),
// or with exact = 1 the erf form (BERT's gelu) out = x·Φ(x) = 0.5·x·(1 + erf(x/√2)).
struct Params { N: u32, exact: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;

const S = 0.7978845608028654; // √(2/π)

// tanh through exp overflows to inf/inf = NaN on some implementations for large |u|; tanh(±15) is ±1 in f32.
fn tanhSafe(u: f32) -> f32 { return tanh(clamp(u, -15.0, 15.0)); }

// erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: about f32's resolution of values near 1). WGSL has none.
fn erfApprox(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(-y, y, z >= 0.0);
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i >= p.N) { return; }
  let x = inp[i];
  if (p.exact == 1u) { out[i] = 0.5 * x * (1.0 + erfApprox(x * 0.7071067811865476)); return; }
  out[i] = 0.5 * x * (1.0 + tanhSafe(S * (x + 0.044715 * x * x * x)));
}
