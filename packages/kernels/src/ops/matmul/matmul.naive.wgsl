// C = A · B, one invocation per output, no tiling: the floor the benchmark measures the others against.
// Kept only for the benchmark and as a third opinion in tests.
struct Params { M: u32, N: u32, K: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  if (row >= p.M || col >= p.N) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.K; k++) { s += a[row * p.K + k] * b[k * p.N + col]; }
  c[row * p.N + col] = s;
}
