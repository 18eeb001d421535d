// The parts of a sweep's stored config (Sweep.config, JSON; apps/api/src/sweeps/space.ts validates it) that
// its page shows: the metric it optimises and its run cap.
export type SweepConfig = { metric: { name: string; goal: 'minimize' | 'maximize' }; run_cap?: number };
