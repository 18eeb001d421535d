// A box that scrolls its content (a table wider than a phone, a long list) instead of the page, reachable by
// keyboard: focusable and named, so arrow keys scroll it and a screen reader announces it (axe's
// scrollable-region-focusable). Every scrolling table on the dashboard sits in one.
import type { CSSProperties, ReactNode, Ref } from 'react';

export function ScrollRegion({
  label,
  children,
  className = 'table-scroll',
  style,
  ref,
  testId,
}: {
  /** What it holds, for screen readers ("Sweep runs"). */
  label: string;
  children: ReactNode;
  className?: string;
  style?: CSSProperties;
  ref?: Ref<HTMLDivElement>;
  testId?: string;
}) {
  return (
    <section
      className={className}
      style={style}
      ref={ref}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region takes focus to be scrolled by keyboard
      tabIndex={0}
      aria-label={label}
      data-testid={testId}
    >
      {children}
    </section>
  );
}
