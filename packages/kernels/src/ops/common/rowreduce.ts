// Shared WGSL for row-wise kernels: reduceSum / reduceMax over one workgroup (see rowreduce.wgsl).
export const ROWREDUCE = new URL('./rowreduce.wgsl', import.meta.url);
