// Cleaning as configured steps. Each step reports how many rows it changed or removed, so a run's log says
// what happened to its data. Dedupe hashes the cleaned text (SHA-256), keeping the first occurrence, and runs
// before the split so the same text can never land on both sides of it.

import { createHash } from 'node:crypto';

export interface Example {
  text: string;
  /** Class index for classification; absent for language modelling. */
  label?: number;
}

export interface CleanOptions {
  stripEmailHeaders: boolean;
  keepSubject?: boolean;
  stripHtml: boolean;
  normalizeUnicode: boolean;
  collapseWhitespace: boolean;
  minChars: number;
  dedupe: boolean;
  maxChars?: number;
}

export interface StepReport {
  step: string;
  changed: number;
  removed: number;
}

/**
 * An RFC 5322 message: headers up to the first blank line. Only strips when the first line looks like one.
 * With keepSubject the Subject header's value stays, as the body's first line.
 */
export function stripEmailHeaders(text: string, keepSubject = false): string {
  if (!/^(From |[A-Za-z][A-Za-z0-9-]*:)/.test(text)) return text;
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return text;
  const body = text.slice(m.index + m[0].length);
  // Folded header lines (RFC 5322 §2.2.3) continue with whitespace.
  const subject = keepSubject ? /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(text.slice(0, m.index)) : null;
  return subject ? `${subject[1].replace(/\r?\n[ \t]+/g, ' ').trim()}\n${body}` : body;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function stripHtml(text: string): string {
  return text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code =
          e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

export function clean(rows: Example[], o: CleanOptions): { rows: Example[]; report: StepReport[] } {
  const report: StepReport[] = [];
  const map = (step: string, f: (t: string) => string) => {
    let changed = 0;
    rows = rows.map((r) => {
      const text = f(r.text);
      if (text !== r.text) changed++;
      return text === r.text ? r : { ...r, text };
    });
    report.push({ step, changed, removed: 0 });
  };
  const filter = (step: string, keep: (r: Example) => boolean) => {
    const before = rows.length;
    rows = rows.filter(keep);
    report.push({ step, changed: 0, removed: before - rows.length });
  };
  if (o.stripEmailHeaders)
    map(`strip e-mail headers${o.keepSubject ? ' (keep Subject)' : ''}`, (t) =>
      stripEmailHeaders(t, o.keepSubject),
    );
  if (o.stripHtml) map('strip HTML', stripHtml);
  if (o.normalizeUnicode) map('normalise Unicode (NFKC)', (t) => t.normalize('NFKC'));
  if (o.collapseWhitespace) map('collapse whitespace', (t) => t.replace(/\s+/g, ' ').trim());
  filter(
    o.minChars > 1 ? `drop shorter than ${o.minChars} chars` : 'drop empty',
    (r) => r.text.length >= Math.max(1, o.minChars),
  );
  if (o.dedupe) {
    const seen = new Set<string>();
    filter('drop duplicates (SHA-256 of text)', (r) => {
      const h = createHash('sha256').update(r.text).digest('hex');
      if (seen.has(h)) return false;
      seen.add(h);
      return true;
    });
  }
  if (o.maxChars) map(`truncate to ${o.maxChars} chars`, (t) => t.slice(0, o.maxChars));
  return { rows, report };
}
