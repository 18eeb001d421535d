// A run's sweep parameters as a person reads them: `name = value` pairs, numbers at 4 significant digits.
import { paramPairs } from '@/lib/format';

export function Params({ params }: { params: unknown }) {
  const pairs = paramPairs(params);
  if (!pairs.length) return null;
  return (
    <span className="params">
      {pairs.map(([k, v]) => (
        <span key={k} className="param">
          <span className="muted">{k}</span> = {v}
        </span>
      ))}
    </span>
  );
}
