// Inverted dropout with a counter-based RNG: the keep decision for element i is a pure function of
// (seed, offset + i), so the backward pass recomputes the mask instead of storing it, and a run is
// reproducible from its seed. keep ⇔ hash(seed, offset + i) / 2³² >= p; kept values are scaled by 1/(1-p).
// Forward: out = keep ? inp / (1-p) : 0.  Backward (same kernel): dinp (+)= keep ? dout / (1-p) : 0.
struct Params { N: u32, p: f32, seed: u32, offset: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;

// lowbias32 (Chris Wellons' hash-prospector): a strong 32-bit integer mix, applied twice with the seed.
fn mix(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

fn uniform01(seed: u32, i: u32) -> f32 {
  // Top 24 bits → [0, 1) exactly representable in f32, identical on every implementation.
  return f32(mix(mix(i) ^ seed) >> 8u) * (1.0 / 16777216.0);
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= prm.N) { return; }
  let keep = uniform01(prm.seed, prm.offset + i) >= prm.p;
  let v = select(0.0, inp[i] / (1.0 - prm.p), keep);
  if (prm.accumulate == 1u) { out[i] += v; } else { out[i] = v; }
}
