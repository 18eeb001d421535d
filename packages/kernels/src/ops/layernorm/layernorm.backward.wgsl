// LayerNorm backward for the input, as llm.c's layernorm_backward (dinp part):
//   norm = (inp - mean) * rstd;  dnorm = dout * weight
//   dinp (+)= (dnorm - mean(dnorm) - norm * mean(dnorm * norm)) * rstd
// The pass of one row, appended to a variant as layernorm.forward.wgsl is.
struct Params { N: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;
@group(0) @binding(5) var<storage, read> mean: array<f32>;
@group(0) @binding(6) var<storage, read> rstd: array<f32>;

fn passRow(row: u32, lane: u32, lanes: u32) {
  let base = row * p.C;
  let m = mean[row];
  let r = rstd[row];
  var a = 0.0;
  var b = 0.0;
  for (var c = lane; c < p.C; c += lanes) {
    let norm = (inp[base + c] - m) * r;
    let dnorm = dout[base + c] * weight[c];
    a += dnorm;
    b += dnorm * norm;
  }
  let dmean = rowSum(lane, lanes, a) / f32(p.C);
  let dnn = rowSum(lane, lanes, b) / f32(p.C);
  for (var c = lane; c < p.C; c += lanes) {
    let norm = (inp[base + c] - m) * r;
    let g = (dout[base + c] * weight[c] - dmean - norm * dnn) * r;
    if (p.accumulate == 1u) { dinp[base + c] += g; } else { dinp[base + c] = g; }
  }
}
