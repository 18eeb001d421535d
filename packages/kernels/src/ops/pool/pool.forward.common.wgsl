// Shared by the pooling forward kernels (gather.forward.wgsl, meanpool.forward.wgsl), appended by
// defineKernel: out (B, C) from h (B, T, C), one invocation per output. Each kernel supplies its pooling as
// `pooled(b, c)` over the T positions of sequence b, channel c. Binding 3 (the positions) is the kernel's own.
struct Params { B: u32, T: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> h: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= p.B * p.C) { return; }
  out[i] = pooled(i / p.C, i % p.C);
}
