// gemv.nt.wgsl with one subgroup per output column n (adapters with `subgroups` and a fixed subgroup size): the
// lanes of the subgroup read adjacent vec4s of W's row n, so loads are coalesced across lanes instead of each
// lane walking a row of its own (scalar gathers on a CPU's Vulkan, lavapipe), then the partial sums meet in a
// fixed butterfly (../common/sgsum.wgsl; bit-reproducible). SubgroupInvocation from ../common/subgroup.wgsl.
enable subgroups;
// Columns past N end a whole subgroup at once: uniform within the subgroup, which is all the shuffles need.
diagnostic(off, subgroup_uniformity);

struct Params { K: u32, N: u32, hasBias: u32, ldy: u32, yOff: u32, xOff: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

override M: u32 = 1u;
const MAX_M = 8u;

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let n = subgroupIndex(inv);
  if (n >= p.N) { return; }
  let K4 = p.K / 4u;
  var acc: array<vec4<f32>, MAX_M>;
  for (var m = 0u; m < M; m++) { acc[m] = vec4<f32>(0.0); }
  for (var k4 = inv.lane; k4 < K4; k4 += inv.sg) {
    let wv = w[n * K4 + k4];
    for (var m = 0u; m < M; m++) { acc[m] += x[p.xOff + m * K4 + k4] * wv; }
  }
  var b = 0.0;
  if (p.hasBias == 1u) { b = bias[n]; }
  for (var m = 0u; m < M; m++) {
    let a = acc[m];
    let s = subgroupSum((a.x + a.y) + (a.z + a.w), inv.sg);
    if (inv.lane == 0u) { y[p.yOff + m * p.ldy + n] = s + b; }
  }
}
