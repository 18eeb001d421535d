// A virtualised table body, shared by the runs table and a sweep's runs: only the visible rows (and a few
// beyond) are in the DOM, and two spacer rows keep the scroll height.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

/**
 * The scroll container's ref, the rows to render, the spacer heights above and below them, and scrollToIndex (to
 * bring a row into view, e.g. for keyboard navigation).
 */
export function useVirtualRows(count: number) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => 32,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  return {
    scroller,
    items,
    above: items.length ? items[0].start : 0,
    below: items.length ? virtual.getTotalSize() - items[items.length - 1].end : 0,
    scrollToIndex: (i: number) => virtual.scrollToIndex(i, { align: 'auto' }),
  };
}

/** A spacer row of the given height spanning the table (nothing when there is no space to fill). */
export function SpacerRow({ height, colSpan }: { height: number; colSpan: number }) {
  return height > 0 ? (
    <tr style={{ height }}>
      <td colSpan={colSpan} />
    </tr>
  ) : null;
}
