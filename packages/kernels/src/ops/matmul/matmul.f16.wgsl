enable f16;

// C[b] (+)= op(A[b]) · op(B[b]) (+ bias) with A and B stored as f16 (half the bytes of weights and
// activations to move) and every product and sum in f32: the values are widened as they are staged in
// workgroup memory, so the accumulation is as exact as the f32 kernels'. C and bias stay f32.
// Same tiling as matmul.tiled.wgsl (64×64 tile per 16×16 workgroup, 4×4 per invocation, K by 16), same
// TRANS_A / TRANS_B layouts and batch strides. Needs the adapter's `shader-f16`.

override TRANS_A: bool = false;
override TRANS_B: bool = false;

struct Params { M: u32, N: u32, K: u32, strideA: u32, strideB: u32, strideC: u32, hasBias: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f16>;
@group(0) @binding(3) var<storage, read> b: array<f16>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

const TILE = 64u;
const TK = 16u;
var<workgroup> As: array<array<f32, TILE + 1u>, TK>; // As[k][m]
var<workgroup> Bs: array<array<f32, TILE + 1u>, TK>; // Bs[k][n]

fn loadTileA(base: u32, m: u32, k: u32) -> f32 {
  if (m >= p.M || k >= p.K) { return 0.0; }
  if (TRANS_A) { return f32(a[base + k * p.M + m]); }
  return f32(a[base + m * p.K + k]);
}

fn loadTileB(base: u32, k: u32, n: u32) -> f32 {
  if (k >= p.K || n >= p.N) { return 0.0; }
  if (TRANS_B) { return f32(b[base + n * p.K + k]); }
  return f32(b[base + k * p.N + n]);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let tileRow = wid.y * TILE;
  let tileCol = wid.x * TILE;
  let baseA = wid.z * p.strideA;
  let baseB = wid.z * p.strideB;
  let baseC = wid.z * p.strideC;
  let flat = lid.y * 16u + lid.x;

  var acc: array<vec4f, 4>;
  for (var i = 0u; i < 4u; i++) { acc[i] = vec4f(0.0); }
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    for (var e = 0u; e < 4u; e++) {
      let idx = flat * 4u + e;
      let kk = idx / TILE;
      let mn = idx % TILE;
      As[kk][mn] = loadTileA(baseA, tileRow + mn, k0 + kk);
      Bs[kk][mn] = loadTileB(baseB, k0 + kk, tileCol + mn);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let bv = vec4f(Bs[kk][lid.x * 4u], Bs[kk][lid.x * 4u + 1u], Bs[kk][lid.x * 4u + 2u], Bs[kk][lid.x * 4u + 3u]);
      for (var i = 0u; i < 4u; i++) { acc[i] += As[kk][lid.y * 4u + i] * bv; }
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 4u; i++) {
    let row = tileRow + lid.y * 4u + i;
    if (row >= p.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let col = tileCol + lid.x * 4u + j;
      if (col >= p.N) { break; }
      var v = acc[i][j];
      if (p.hasBias == 1u) { v += bias[col]; }
      let idx = baseC + row * p.N + col;
      if (p.accumulate == 1u) { c[idx] += v; } else { c[idx] = v; }
    }
  }
}
