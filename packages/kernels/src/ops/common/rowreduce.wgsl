// Row reductions for kernels that give each row one workgroup of WG invocations (layernorm, softmax,
// cross-entropy): every invocation contributes a partial, then a fixed-order tree combines them in
// workgroup memory — the same order every run, so results are bit-reproducible. Included by defineKernel
// ahead of the kernel's own source; callers must reach these calls in uniform control flow.
const WG = 64u;
var<workgroup> red: array<f32, WG>;

fn reduceSum(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}

fn reduceMax(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let m = red[0];
  workgroupBarrier();
  return m;
}
