// The sum of `v` over a subgroup of `sg` lanes (a power of two), the same in every lane: a butterfly of
// subgroupShuffleXor in a fixed order, so the result is bit-reproducible (subgroupAdd leaves its order to the
// driver). Included by defineKernel after the kernel's own `enable subgroups`.
fn subgroupSum(v: f32, sg: u32) -> f32 {
  var x = v;
  for (var o = sg / 2u; o > 0u; o >>= 1u) { x += subgroupShuffleXor(x, o); }
  return x;
}
