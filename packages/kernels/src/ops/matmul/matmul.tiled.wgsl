// C[b] (+)= op(A[b]) · op(B[b]) (+ bias), shared-memory tiled variant: the classic GPU kernel.
// Same contract and bindings as matmul.rb.wgsl. A 16×16 workgroup computes a 64×64 tile of C, each
// invocation a 4×4 block; the K dimension advances 16 at a time through workgroup memory, where every
// element of A and B loaded from global memory is reused by 16 invocations. On discrete GPUs this is the
// variant that wins; on lavapipe workgroup memory is slow and the measured search picks another.

// TRANS_A / TRANS_B, Params, the bindings, loadA / loadB / loadB4 come from matmul.common.wgsl.

const TILE = 64u;
const TK = 16u;
// +1 column of padding keeps the 16 invocations reading a column of As on different banks.
var<workgroup> As: array<array<f32, TILE + 1u>, TK>; // As[k][m]
var<workgroup> Bs: array<array<f32, TILE + 1u>, TK>; // Bs[k][n]

// Tile loads past the edge of A or B read 0, so partial tiles need no special case.
fn loadTileA(base: u32, m: u32, k: u32) -> f32 {
  if (m >= p.M || k >= p.K) { return 0.0; }
  return loadA(base, m, k);
}

fn loadTileB(base: u32, k: u32, n: u32) -> f32 {
  if (k >= p.K || n >= p.N) { return 0.0; }
  return loadB(base, k, n);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let tileRow = wid.y * TILE;
  let tileCol = wid.x * TILE;
  let baseA = wid.z * p.strideA;
  let baseB = wid.z * p.strideB;
  let baseC = wid.z * p.strideC;
  let flat = lid.y * 16u + lid.x; // 0..255

  var acc: array<vec4f, 4>;
  for (var i = 0u; i < 4u; i++) { acc[i] = vec4f(0.0); }
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // 256 invocations stage 16×64 of A and of B: 4 elements each.
    for (var e = 0u; e < 4u; e++) {
      let idx = flat * 4u + e; // 0..1023
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
