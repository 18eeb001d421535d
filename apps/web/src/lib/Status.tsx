import type { ReactNode } from 'react';

/** A run's (or sweep's) status as a coloured badge; `children` replaces the label (e.g. "3 finished"). */
export function Status({ of, children }: { of: string; children?: ReactNode }) {
  return <span className={`status status-${of}`}>{children ?? of}</span>;
}
