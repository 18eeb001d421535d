// AdamW (decoupled weight decay, bias-corrected), PyTorch semantics, fused over N parameters:
//   g = grad · clip;  m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
// 1-β1 and 1-β2 are computed on the host in float64 (as PyTorch does): in f32, 1 - 0.999 is off by 5e-5
// relative, which shifts every update by as much.
//   param -= lr · (wd · param + (m / bc1) / (sqrt(v / bc2) + eps))
// bc1 = 1 - β1^t and bc2 = 1 - β2^t come from the host in float64, so the step count never recompiles and
// a learning-rate schedule only rewrites the uniform. clip[1] is the clip-by-norm coefficient written by
// norm.final (1 when clipping is off).
struct Params {
  N: u32, lr: f32, beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, bc1: f32, bc2: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> grad: array<f32>;
@group(0) @binding(5) var<storage, read> clip: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N) { return; }
  let g = grad[i] * clip[1];
  let mi = p.beta1 * m[i] + p.omb1 * g;
  let vi = p.beta2 * v[i] + p.omb2 * g * g;
  m[i] = mi;
  v[i] = vi;
  let w = param[i];
  param[i] = w - p.lr * (p.weightDecay * w + (mi / p.bc1) / (sqrt(vi / p.bc2) + p.eps));
}
