// RMSNorm backward for the weight: dweight[c] += Σ_rows dout · inp · rstd. One invocation per channel sums
// the rows in order: deterministic without atomics.
struct Params { N: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dweight: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let c = gid.x;
  if (c >= p.C) { return; }
  var dw = 0.0;
  for (var row = 0u; row < p.N; row++) {
    let i = row * p.C + c;
    dw += dout[i] * inp[i] * rstd[row];
  }
  dweight[c] += dw;
}
