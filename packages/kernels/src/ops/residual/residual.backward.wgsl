// dinp1 (+)= dout, dinp2 (+)= dout. With accumulate = 1 both add to what is there (several paths feed
// the residual stream's gradient); with 0 they are overwritten.
struct Params { N: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dinp1: array<f32>;
@group(0) @binding(2) var<storage, read_write> dinp2: array<f32>;
@group(0) @binding(3) var<storage, read> dout: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N) { return; }
  let g = dout[i];
  if (p.accumulate == 1u) {
    dinp1[i] += g;
    dinp2[i] += g;
  } else {
    dinp1[i] = g;
    dinp2[i] = g;
  }
}
