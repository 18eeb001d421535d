// dbias[n] (+)= Σ_r dout[r, n] over (rows, N). One invocation per column sums its rows in order:
// deterministic (no atomics), and neighbouring invocations read neighbouring addresses.
struct Params { rows: u32, N: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n = gid.x;
  if (n >= p.N) { return; }
  var s = 0.0;
  for (var r = 0u; r < p.rows; r++) { s += dout[r * p.N + n]; }
  if (p.accumulate == 1u) { dbias[n] += s; } else { dbias[n] = s; }
}
