// The flat index of an invocation in a 1-D problem dispatched as a 2-D grid (kernel.ts `grid1d` spreads more
// than maxComputeWorkgroupsPerDimension workgroups over y). `wg` is the kernel's @workgroup_size.
// kernel.ts appends this file to every kernel.
fn gridIndex(gid: vec3u, nwg: vec3u, wg: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}
