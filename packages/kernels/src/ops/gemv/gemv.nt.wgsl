// GEMV-shaped matmul for the decode step, W stored (N, K) (nn.Linear's layout; the tied LM head, wte): y (M, N) =
// x (M, K) · Wᵀ + b with few rows (M ≤ 8). Each invocation owns NR adjacent output columns — NR rows of W, each
// read once as vec4s — for all M rows; x's vec4 at k is the same for every lane (a broadcast load), and with
// NR = 4 / M (at least 1) each of those loads feeds 4 rows' FMAs. K is a multiple of 4; N is anything.
// Rows xOff/K.. of x (xOff in vec4s) go to y[yOff + m·ldy + n]: a call covers a block of up to 8 rows, and (for
// (N, K) weights) a block of W's rows bound on its own when the whole W exceeds the storage binding limit.
struct Params { K: u32, N: u32, hasBias: u32, ldy: u32, yOff: u32, xOff: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

override M: u32 = 1u;
// Columns per invocation; M · NR ≤ 8.
override NR: u32 = 1u;
const MAX_ACC = 8u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n0 = gridIndex(gid, nwg, 64u) * NR;
  if (n0 >= p.N) { return; }
  let K4 = p.K / 4u;
  var acc: array<vec4<f32>, MAX_ACC>; // [m * NR + r]
  for (var i = 0u; i < M * NR; i++) { acc[i] = vec4<f32>(0.0); }
  // Columns past N re-read the last row (in bounds) and are not written.
  var rows: array<u32, 4>;
  for (var r = 0u; r < NR; r++) { rows[r] = min(n0 + r, p.N - 1u) * K4; }
  for (var k4 = 0u; k4 < K4; k4++) {
    for (var r = 0u; r < NR; r++) {
      let wv = w[rows[r] + k4];
      for (var m = 0u; m < M; m++) { acc[m * NR + r] += x[p.xOff + m * K4 + k4] * wv; }
    }
  }
  for (var r = 0u; r < NR; r++) {
    let n = n0 + r;
    if (n >= p.N) { break; }
    var b = 0.0;
    if (p.hasBias == 1u) { b = bias[n]; }
    for (var m = 0u; m < M; m++) {
      let a = acc[m * NR + r];
      y[p.yOff + m * p.ldy + n] = (a.x + a.y) + (a.z + a.w) + b;
    }
  }
}
