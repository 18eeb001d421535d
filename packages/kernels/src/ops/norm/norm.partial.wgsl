// Global gradient norm, pass 1: partial[g] = Σ x² over this workgroup's contiguous chunk of x (N).
// Fixed chunking and a fixed-order tree reduction: the same bits every run (no atomics).
struct Params { N: u32, chunk: u32, outOffset: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> partial: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;

const WG = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let start = wid.x * p.chunk;
  let end = min(start + p.chunk, p.N);
  var s = 0.0;
  for (var i = start + lid; i < end; i += WG) { let v = x[i]; s += v * v; }
  red[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) { red[lid] += red[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partial[p.outOffset + wid.x] = red[0]; }
}
