// Shared by the attention subgroup variants (forward, backward_dq, backward_dkv), appended by defineKernel:
// a subgroup of S lanes owns S consecutive rows (queries, or keys for backward_dkv) of one (b, h), h one of
// `heads` (query heads NH, or kv heads NKV for backward_dkv).
struct RowBlock {
  bh: u32, // (b, h) flattened, clamped so a spare subgroup past the last (b, h) reads in bounds
  b: u32,
  h: u32,
  first: u32, // the block's first row
  row: u32, // this lane's row, clamped to T - 1: lanes past T compute a copy and do not store
  store: bool, // whether this lane's row exists
}

fn rowBlock(inv: SubgroupInvocation, heads: u32) -> RowBlock {
  let g = subgroupIndex(inv);
  let blocks = (p.T + inv.sg - 1u) / inv.sg;
  let bh = min(g / blocks, p.B * heads - 1u);
  let first = (g % blocks) * inv.sg;
  let store = g / blocks < p.B * heads && first + inv.lane < p.T;
  return RowBlock(bh, bh / heads, bh % heads, first, min(first + inv.lane, p.T - 1u), store);
}
