// A JSON value as a collapsible tree: objects and arrays are <details> (keyboard-operable, open to `depth`),
// leaves are `key: value`. Used for a run's config and summary.
const leaf = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : JSON.stringify(v));

function Entry({ name, value, depth }: { name: string; value: unknown; depth: number }) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    return (
      <li>
        <details open={depth > 0}>
          <summary>
            {name}{' '}
            <span className="muted">
              {Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}
            </span>
          </summary>
          <ul>
            {entries.map(([k, v]) => (
              <Entry key={k} name={k} value={v} depth={depth - 1} />
            ))}
          </ul>
        </details>
      </li>
    );
  }
  return (
    <li>
      <span className="key">{name}</span>: <code>{leaf(value)}</code>
    </li>
  );
}

export function JsonTree({ value, testId, depth = 2 }: { value: unknown; testId?: string; depth?: number }) {
  const entries = value && typeof value === 'object' ? Object.entries(value) : [];
  if (!entries.length) return <p className="muted">Empty.</p>;
  return (
    <ul className="tree" data-testid={testId}>
      {entries.map(([k, v]) => (
        <Entry key={k} name={k} value={v} depth={depth} />
      ))}
    </ul>
  );
}
