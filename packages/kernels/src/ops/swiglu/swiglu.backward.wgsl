// SwiGLU backward, both inputs in one pass: with σ = σ(gate),
//   dgate = dout · up · σ · (1 + gate · (1 - σ)),   dup = dout · gate · σ.   All (N), overwritten.
struct Params { N: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dgate: array<f32>;
@group(0) @binding(2) var<storage, read_write> dup: array<f32>;
@group(0) @binding(3) var<storage, read> dout: array<f32>;
@group(0) @binding(4) var<storage, read> gate: array<f32>;
@group(0) @binding(5) var<storage, read> up: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N) { return; }
  let g = gate[i];
  let sig = 1.0 / (1.0 + exp(-g)); // exp overflow gives 1/inf = 0: the right limit
  let d = dout[i];
  dgate[i] = d * up[i] * sig * (1.0 + g * (1.0 - sig));
  dup[i] = d * g * sig;
}
