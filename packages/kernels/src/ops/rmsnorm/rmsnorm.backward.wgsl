// RMSNorm backward for the input: with g = dout · weight and y = inp · rstd,
//   dinp (+)= rstd · (g - y · mean(g · y))
// The pass of one row, appended to a LayerNorm variant's main as rmsnorm.forward.wgsl is.
struct Params { N: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;
@group(0) @binding(5) var<storage, read> rstd: array<f32>;

fn passRow(row: u32, lane: u32, lanes: u32) {
  let base = row * p.C;
  let r = rstd[row];
  var a = 0.0;
  for (var c = lane; c < p.C; c += lanes) { a += dout[base + c] * weight[c] * inp[base + c] * r; }
  let m = rowSum(lane, lanes, a) / f32(p.C);
  for (var c = lane; c < p.C; c += lanes) {
    let y = inp[base + c] * r;
    let g = (dout[base + c] * weight[c] - y * m) * r;
    if (p.accumulate == 1u) { dinp[base + c] += g; } else { dinp[base + c] = g; }
  }
}
