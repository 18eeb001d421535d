// Layout changes for the unfused path's backward pass:
//   mode 0: dout (B, T, C) → dy (B, NH, T, HS)                       (dy is `a`, dout is `packed`)
//   mode 1: dq, dk, dv each (B, NH, T, HS) → dqkv (B, T, 3C)         (a, b, c → packed)
struct Params { B: u32, T: u32, C: u32, NH: u32, HS: u32, mode: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> packed: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u); // over (b, h, t, d)
  if (i >= p.B * p.T * p.C) { return; }
  let d = i % p.HS;
  let t = (i / p.HS) % p.T;
  let h = (i / (p.HS * p.T)) % p.NH;
  let bi = i / (p.HS * p.T * p.NH);
  if (p.mode == 0u) {
    a[i] = packed[(bi * p.T + t) * p.C + h * p.HS + d];
  } else {
    let dst = (bi * p.T + t) * 3u * p.C + h * p.HS + d;
    packed[dst] = a[i];
    packed[dst + p.C] = b[i];
    packed[dst + 2u * p.C] = c[i];
  }
}
