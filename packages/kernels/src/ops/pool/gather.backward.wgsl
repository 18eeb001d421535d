// Backward of gather: dh[b, t, c] (+)= (t == idx[b]) ? dout[b, c] : 0. Params, dh, dout and main come from
// pool.backward.common.wgsl.
@group(0) @binding(3) var<storage, read> idx: array<u32>;

fn pooledGrad(b: u32, t: u32, d: f32) -> f32 {
  return select(0.0, d, t == min(idx[b], p.T - 1u));
}
