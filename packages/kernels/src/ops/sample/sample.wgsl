// Next-token choice on the GPU, one workgroup per row of logits (R, V), writing only the token id (R) so a
// decode step reads back R integers instead of R·V logits.
//   greedy (temperature 0): the arg max, lowest index on ties.
//   otherwise z = logits / temperature, then as Hugging Face's warpers:
//     top-k: keep z >= the k-th largest z (ties with it kept, as TopKLogitsWarper);
//     top-p: of those, keep the smallest top set whose softmax mass reaches topP (all tokens tied with its
//            smallest member kept), found as the largest threshold τ with Σ_{z>=τ} softmax(z) >= topP;
//     sample with the Gumbel-max trick: the arg max of z + Gumbel noise over the kept tokens is an exact
//            draw from softmax(z) restricted to them, and needs no sorted scan.
// Thresholds are found by bisecting on the order-preserving u32 key of z (32 rounds of counts or sums), so
// no sort is needed. The noise of token v is a pure function of (seed, row, step, v) — a counter-based hash —
// and every reduction has a fixed shape, so the result is bit-reproducible for a seed on an adapter and
// independent of scheduling.
struct Params { R: u32, V: u32, greedy: u32, invTemp: f32, topK: u32, topP: f32, seed: u32, step: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;

// Lanes per row: 256 for vocabulary-sized rows, fewer for short ones (a barrier costs in proportion to the
// lanes on a CPU adapter such as lavapipe). A power of two.
override WG: u32 = 256u;
var<workgroup> redF: array<f32, WG>;
var<workgroup> redU: array<u32, WG>;

// lowbias32 (Chris Wellons' hash-prospector), as dropout.wgsl.
fn mix(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

// The stream of (seed, row, step); token v's uniform in (0, 1) is drawn from it.
fn streamKey(seed: u32, row: u32, step: u32) -> u32 {
  return mix(mix(mix(seed) ^ row) ^ step);
}

fn gumbel(key: u32, v: u32) -> f32 {
  // Top 24 bits, centred in their cell: u in (0, 1) exactly, never 0 or 1.
  let u = (f32(mix(mix(v) ^ key) >> 8u) + 0.5) * (1.0 / 16777216.0);
  return -log(-log(u));
}

// Order-preserving map from f32 to u32: a < b ⇔ okey(a) < okey(b) (for non-NaN values).
fn okey(f: f32) -> u32 {
  let b = bitcast<u32>(f);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn sumF(lane: u32, v: f32) -> f32 {
  redF[lane] = v;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lane < w) { redF[lane] += redF[lane + w]; }
    workgroupBarrier();
  }
  let r = redF[0];
  workgroupBarrier();
  return r;
}

fn maxF(lane: u32, v: f32) -> f32 {
  redF[lane] = v;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lane < w) { redF[lane] = max(redF[lane], redF[lane + w]); }
    workgroupBarrier();
  }
  let r = redF[0];
  workgroupBarrier();
  return r;
}

fn sumU(lane: u32, v: u32) -> u32 {
  redU[lane] = v;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lane < w) { redU[lane] += redU[lane + w]; }
    workgroupBarrier();
  }
  let r = redU[0];
  workgroupBarrier();
  return r;
}

// Arg max of (value, -index): the largest value, the lowest index among equals.
fn argmax(lane: u32, v: f32, i: u32) -> u32 {
  redF[lane] = v;
  redU[lane] = i;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lane < w) {
      let ov = redF[lane + w];
      let oi = redU[lane + w];
      if (ov > redF[lane] || (ov == redF[lane] && oi < redU[lane])) {
        redF[lane] = ov;
        redU[lane] = oi;
      }
    }
    workgroupBarrier();
  }
  let r = redU[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lane: u32) {
  let r = wid.x + wid.y * nwg.x; // uniform across the workgroup
  if (r >= p.R) { return; }
  let base = r * p.V;

  if (p.greedy == 1u) {
    var best = -3.4028234e38;
    var at = 0xffffffffu;
    for (var v = lane; v < p.V; v += WG) {
      let x = logits[base + v];
      if (x > best || at == 0xffffffffu) { best = x; at = v; }
    }
    let tok = argmax(lane, best, at);
    if (lane == 0u) { tokens[r] = tok; }
    return;
  }

  // Top-k: the largest key τ with at least k keys >= τ is the k-th largest key.
  var thr = 0u;
  if (p.topK > 0u && p.topK < p.V) {
    for (var bit = 31; bit >= 0; bit--) {
      let cand = thr | (1u << u32(bit));
      var n = 0u;
      for (var v = lane; v < p.V; v += WG) {
        n += select(0u, 1u, okey(logits[base + v] * p.invTemp) >= cand);
      }
      if (sumU(lane, n) >= p.topK) { thr = cand; }
    }
  }

  // Top-p over the tokens top-k kept: the largest τ >= thr whose top set holds topP of the mass.
  if (p.topP < 1.0) {
    var m = -3.4028234e38;
    for (var v = lane; v < p.V; v += WG) {
      let z = logits[base + v] * p.invTemp;
      if (okey(z) >= thr) { m = max(m, z); }
    }
    m = maxF(lane, m);
    var tot = 0.0;
    for (var v = lane; v < p.V; v += WG) {
      let z = logits[base + v] * p.invTemp;
      if (okey(z) >= thr) { tot += exp(z - m); }
    }
    let goal = p.topP * sumF(lane, tot);
    var tau = 0u;
    for (var bit = 31; bit >= 0; bit--) {
      let cand = tau | (1u << u32(bit));
      let lo = max(cand, thr);
      var mass = 0.0;
      for (var v = lane; v < p.V; v += WG) {
        let z = logits[base + v] * p.invTemp;
        if (okey(z) >= lo) { mass += exp(z - m); }
      }
      if (sumF(lane, mass) >= goal) { tau = cand; }
    }
    thr = max(thr, tau);
  }

  let key = streamKey(p.seed, r, p.step);
  var best = -3.4028234e38;
  var at = 0xffffffffu;
  for (var v = lane; v < p.V; v += WG) {
    let z = logits[base + v] * p.invTemp;
    if (okey(z) < thr) { continue; }
    let y = z + gumbel(key, v);
    if (y > best || at == 0xffffffffu) { best = y; at = v; }
  }
  let tok = argmax(lane, best, at);
  if (lane == 0u) { tokens[r] = tok; }
}
