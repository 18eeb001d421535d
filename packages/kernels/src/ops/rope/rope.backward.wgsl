// Backward of rope.forward.wgsl: unpacks dqkv (B, T, C + 2·KVC) into dq (B, T, C), dk and dv (B, T, KVC),
// rotating the q and k parts back (the transpose of a rotation is the rotation by -angle):
//   dx_i = d_i·cos + d_{i+HS/2}·sin,   dx_{i+HS/2} = d_{i+HS/2}·cos - d_i·sin
// Outputs are overwritten. One invocation per (b, t, head, i), as the forward.
struct Params { B: u32, T: u32, NH: u32, NKV: u32, HS: u32, pos0: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dq: array<f32>;
@group(0) @binding(2) var<storage, read_write> dk: array<f32>;
@group(0) @binding(3) var<storage, read_write> dv: array<f32>;
@group(0) @binding(4) var<storage, read> dqkv: array<f32>;
@group(0) @binding(5) var<storage, read> table: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gridIndex(gid, nwg, 256u);
  let half = p.HS / 2u;
  let heads = p.NH + 2u * p.NKV;
  if (idx >= p.B * p.T * heads * half) { return; }
  let i = idx % half;
  let slot = (idx / half) % heads;
  let bt = idx / (half * heads);
  let t = bt % p.T;
  let C = p.NH * p.HS;
  let KVC = p.NKV * p.HS;
  let src = bt * (C + 2u * KVC) + slot * p.HS + i;
  let d1 = dqkv[src];
  let d2 = dqkv[src + half];
  if (slot >= p.NH + p.NKV) {
    let dst = bt * KVC + (slot - p.NH - p.NKV) * p.HS + i;
    dv[dst] = d1;
    dv[dst + half] = d2;
    return;
  }
  let at = ((p.pos0 + t) * half + i) * 2u;
  let c = table[at];
  let s = table[at + 1u];
  let g1 = d1 * c + d2 * s;
  let g2 = d2 * c - d1 * s;
  if (slot < p.NH) {
    let dst = bt * C + slot * p.HS + i;
    dq[dst] = g1;
    dq[dst + half] = g2;
  } else {
    let dst = bt * KVC + (slot - p.NH) * p.HS + i;
    dk[dst] = g1;
    dk[dst + half] = g2;
  }
}
