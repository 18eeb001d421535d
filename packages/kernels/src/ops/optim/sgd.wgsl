// SGD with momentum, PyTorch semantics (torch.optim.SGD), fused over N parameters:
//   g = grad · clip + wd · param;  buf = first ? g : momentum · buf + (1 - dampening) · g
//   step = nesterov ? g + momentum · buf : buf;  param -= lr · step
struct Params { N: u32, lr: f32, momentum: f32, dampening: f32, weightDecay: f32, nesterov: u32, first: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> buf: array<f32>;
@group(0) @binding(3) var<storage, read> grad: array<f32>;
@group(0) @binding(4) var<storage, read> clip: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N) { return; }
  let w = param[i];
  let g = grad[i] * clip[1] + p.weightDecay * w;
  var step = g;
  if (p.momentum != 0.0) {
    let b = select(p.momentum * buf[i] + (1.0 - p.dampening) * g, g, p.first == 1u);
    buf[i] = b;
    step = select(b, g + p.momentum * b, p.nesterov == 1u);
  }
  param[i] = w - p.lr * step;
}
