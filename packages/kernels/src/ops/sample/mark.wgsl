// Marks each row's chosen token as seen, for the repetition penalty: seen[r, tokens[r]] = 1. seen (R, V).
struct Params { R: u32, V: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> seen: array<u32>;
@group(0) @binding(2) var<storage, read> tokens: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x;
  if (r >= p.R) { return; }
  let t = tokens[r];
  if (t < p.V) { seen[r * p.V + t] = 1u; }
}
