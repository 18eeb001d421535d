// Shared WGSL for row-wise kernels: reduceSum / reduceMax over one workgroup (see rowreduce.wgsl), and
// subgroupSum over one subgroup (sgsum.wgsl).
export const ROWREDUCE = new URL('./rowreduce.wgsl', import.meta.url);
export const SGSUM = new URL('./sgsum.wgsl', import.meta.url);
