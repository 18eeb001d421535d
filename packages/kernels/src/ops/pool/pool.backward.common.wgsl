// Shared by the pooling backward kernels (gather.backward.wgsl, meanpool.backward.wgsl), appended by
// defineKernel: dh (B, T, C) (+)= the share of dout (B, C) that position t of sequence b took in the pooled
// output, one writer per element of dh. Each kernel supplies its pooling as `pooledGrad(b, t, d)`: the
// gradient at (b, t) of an output whose gradient is d. Binding 3 (the positions) is the kernel's own.
struct Params { B: u32, T: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dh: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.B * p.T * p.C) { return; }
  let c = i % p.C;
  let t = (i / p.C) % p.T;
  let b = i / (p.C * p.T);
  let g = pooledGrad(b, t, dout[b * p.C + c]);
  if (p.accumulate == 1u) { dh[i] += g; } else { dh[i] = g; }
}
