// rope.forward.wgsl with a position per token instead of pos0 + t: a KV-cache decode step, where each row of
// the batch sits at its own length. positions (B·T) u32, each below the table's rows (the caller checks).
struct Params { B: u32, T: u32, NH: u32, NKV: u32, HS: u32, pos0: u32 }

@group(0) @binding(6) var<storage, read> positions: array<u32>;

fn position(bt: u32, t: u32) -> u32 { return positions[bt]; }
