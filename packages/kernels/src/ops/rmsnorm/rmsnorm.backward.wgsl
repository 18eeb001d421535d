// RMSNorm backward for the input: with g = dout · weight and y = inp · rstd,
//   dinp (+)= rstd · (g - y · mean(g · y))
// One workgroup per row, as rmsnorm.forward.wgsl.
struct Params { N: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;
@group(0) @binding(5) var<storage, read> rstd: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; }
  let base = row * p.C;
  let r = rstd[row];
  var a = 0.0;
  for (var c = lid; c < p.C; c += WG) { a += dout[base + c] * weight[c] * inp[base + c] * r; }
  let m = reduceSum(lid, a) / f32(p.C);
  for (var c = lid; c < p.C; c += WG) {
    let y = inp[base + c] * r;
    let g = (dout[base + c] * weight[c] - y * m) * r;
    if (p.accumulate == 1u) { dinp[base + c] += g; } else { dinp[base + c] = g; }
  }
}
