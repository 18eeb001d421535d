// Rotary position embedding (HF Llama's rotate-half form) fused with packing the attention input:
//   qkv (B, T, C + 2·KVC) = [rope(q) | rope(k) | v]   from q (B, T, C), k and v (B, T, KVC)
// where for channel pair (i, i + HS/2) of each head at position pos = pos0 + t, with (cos, sin) = table[pos, i]:
//   out_i = x_i·cos - x_{i+HS/2}·sin,   out_{i+HS/2} = x_{i+HS/2}·cos + x_i·sin
// The table (P, HS/2, 2) holds cos and sin, computed on the CPU from inv_freq (rope.ts), so every
// rope_scaling kind (default, linear, llama3, …) is this one kernel. One invocation per (b, t, head, i).
struct Params { B: u32, T: u32, NH: u32, NKV: u32, HS: u32, pos0: u32 }

fn position(bt: u32, t: u32) -> u32 { return p.pos0 + t; }
