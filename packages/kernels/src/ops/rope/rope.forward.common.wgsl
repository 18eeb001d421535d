// The body shared by rope.forward.wgsl (positions pos0 + t) and rope.forward_at.wgsl (a position per token):
// each defines Params and position(bt, t), the position of token t of flattened row bt.
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> q: array<f32>;
@group(0) @binding(3) var<storage, read> k: array<f32>;
@group(0) @binding(4) var<storage, read> v: array<f32>;
@group(0) @binding(5) var<storage, read> table: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gridIndex(gid, nwg, 256u);
  let half = p.HS / 2u;
  let heads = p.NH + 2u * p.NKV; // q heads, then k heads, then v heads
  if (idx >= p.B * p.T * heads * half) { return; }
  let i = idx % half;
  let slot = (idx / half) % heads;
  let bt = idx / (half * heads);
  let t = bt % p.T;
  let C = p.NH * p.HS;
  let KVC = p.NKV * p.HS;
  let dst = bt * (C + 2u * KVC) + slot * p.HS + i;
  if (slot >= p.NH + p.NKV) { // v: copied
    let src = bt * KVC + (slot - p.NH - p.NKV) * p.HS + i;
    qkv[dst] = v[src];
    qkv[dst + half] = v[src + half];
    return;
  }
  var x1: f32;
  var x2: f32;
  if (slot < p.NH) {
    let src = bt * C + slot * p.HS + i;
    x1 = q[src];
    x2 = q[src + half];
  } else {
    let src = bt * KVC + (slot - p.NH) * p.HS + i;
    x1 = k[src];
    x2 = k[src + half];
  }
  let at = (position(bt, t) * half + i) * 2u;
  let c = table[at];
  let s = table[at + 1u];
  qkv[dst] = x1 * c - x2 * s;
  qkv[dst + half] = x2 * c + x1 * s;
}
