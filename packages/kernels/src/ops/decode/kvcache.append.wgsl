// KV-cache append: copies the keys and values of T new tokens per row from the packed qkv (B, T, C + 2·KVC)
// that the QKV projection (GPT-2: KVC = C) or the RoPE packing (Llama: KVC = NKV·HS, grouped-query) writes
// into the per-layer caches k, v (B, maxT, KVC), at positions start[b] + t.
// Positions at or beyond maxT are dropped (the caller never asks for them; this keeps a bad start in bounds).
// F16: the caches hold f16 pairs (pack2x16float, half the memory and bandwidth); else f32 bits.
struct Params { B: u32, T: u32, C: u32, KVC: u32, maxT: u32 }
override F16: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> kc: array<u32>;
@group(0) @binding(2) var<storage, read_write> vc: array<u32>;
@group(0) @binding(3) var<storage, read> qkv: array<f32>;
@group(0) @binding(4) var<storage, read> start: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u); // (b, t, c) flattened, c < KVC
  if (i >= p.B * p.T * p.KVC) { return; }
  let c = i % p.KVC;
  let bt = i / p.KVC;
  let t = bt % p.T;
  let b = bt / p.T;
  let pos = start[b] + t;
  if (pos >= p.maxT) { return; }
  let src = bt * (p.C + 2u * p.KVC) + p.C + c;
  let dst = (b * p.maxT + pos) * p.KVC + c;
  if (F16) {
    if (c % 2u == 1u) { return; } // the even lane writes the pair
    kc[dst / 2u] = pack2x16float(vec2<f32>(qkv[src], qkv[src + 1u]));
    vc[dst / 2u] = pack2x16float(vec2<f32>(qkv[src + p.KVC], qkv[src + p.KVC + 1u]));
  } else {
    kc[dst] = bitcast<u32>(qkv[src]);
    vc[dst] = bitcast<u32>(qkv[src + p.KVC]);
  }
}
