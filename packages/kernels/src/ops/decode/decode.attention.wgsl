// Attention of a few new query tokens per row over the KV cache (the decode step). The query of token t of
// row b (b < B, t < Tq) sits at position start[b] + t and attends causally to the cached keys 0..start[b]+t
// (kvcache.append.wgsl has already written this step's keys). Rows have their own lengths, so a batch of
// prompts of different lengths decodes together.
// qkv (B, Tq, C + 2·KVC) packed as the QKV projection (GPT-2: KVC = C) or the RoPE packing writes it;
// k, v (B, maxT, KVC) with KVC = NKV·HS: grouped-query attention, query head h reads kv head h / (NH/NKV);
// out (B, Tq, C); scores (B, NH, Tq, maxT) is scratch.
// One workgroup of 64 per (b, h, t): the lanes split the keys (scores, max, exp and sum), then split the
// head dimension for the weighted sum of values, so a single query still spreads over 64 lanes.
// F16: the caches hold f16 pairs (kvcache.append.wgsl); else f32 bits.
struct Params { B: u32, Tq: u32, C: u32, NH: u32, NKV: u32, HS: u32, maxT: u32, scale: f32 }
override F16: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> scores: array<f32>;
@group(0) @binding(3) var<storage, read> qkv: array<f32>;
@group(0) @binding(4) var<storage, read> kc: array<u32>;
@group(0) @binding(5) var<storage, read> vc: array<u32>;

fn kAt(i: u32) -> f32 {
  if (F16) { return unpack2x16float(kc[i / 2u])[i % 2u]; }
  return bitcast<f32>(kc[i]);
}

fn vAt(i: u32) -> f32 {
  if (F16) { return unpack2x16float(vc[i / 2u])[i % 2u]; }
  return bitcast<f32>(vc[i]);
}
@group(0) @binding(6) var<storage, read> start: array<u32>;

const WG = 64u;
const MAX_HS = 128u;
var<workgroup> q: array<f32, MAX_HS>;
var<workgroup> red: array<f32, WG>;

fn reduceMax(lane: u32, v: f32) -> f32 {
  red[lane] = v;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lane < w) { red[lane] = max(red[lane], red[lane + w]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn reduceSum(lane: u32, v: f32) -> f32 {
  red[lane] = v;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lane < w) { red[lane] += red[lane + w]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lane: u32) {
  let g = wid.x + wid.y * nwg.x; // (b, h, t) flattened; uniform across the workgroup
  if (g >= p.B * p.NH * p.Tq) { return; }
  let t = g % p.Tq;
  let h = (g / p.Tq) % p.NH;
  let b = g / (p.Tq * p.NH);
  let KVC = p.NKV * p.HS;
  let kvh = h / (p.NH / p.NKV);
  let qoff = (b * p.Tq + t) * (p.C + 2u * KVC) + h * p.HS;
  for (var d = lane; d < p.HS; d += WG) { q[d] = qkv[qoff + d] * p.scale; }
  workgroupBarrier();

  let n = min(start[b] + t + 1u, p.maxT); // keys 0..n-1
  let srow = g * p.maxT;
  var m = -3.4028234e38;
  for (var j = lane; j < n; j += WG) {
    let koff = (b * p.maxT + j) * KVC + kvh * p.HS;
    var s = 0.0;
    for (var d = 0u; d < p.HS; d++) { s += q[d] * kAt(koff + d); }
    scores[srow + j] = s;
    m = max(m, s);
  }
  m = reduceMax(lane, m);
  var l = 0.0;
  for (var j = lane; j < n; j += WG) {
    let e = exp(scores[srow + j] - m);
    scores[srow + j] = e;
    l += e;
  }
  l = reduceSum(lane, l);
  storageBarrier();
  let inv = 1.0 / l;
  let ooff = (b * p.Tq + t) * p.C + h * p.HS;
  for (var d = lane; d < p.HS; d += WG) {
    var acc = 0.0;
    for (var j = 0u; j < n; j++) { acc += scores[srow + j] * vAt((b * p.maxT + j) * KVC + kvh * p.HS + d); }
    out[ooff + d] = acc * inv;
  }
}
