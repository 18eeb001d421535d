'use client';
// How the runs table is laid out: which extra columns it shows (config.* and summary.* paths) — a searchable
// picker whose shown columns are dragged into order (@dnd-kit: pointer, touch and keyboard) and pinned to the
// left — and the key it groups by (a row per value, or per range of a numeric key, with aggregates: Groups.tsx).
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { type ReactNode, useState } from 'react';
import styles from './runs.module.css';
import { binsOf } from './tableState';

function SortableColumn({ id, children }: { id: string; children: ReactNode }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  return (
    <li
      ref={setNodeRef}
      className={styles.chosenItem}
      data-testid="chosen-column"
      data-col={id}
      style={{ transform: CSS.Translate.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }}
    >
      <button
        type="button"
        className={styles.handle}
        aria-label={`move ${id} (space, then arrow keys)`}
        data-testid={`drag-${id}`}
        {...attributes}
        {...listeners}
      >
        ⠿
      </button>
      {children}
    </li>
  );
}

export function ColumnPicker({
  fields,
  chosen,
  pinned,
  onChange,
  onPin,
  onReset,
}: {
  /** Every column the picker offers (config.* and summary.* paths). */
  fields: string[];
  /** The shown columns, in their order. */
  chosen: string[];
  pinned: string[];
  onChange: (chosen: string[]) => void;
  onPin: (field: string) => void;
  onReset: () => void;
}) {
  const [query, setQuery] = useState('');
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 150, tolerance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (f: string) => words.every((w) => f.toLowerCase().includes(w));
  const others = [...new Set(fields)].filter((f) => !chosen.includes(f) && matches(f)).sort();
  const shown = chosen.filter(matches);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onChange(arrayMove(chosen, chosen.indexOf(String(active.id)), chosen.indexOf(String(over.id))));
  };
  const total = new Set([...fields, ...chosen]).size;
  return (
    <details>
      <summary>Columns ({chosen.length} shown)</summary>
      <div className={styles.picker} data-testid="column-picker">
        <input
          type="search"
          aria-label="Search columns"
          placeholder={`Search ${total} columns`}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <p className="muted">Shown — drag ⠿ to reorder, pin to keep a column at the left:</p>
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext items={shown} strategy={verticalListSortingStrategy}>
            <ul className={styles.pickerList} data-testid="chosen-columns">
              {shown.map((f) => (
                <SortableColumn key={f} id={f}>
                  <label>
                    <input type="checkbox" checked onChange={() => onChange(chosen.filter((c) => c !== f))} />{' '}
                    {f}
                  </label>
                  <button
                    type="button"
                    aria-pressed={pinned.includes(f)}
                    aria-label={`pin ${f}`}
                    onClick={() => onPin(f)}
                  >
                    {pinned.includes(f) ? 'pinned' : 'pin'}
                  </button>
                </SortableColumn>
              ))}
            </ul>
          </SortableContext>
        </DndContext>
        <p className="muted">{others.length ? 'Not shown:' : words.length ? 'Nothing else matches.' : ''}</p>
        <ul className={styles.pickerList} data-testid="other-columns">
          {others.slice(0, 200).map((f) => (
            <li key={f}>
              <label>
                <input type="checkbox" checked={false} onChange={() => onChange([...chosen, f])} /> {f}
              </label>
            </li>
          ))}
          {others.length > 200 && <li className="muted">and {others.length - 200} more: search to narrow</li>}
        </ul>
        <button type="button" onClick={onReset}>
          Reset to default
        </button>
      </div>
    </details>
  );
}

export function GroupBy({
  value,
  keys,
  numeric,
  bins,
  onChange,
}: {
  value: string | null;
  keys: string[];
  /** Whether the chosen key holds numbers (then it can be binned). */
  numeric: boolean;
  /** The `bins` URL parameter. */
  bins: string | null;
  onChange: (changes: { group?: string | null; bins?: string | null }) => void;
}) {
  return (
    <span className={styles.tools}>
      <label>
        Group by{' '}
        <select
          name="group"
          value={value ?? ''}
          onChange={(e) => onChange({ group: e.target.value || null })}
        >
          <option value="">(none)</option>
          {keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {value && numeric && (
        <label>
          ranges{' '}
          <select
            name="bins"
            value={binsOf(bins) === null ? 'off' : String(binsOf(bins))}
            onChange={(e) => onChange({ bins: e.target.value === '10' ? null : e.target.value })}
          >
            <option value="off">a group per value</option>
            <option value="5">about 5</option>
            <option value="10">about 10</option>
            <option value="20">about 20</option>
          </select>
        </label>
      )}
    </span>
  );
}
