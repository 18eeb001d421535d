// C[b] (+)= op(A[b]) · op(B[b]) (+ bias), portable variant: register blocking, no shared memory.
// Each invocation computes a 4×4 block of C; a workgroup of 8×8 invocations covers a 32×32 tile.
// op(X) is X or Xᵀ by the TRANS_A / TRANS_B override constants (one pipeline per layout), so one file
// serves every layout the backward pass needs: A·B, A·Bᵀ, Aᵀ·B.
// Shapes: op(A) (M, K), op(B) (K, N), C (M, N), bias (N); batch b strides in elements (0 broadcasts).
// Loads use clamped indices so every load is in bounds; only the store is guarded.

override TRANS_A: bool = false;
override TRANS_B: bool = false;

struct Params { M: u32, N: u32, K: u32, strideA: u32, strideB: u32, strideC: u32, hasBias: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

fn loadA(base: u32, m: u32, k: u32) -> f32 {
  if (TRANS_A) { return a[base + k * p.M + m]; }
  return a[base + m * p.K + k];
}

fn loadB(base: u32, k: u32, n: u32) -> f32 {
  if (TRANS_B) { return b[base + n * p.K + k]; }
  return b[base + k * p.N + n];
}

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
    let bv = vec4f(loadB(baseB, k, n.x), loadB(baseB, k, n.y), loadB(baseB, k, n.z), loadB(baseB, k, n.w));
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
