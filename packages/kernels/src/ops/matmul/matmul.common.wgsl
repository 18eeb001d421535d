// Shared by the matmul variants (rb, sg, tiled), appended by defineKernel: the layout constants, Params, the
// bindings and the loads. op(X) is X or Xᵀ by the TRANS_A / TRANS_B override constants (one pipeline per
// layout). Shapes: op(A) (M, K), op(B) (K, N), C (M, N), bias (N); batch b strides in elements (0 broadcasts).

override TRANS_A: bool = false;
override TRANS_B: bool = false;

struct Params { M: u32, N: u32, K: u32, strideA: u32, strideB: u32, strideC: u32, hasBias: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

// op(A)[m, k] of the batch starting at `base`; the caller keeps m < M and k < K.
fn loadA(base: u32, m: u32, k: u32) -> f32 {
  if (TRANS_A) { return a[base + k * p.M + m]; }
  return a[base + m * p.K + k];
}

// op(B)[k, n] of the batch starting at `base`; the caller keeps k < K and n < N.
fn loadB(base: u32, k: u32, n: u32) -> f32 {
  if (TRANS_B) { return b[base + n * p.K + k]; }
  return b[base + k * p.N + n];
}

fn loadB4(base: u32, k: u32, n: vec4u) -> vec4f {
  return vec4f(loadB(base, k, n.x), loadB(base, k, n.y), loadB(base, k, n.z), loadB(base, k, n.w));
}
