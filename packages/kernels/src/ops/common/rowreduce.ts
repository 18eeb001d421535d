// Shared WGSL for row-wise kernels: reduceSum / reduceMax over one workgroup (see rowreduce.wgsl),
// subgroupSum over one subgroup (sgsum.wgsl), and the builtins and grid index of kernels that give each
// subgroup a unit of work (subgroup.wgsl).
export const ROWREDUCE = new URL('./rowreduce.wgsl', import.meta.url);
export const SGSUM = new URL('./sgsum.wgsl', import.meta.url);
export const SUBGROUP = new URL('./subgroup.wgsl', import.meta.url);
