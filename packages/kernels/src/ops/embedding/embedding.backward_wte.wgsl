// Token embedding backward without atomics (llm.c's bucketed encoder_backward):
//   dwte[tok_u, c] += Σ_{positions p in bucket u} dout[p, c]
// The host groups the batch's positions by token id (a counting sort of B·T ints, done where the batch
// is built): tokens (U) unique ids, offsets (U + 1) into positions (B·T). One invocation per (u, c) sums
// its bucket in position order: deterministic, and every dwte element has exactly one writer.
struct Params { U: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dwte: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> tokens: array<u32>;
@group(0) @binding(4) var<storage, read> offsets: array<u32>;
@group(0) @binding(5) var<storage, read> positions: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.U * p.C) { return; }
  let u = i / p.C;
  let c = i % p.C;
  var s = 0.0;
  for (var k = offsets[u]; k < offsets[u + 1u]; k++) { s += dout[positions[k] * p.C + c]; }
  dwte[tokens[u] * p.C + c] += s;
}
