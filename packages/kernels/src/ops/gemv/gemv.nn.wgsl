// GEMV-shaped matmul for the decode step, W stored (K, N) (GPT-2's Conv1D layout): y (M, N) = x (M, K) · W + b,
// with few rows (M ≤ 8, one per sequence of the batch). A general matmul tiles 32–64 rows and wastes most of
// its work at M = 1; here each invocation owns 4 adjacent columns for all M rows and streams down W once, so W
// (the whole cost: every weight is read once per token) is read as coalesced vec4s. K and N are multiples of 4.
// Rows xOff/K.. of x (xOff in vec4s) go to y[yOff + m·ldy + n]: a call covers a block of up to 8 rows, and (for
// (N, K) weights) a block of W's rows bound on its own when the whole W exceeds the storage binding limit.
struct Params { K: u32, N: u32, hasBias: u32, ldy: u32, yOff: u32, xOff: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

// Rows, as a pipeline constant so the loops over them unroll and acc stays in registers.
override M: u32 = 1u;
const MAX_M = 8u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n4 = gridIndex(gid, nwg, 64u); // this invocation's columns 4·n4 .. 4·n4+3
  let N4 = p.N / 4u;
  if (n4 >= N4) { return; }
  let K4 = p.K / 4u;
  var acc: array<vec4<f32>, MAX_M>;
  for (var m = 0u; m < M; m++) { acc[m] = vec4<f32>(0.0); }
  for (var k4 = 0u; k4 < K4; k4++) {
    let r = 4u * k4 * N4 + n4;
    let w0 = w[r];
    let w1 = w[r + N4];
    let w2 = w[r + 2u * N4];
    let w3 = w[r + 3u * N4];
    for (var m = 0u; m < M; m++) {
      let xv = x[p.xOff + m * K4 + k4];
      acc[m] += xv.x * w0 + xv.y * w1 + xv.z * w2 + xv.w * w3;
    }
  }
  var b = vec4<f32>(0.0);
  if (p.hasBias == 1u) { b = vec4<f32>(bias[4u * n4], bias[4u * n4 + 1u], bias[4u * n4 + 2u], bias[4u * n4 + 3u]); }
  for (var m = 0u; m < M; m++) {
    let o = p.yOff + m * p.ldy + 4u * n4;
    let v = acc[m] + b;
    y[o] = v.x;
    y[o + 1u] = v.y;
    y[o + 2u] = v.z;
    y[o + 3u] = v.w;
  }
}
