// GELU backward: dinp (+)= dout · d/dx gelu(x), over N; exact = 1: d/dx x·Φ(x) = Φ(x) + x·φ(x).
struct Params { N: u32, accumulate: u32, exact: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;
@group(0) @binding(3) var<storage, read> dout: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N) { return; }
  let x = inp[i];
  var local: f32;
  if (p.exact == 1u) {
    local = 0.5 * (1.0 + erfApprox(x * 0.7071067811865476)) + x * 0.3989422804014327 * exp(-0.5 * x * x);
  } else {
    let u = S * (x + 0.044715 * x * x * x);
    let th = tanhSafe(u);
    let sech2 = 1.0 - th * th;
    local = 0.5 * (1.0 + th) + 0.5 * x * sech2 * S * (1.0 + 3.0 * 0.044715 * x * x);
  }
  let g = local * dout[i];
  if (p.accumulate == 1u) { dinp[i] += g; } else { dinp[i] = g; }
}
