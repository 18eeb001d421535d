// GEMV-shaped matmul for the decode step, W stored (N, K) (nn.Linear's layout; the tied LM head, wte): y (M, N) =
// x (M, K) · Wᵀ + b with few rows (M ≤ 8). Each invocation owns one output column n — one row of W, read once
// as vec4s — for all M rows. K is a multiple of 4; N is anything (the vocabulary).
// Rows xOff/K.. of x (xOff in vec4s) go to y[yOff + m·ldy + n]: a call covers a block of up to 8 rows, and (for
// (N, K) weights) a block of W's rows bound on its own when the whole W exceeds the storage binding limit.
struct Params { K: u32, N: u32, hasBias: u32, ldy: u32, yOff: u32, xOff: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

override M: u32 = 1u;
const MAX_M = 8u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = gridIndex(gid, nwg, 64u);
  if (n >= p.N) { return; }
  let K4 = p.K / 4u;
  var acc: array<vec4<f32>, MAX_M>;
  for (var m = 0u; m < M; m++) { acc[m] = vec4<f32>(0.0); }
  for (var k4 = 0u; k4 < K4; k4++) {
    let wv = w[n * K4 + k4];
    for (var m = 0u; m < M; m++) { acc[m] += x[p.xOff + m * K4 + k4] * wv; }
  }
  var b = 0.0;
  if (p.hasBias == 1u) { b = bias[n]; }
  for (var m = 0u; m < M; m++) {
    let a = acc[m];
    y[p.yOff + m * p.ldy + n] = (a.x + a.y) + (a.z + a.w) + b;
  }
}
