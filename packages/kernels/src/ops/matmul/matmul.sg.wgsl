// C[b] (+)= op(A[b]) · op(B[b]) (+ bias), subgroup variant (adapters with `subgroups` and a fixed
// subgroup size that is a multiple of 8). Same contract and bindings as matmul.rb.wgsl.
//
// A subgroup of S lanes owns 16 rows of C; lane l owns 8 columns in two groups of 4, at 4·l and
// 4·(l + S) from the tile's first column, so at each k the subgroup reads 8·S consecutive floats of B.
// A 64-invocation workgroup stacks 64/S subgroups on rows: its tile is (16·64/S) × (8·S).
// A is read once per subgroup rather than once per lane: for 8 consecutive k, lane l loads
// A(row_i, k0 + l % 8) for its 16 rows, then every lane takes those values from lanes 0..7 with
// subgroupShuffle (a register move on software adapters, where a per-lane load is a scalar gather).
// Measured on lavapipe (1024³): 16 rows × 8 columns per lane is ~2.5× faster than 8 × 4, because each
// shuffled A value now feeds 8 FMAs instead of 4.

enable subgroups;

// TRANS_A / TRANS_B, Params, the bindings, loadA / loadB / loadB4 come from matmul.common.wgsl.

const ROWS = 16u;

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(subgroup_size) sg: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let row0 = (wid.y * (64u / sg) + lid / sg) * ROWS;
  let c0 = (wid.x * 2u * sg + lane) * 4u;
  let c1 = c0 + 4u * sg;
  let baseA = wid.z * p.strideA;
  let baseB = wid.z * p.strideB;
  let baseC = wid.z * p.strideC;
  // No early return: the shuffles below need the whole subgroup. Loads are clamped instead.
  let lastN = vec4u(p.N - 1u);
  let n0 = min(vec4u(c0, c0 + 1u, c0 + 2u, c0 + 3u), lastN);
  let n1 = min(vec4u(c1, c1 + 1u, c1 + 2u, c1 + 3u), lastN);
  let lk = lane % 8u;

  var acc0: array<vec4f, ROWS>;
  var acc1: array<vec4f, ROWS>;
  for (var k0 = 0u; k0 < p.K; k0 += 8u) {
    // This lane's share of A: rows row0.. at k = k0 + lk, zero past K so the clamped B rows vanish.
    var av: array<f32, ROWS>;
    let kl = k0 + lk;
    let kc = min(kl, p.K - 1u);
    for (var i = 0u; i < ROWS; i++) {
      av[i] = select(0.0, loadA(baseA, min(row0 + i, p.M - 1u), kc), kl < p.K);
    }
    for (var kk = 0u; kk < 8u; kk++) {
      let k = min(k0 + kk, p.K - 1u);
      let b0 = loadB4(baseB, k, n0);
      let b1 = loadB4(baseB, k, n1);
      for (var i = 0u; i < ROWS; i++) {
        let x = subgroupShuffle(av[i], kk);
        acc0[i] += x * b0;
        acc1[i] += x * b1;
      }
    }
  }

  var bias0 = vec4f(0.0);
  var bias1 = vec4f(0.0);
  if (p.hasBias == 1u) {
    bias0 = vec4f(bias[n0.x], bias[n0.y], bias[n0.z], bias[n0.w]);
    bias1 = vec4f(bias[n1.x], bias[n1.y], bias[n1.z], bias[n1.w]);
  }
  for (var i = 0u; i < ROWS; i++) {
    let row = row0 + i;
    if (row >= p.M) { break; }
    let v0 = acc0[i] + bias0;
    let v1 = acc1[i] + bias1;
    for (var j = 0u; j < 4u; j++) {
      if (c0 + j < p.N) {
        let idx = baseC + row * p.N + c0 + j;
        if (p.accumulate == 1u) { c[idx] += v0[j]; } else { c[idx] = v0[j]; }
      }
      if (c1 + j < p.N) {
        let idx = baseC + row * p.N + c1 + j;
        if (p.accumulate == 1u) { c[idx] += v1[j]; } else { c[idx] = v1[j]; }
      }
    }
  }
}
