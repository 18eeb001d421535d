// LayerNorm backward for the input, subgroup variant: one subgroup per row (see layernorm.forward.sg.wgsl).
// Same contract and bindings as layernorm.backward.wgsl:
//   dinp (+)= (dnorm - mean(dnorm) - norm * mean(dnorm * norm)) * rstd,  dnorm = dout * weight
enable subgroups;
diagnostic(off, subgroup_uniformity);

struct Params { N: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;
@group(0) @binding(5) var<storage, read> mean: array<f32>;
@group(0) @binding(6) var<storage, read> rstd: array<f32>;

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(subgroup_size) sg: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let row = (wid.x + wid.y * nwg.x) * (64u / sg) + lid / sg;
  if (row >= p.N) { return; }
  let base = row * p.C;
  let m = mean[row];
  let r = rstd[row];
  var a = 0.0;
  var b = 0.0;
  for (var c = lane; c < p.C; c += sg) {
    let norm = (inp[base + c] - m) * r;
    let dnorm = dout[base + c] * weight[c];
    a += dnorm;
    b += dnorm * norm;
  }
  let dmean = subgroupSum(a, sg) / f32(p.C);
  let dnn = subgroupSum(b, sg) / f32(p.C);
  for (var c = lane; c < p.C; c += sg) {
    let norm = (inp[base + c] - m) * r;
    let g = (dout[base + c] * weight[c] - dmean - norm * dnn) * r;
    if (p.accumulate == 1u) { dinp[base + c] += g; } else { dinp[base + c] = g; }
  }
}
