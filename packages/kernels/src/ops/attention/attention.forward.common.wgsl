// Shared by the attention forward kernels (attention.forward.wgsl and its subgroup variant), appended by
// defineKernel: Params, the bindings, and the head size as a pipeline constant.
// qkv (B, T, C + 2·KVC) in, out (B, T, C) and lse (B, NH, T) out; mask (B, T), 0 = padding.
// Grouped-query attention: C = NH·HS query channels, KVC = NKV·HS key and value channels; query head h
// reads kv head h / (NH / NKV). NKV = NH is plain multi-head attention (qkv (B, T, 3C), GPT-2's layout).
struct Params { B: u32, T: u32, C: u32, NH: u32, HS: u32, scale: f32, causal: u32, hasMask: u32, NKV: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;
@group(0) @binding(3) var<storage, read> qkv: array<f32>;
@group(0) @binding(4) var<storage, read> mask: array<u32>;

const MAX_HS = 128u;
// The lse of a row with no key to attend to, so the backward pass sees P = exp(s - lse) = 0 for it.
const NO_KEYS = 3.0e38;
// The head size as a pipeline constant (one pipeline per model head size, never per batch shape): loops
// over d then have a constant trip count, so compilers unroll them and keep q and acc in registers
// instead of indexing private arrays in memory.
override HS: u32 = 32u;

// Row width of qkv and the offsets of a query head's kv head inside a row (grouped-query attention).
fn qkvWidth() -> u32 { return p.C + 2u * p.NKV * p.HS; }
fn kvHead(h: u32) -> u32 { return h / (p.NH / p.NKV); }
fn kvOffset() -> u32 { return p.NKV * p.HS; } // from a row's k part to its v part
