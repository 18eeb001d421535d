// C[b] (+)= op(A[b]) · op(B[b]) (+ bias), large-tile variant for discrete GPUs: a 16×16 workgroup computes a
// 128×128 tile of C, each invocation an 8×8 block (two 4-row strips 64 rows apart × two 4-column strips 64
// columns apart, so neighbouring invocations read neighbouring vec4s of workgroup memory). K advances 8 at a
// time. Per K step an invocation reads 4 vec4s of workgroup memory for 64 FMAs (the 64×64 `tiled` reads 8
// scalars for 16), which is what lets it approach the FMA rate where `tiled` is bound by workgroup-memory
// bandwidth. Global loads are coalesced for each layout: the staging order follows the operand's storage.
// Same contract and bindings as matmul.rb.wgsl; TRANS_A / TRANS_B, Params, bindings from matmul.common.wgsl.

const TILE = 128u;
const TK = 8u;
var<workgroup> As: array<array<vec4f, 32>, TK>; // As[k][m / 4][m % 4]
var<workgroup> Bs: array<array<vec4f, 32>, TK>; // Bs[k][n / 4][n % 4]

fn tileA(base: u32, m: u32, k: u32) -> f32 {
  if (m >= p.M || k >= p.K) { return 0.0; }
  return loadA(base, m, k);
}

fn tileB(base: u32, k: u32, n: u32) -> f32 {
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
  let flat = lid.y * 16u + lid.x;

  var acc: array<array<vec4f, 2>, 8>;
  for (var i = 0u; i < 8u; i++) { acc[i][0] = vec4f(0.0); acc[i][1] = vec4f(0.0); }
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // 128×8 of A and 8×128 of B: 4 elements of each per invocation, walked in storage order.
    for (var e = 0u; e < 4u; e++) {
      let idx = flat * 4u + e; // 0..1023
      var mm: u32;
      var ka: u32;
      if (TRANS_A) { ka = idx / TILE; mm = idx % TILE; } else { mm = idx / TK; ka = idx % TK; }
      As[ka][mm / 4u][mm % 4u] = tileA(baseA, tileRow + mm, k0 + ka);
      var nn: u32;
      var kb: u32;
      if (TRANS_B) { nn = idx / TK; kb = idx % TK; } else { kb = idx / TILE; nn = idx % TILE; }
      Bs[kb][nn / 4u][nn % 4u] = tileB(baseB, k0 + kb, tileCol + nn);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let a0 = As[kk][lid.y];
      let a1 = As[kk][16u + lid.y];
      let b0 = Bs[kk][lid.x];
      let b1 = Bs[kk][16u + lid.x];
      for (var i = 0u; i < 4u; i++) {
        acc[i][0] += a0[i] * b0;
        acc[i][1] += a0[i] * b1;
        acc[4u + i][0] += a1[i] * b0;
        acc[4u + i][1] += a1[i] * b1;
      }
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 8u; i++) {
    let row = tileRow + (i / 4u) * 64u + lid.y * 4u + i % 4u;
    if (row >= p.M) { continue; }
    for (var h = 0u; h < 2u; h++) {
      for (var j = 0u; j < 4u; j++) {
        let col = tileCol + h * 64u + lid.x * 4u + j;
        if (col >= p.N) { break; }
        var v = acc[i][h][j];
        if (p.hasBias == 1u) { v += bias[col]; }
        let idx = baseC + row * p.N + col;
        if (p.accumulate == 1u) { c[idx] += v; } else { c[idx] = v; }
      }
    }
  }
}
