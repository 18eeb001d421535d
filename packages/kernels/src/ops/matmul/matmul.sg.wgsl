// C[b] (+)= op(A[b]) · op(B[b]) (+ bias), subgroup variant (adapters with `subgroups` and a fixed
// subgroup size that is a multiple of 8). Same contract and bindings as matmul.rb.wgsl.
//
// Each subgroup owns 8 rows of C; each lane owns 4 columns, so a subgroup covers 8 × (4·sg) and a
// 64-invocation workgroup (64/sg subgroups stacked on rows) covers (8·64/sg) × (4·sg).
// A is read once per subgroup rather than once per lane: for 8 consecutive k, lane l loads
// A(row_i, k0 + l % 8) for its 8 rows, then every lane takes those values from lanes 0..7 with
// subgroupBroadcast — on software adapters a broadcast is a register move, while a per-lane load with a
// computed address is a scalar gather.

enable subgroups;

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

fn loadBv(base: u32, k: u32, n: vec4u) -> vec4f {
  return vec4f(loadB(base, k, n.x), loadB(base, k, n.y), loadB(base, k, n.z), loadB(base, k, n.w));
}

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(subgroup_size) sg: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let nsg = 64u / sg;
  let row0 = (wid.y * nsg + lid / sg) * 8u;
  // Lane l owns columns c0 + l + j·sg (j < 4): at each k the subgroup reads 4·sg consecutive floats.
  let colBase = wid.x * sg * 4u + lane;
  let baseA = wid.z * p.strideA;
  let baseB = wid.z * p.strideB;
  let baseC = wid.z * p.strideC;
  // No early return: the shuffles below need the whole subgroup. Loads are clamped instead.
  let cols = vec4u(colBase, colBase + sg, colBase + 2u * sg, colBase + 3u * sg);
  let n = min(cols, vec4u(p.N - 1u));
  let lk = lane % 8u;

  var acc: array<vec4f, 8>;
  for (var k0 = 0u; k0 < p.K; k0 += 8u) {
    // This lane's share of A: rows row0..row0+7 at k = k0 + lk (zero past K).
    var av: array<f32, 8>;
    let kl = k0 + lk;
    let kc = min(kl, p.K - 1u);
    for (var i = 0u; i < 8u; i++) {
      av[i] = select(0.0, loadA(baseA, min(row0 + i, p.M - 1u), kc), kl < p.K);
    }
    // subgroupBroadcast needs a constant lane: the 8 steps are written out. Past K, av is zero.
    var bv: vec4f;
    bv = loadBv(baseB, min(k0 + 0u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 0u) * bv; }
    bv = loadBv(baseB, min(k0 + 1u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 1u) * bv; }
    bv = loadBv(baseB, min(k0 + 2u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 2u) * bv; }
    bv = loadBv(baseB, min(k0 + 3u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 3u) * bv; }
    bv = loadBv(baseB, min(k0 + 4u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 4u) * bv; }
    bv = loadBv(baseB, min(k0 + 5u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 5u) * bv; }
    bv = loadBv(baseB, min(k0 + 6u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 6u) * bv; }
    bv = loadBv(baseB, min(k0 + 7u, p.K - 1u), n);
    for (var i = 0u; i < 8u; i++) { acc[i] += subgroupBroadcast(av[i], 7u) * bv; }
  }

  var bv = vec4f(0.0);
  if (p.hasBias == 1u) { bv = vec4f(bias[n.x], bias[n.y], bias[n.z], bias[n.w]); }
  for (var i = 0u; i < 8u; i++) {
    let row = row0 + i;
    if (row >= p.M) { break; }
    let v = acc[i] + bv;
    for (var j = 0u; j < 4u; j++) {
      let col = cols[j];
      if (col >= p.N) { break; }
      let idx = baseC + row * p.N + col;
      if (p.accumulate == 1u) { c[idx] += v[j]; } else { c[idx] = v[j]; }
    }
  }
}
