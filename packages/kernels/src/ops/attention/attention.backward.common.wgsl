// Shared by the attention backward kernels (steps 2 and 3, portable and subgroup variants), appended by
// defineKernel: the one Params layout and binding layout they all run with. dqkv (B, T, 3C) is the only
// output; dout (B, T, C); qkv (B, T, 3C); lse and D (B, NH, T); mask (B, T), 0 = padding.
struct Params { B: u32, T: u32, C: u32, NH: u32, HS: u32, scale: f32, causal: u32, hasMask: u32, NKV: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> qkv: array<f32>;
@group(0) @binding(4) var<storage, read> lse: array<f32>;
@group(0) @binding(5) var<storage, read> D: array<f32>;
@group(0) @binding(6) var<storage, read> mask: array<u32>;

const MAX_HS = 128u;

// Row width of qkv and the offsets of a query head's kv head inside a row (grouped-query attention).
fn qkvWidth() -> u32 { return p.C + 2u * p.NKV * p.HS; }
fn kvHead(h: u32) -> u32 { return h / (p.NH / p.NKV); }
fn kvOffset() -> u32 { return p.NKV * p.HS; } // from a row's k part to its v part
