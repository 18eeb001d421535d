// C[b] (+)= op(A[b]) · op(B[b]) (+ bias), portable variant: register blocking, no shared memory.
// Each invocation computes a 4×4 block of C; a workgroup of 8×8 invocations covers a 32×32 tile.
// One file serves every layout the backward pass needs (A·B, A·Bᵀ, Aᵀ·B) through TRANS_A / TRANS_B.
// Loads use clamped indices so every load is in bounds; only the store is guarded.

// TRANS_A / TRANS_B, Params, the bindings, loadA / loadB / loadB4 come from matmul.common.wgsl.

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  if (row0 >= p.M || col0 >= p.N) { return; }
  let baseA = gid.z * p.strideA;
  let baseB = gid.z * p.strideB;
  let baseC = gid.z * p.strideC;
  let r = min(vec4u(row0, row0 + 1u, row0 + 2u, row0 + 3u), vec4u(p.M - 1u));
  let n = min(vec4u(col0, col0 + 1u, col0 + 2u, col0 + 3u), vec4u(p.N - 1u));

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k = 0u; k < p.K; k++) {
    let bv = loadB4(baseB, k, n);
    acc0 += loadA(baseA, r.x, k) * bv;
    acc1 += loadA(baseA, r.y, k) * bv;
    acc2 += loadA(baseA, r.z, k) * bv;
    acc3 += loadA(baseA, r.w, k) * bv;
  }

  var bv = vec4f(0.0);
  if (p.hasBias == 1u) { bv = vec4f(bias[n.x], bias[n.y], bias[n.z], bias[n.w]); }
  let acc = array<vec4f, 4>(acc0 + bv, acc1 + bv, acc2 + bv, acc3 + bv);
  for (var i = 0u; i < 4u; i++) {
    let row = row0 + i;
    if (row >= p.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + j;
      if (col >= p.N) { break; }
      let idx = baseC + row * p.N + col;
      if (p.accumulate == 1u) { c[idx] += acc[i][j]; } else { c[idx] = acc[i][j]; }
    }
  }
}
